#include "core/sweep/sweep_status.h"

#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/sweep/slurm_script.h"

namespace iql {

namespace {

std::string this_host() {
  char buf[256] = {0};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

struct ShardRun {
  std::string status;
  int64_t steps = 0;
  std::optional<double> ret, score;
};

// member index -> its run in the shard, read through a read-only connection (never the RunStore class,
// whose constructor migrates and marks runs: a reader must not write a running task's store).
std::map<int, ShardRun> read_shard(const std::string& path, bool writer_may_be_active) {
  std::map<int, ShardRun> out;
  if (!std::filesystem::exists(path)) return out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(shard_read_uri(path, writer_may_be_active).c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                      nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 2000);
  sqlite3_stmt* s = nullptr;
  const char* sql =
      "SELECT r.tags, r.status, r.steps, "
      " (SELECT return_mean FROM evaluations e WHERE e.run_id=r.id ORDER BY step DESC, rowid DESC LIMIT 1),"
      " (SELECT normalized_score FROM evaluations e WHERE e.run_id=r.id ORDER BY step DESC, rowid DESC LIMIT 1) "
      "FROM runs r";
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK) {
    while (sqlite3_step(s) == SQLITE_ROW) {
      const auto tags = std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
      const auto pos = tags.find("sweep-member=");
      if (pos == std::string::npos) continue;
      const int member = std::atoi(tags.c_str() + pos + 13);
      ShardRun r;
      r.status = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
      r.steps = sqlite3_column_int64(s, 2);
      if (sqlite3_column_type(s, 3) != SQLITE_NULL) r.ret = sqlite3_column_double(s, 3);
      if (sqlite3_column_type(s, 4) != SQLITE_NULL) r.score = sqlite3_column_double(s, 4);
      out[member] = r;
    }
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

bool pid_alive(int64_t pid) { return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH); }

}  // namespace

double TaskStatus::progress() const {
  double done = 0, total = 0;
  for (const auto& m : members) {
    done += static_cast<double>(std::min(m.steps_done, m.steps_total));
    total += static_cast<double>(m.steps_total);
  }
  return total > 0 ? done / total : 0.0;
}

int SweepStatus::count(const std::string& state) const {
  return static_cast<int>(std::count_if(tasks.begin(), tasks.end(), [&](const TaskStatus& t) { return t.state == state; }));
}

double SweepStatus::progress() const {
  double done = 0, total = 0;
  for (const auto& t : tasks)
    for (const auto& m : t.members) {
      done += static_cast<double>(std::min(m.steps_done, m.steps_total));
      total += static_cast<double>(m.steps_total);
    }
  return total > 0 ? done / total : 0.0;
}

std::vector<MemberProgress> SweepStatus::best(size_t n) const {
  std::vector<MemberProgress> all;
  for (const auto& t : tasks)
    for (const auto& m : t.members)
      if (m.last_return) all.push_back(m);
  std::sort(all.begin(), all.end(), [](const MemberProgress& a, const MemberProgress& b) { return *a.last_return > *b.last_return; });
  if (all.size() > n) all.resize(n);
  return all;
}

SweepStatus sweep_status(const SweepFolder& folder, bool query_slurm) {
  const SweepPlan plan = folder.plan();
  const SweepInfo info = folder.info();
  SweepStatus st;
  st.sweep_id = plan.sweep_id;
  st.name = plan.name;
  st.executor = info.executor;
  std::map<std::string, int> jobs;
  for (const auto& s : info.submissions)
    if (s.executor == "slurm" && !s.job_id.empty()) jobs[s.job_id] = s.offset;
  const auto slurm = (query_slurm && !jobs.empty()) ? squeue_states(jobs) : std::map<int, std::string>{};
  const std::string host = this_host();
  std::map<int, bool> submitted;
  for (const auto& s : info.submissions)
    for (int t : s.tasks) submitted[t] = true;

  for (const auto& task : plan.tasks) {
    TaskStatus t;
    t.index = task.index;
    auto sq = slurm.find(task.index);
    if (sq != slurm.end()) t.slurm_state = sq->second;
    const auto rec = folder.read_record(task.index);
    const auto shard = read_shard(folder.shard_path(task.index), rec && rec->state == "running");
    for (const auto& m : task.members) {
      MemberProgress p;
      p.member = m.index;
      p.point = m.point;
      p.steps_total = m.config.steps;
      p.expectile = m.config.expectile;
      p.temperature = m.config.temperature;
      p.seed = m.config.seed;
      p.dataset = m.config.dataset;
      auto r = shard.find(m.index);
      if (r != shard.end()) {
        p.steps_done = r->second.steps;
        p.run_status = r->second.status;
        p.last_return = r->second.ret;
        p.last_score = r->second.score;
      }
      t.members.push_back(p);
    }
    const bool queued = t.slurm_state == "PENDING" || t.slurm_state == "REQUEUED" || t.slurm_state == "REQUEUE_HOLD" ||
                        t.slurm_state == "REQUEUE_FED" || t.slurm_state == "CONFIGURING";
    const bool active = t.slurm_state == "RUNNING" || t.slurm_state == "COMPLETING" || t.slurm_state == "SUSPENDED";
    if (!rec) {
      t.state = queued || active ? "pending" : (submitted.count(task.index) ? "lost" : "not-started");
      if (t.state == "lost") t.message = "submitted but never started and no longer queued";
    } else {
      t.attempts = rec->attempts;
      t.host = rec->host;
      t.slurm_job = rec->slurm_job;
      t.started = rec->started;
      t.first_step = rec->first_step;
      t.ended = rec->ended;
      t.message = rec->message;
      t.state = rec->state;
      if (rec->state == "running") {
        // its own record says running; believe it only while Slurm (or, locally, the process) agrees
        const bool alive = rec->slurm_job.empty() ? (rec->host == host && pid_alive(rec->pid)) || rec->host != host
                                                  : active || (!query_slurm);
        if (queued) {
          t.state = "requeued";  // killed, and Slurm queued it again
        } else if (!alive) {
          t.state = "lost";
          t.message = "the task's process ended without recording an outcome (killed, out of memory, node failure?)";
        }
      } else if (rec->state != "finished" && active) {
        t.state = "running";  // a new attempt (requeue, retry) is starting and has not written its record yet
      } else if ((rec->state == "requeued" || rec->state == "stopped") && queued) {
        t.state = "requeued";
      } else if (rec->state != "finished" && queued) {
        t.state = "pending";  // retried and queued again
      }
    }
    if (t.state == "failed" || t.state == "lost") t.log_tail = folder.log_tail(task.index, 12);
    st.tasks.push_back(std::move(t));
  }
  return st;
}

std::string SweepStatus::to_json() const {
  using nlohmann::json;
  json tasks_j = json::array();
  for (const auto& t : tasks) {
    json members = json::array();
    for (const auto& m : t.members) {
      json mj{{"member", m.member}, {"point", m.point}, {"steps", m.steps_done}, {"total_steps", m.steps_total},
              {"run_status", m.run_status}};
      if (m.last_return) mj["last_return"] = *m.last_return;
      if (m.last_score) mj["last_score"] = *m.last_score;
      members.push_back(mj);
    }
    json tj{{"index", t.index},      {"state", t.state},       {"slurm_state", t.slurm_state}, {"attempts", t.attempts},
            {"host", t.host},        {"slurm_job", t.slurm_job}, {"progress", t.progress()},   {"members", members},
            {"started", t.started},  {"first_step", t.first_step}, {"ended", t.ended}};
    if (!t.message.empty()) tj["message"] = t.message;
    if (!t.log_tail.empty()) tj["log_tail"] = t.log_tail;
    tasks_j.push_back(tj);
  }
  json best_j = json::array();
  for (const auto& m : best(5)) best_j.push_back({{"member", m.member}, {"point", m.point}, {"last_return", *m.last_return}});
  json counts;
  for (const char* s : {"finished", "running", "pending", "requeued", "failed", "lost", "stopped", "not-started"})
    counts[s] = count(s);
  return json{{"sweep_id", sweep_id}, {"name", name},   {"executor", executor}, {"progress", progress()},
              {"counts", counts},     {"tasks", tasks_j}, {"best", best_j}}
      .dump(2);
}

std::string SweepStatus::table() const {
  std::ostringstream os;
  char buf[256];
  std::snprintf(buf, sizeof buf, "sweep %s (%s): %zu tasks, %.0f%% done | %d finished, %d running, %d pending, %d requeued, %d failed, %d lost\n",
                sweep_id.c_str(), executor.empty() ? "not started" : executor.c_str(), tasks.size(), 100 * progress(),
                count("finished"), count("running"), count("pending"), count("requeued"), count("failed"), count("lost"));
  os << buf;
  os << "task  state        slurm        progress  members\n";
  for (const auto& t : tasks) {
    std::string members;
    for (const auto& m : t.members) members += (members.empty() ? "" : "; ") + (m.point.empty() ? "run " + std::to_string(m.member) : m.point);
    std::snprintf(buf, sizeof buf, "%4d  %-11s  %-11s  %6.0f%%  ", t.index, t.state.c_str(),
                  t.slurm_state.empty() ? "-" : t.slurm_state.c_str(), 100 * t.progress());
    os << buf << members << "\n";
    if (!t.message.empty()) os << "      " << t.message << "\n";
    if (!t.log_tail.empty()) {
      std::istringstream in(t.log_tail);
      std::string line;
      os << "      log tail:\n";
      while (std::getline(in, line)) os << "      | " << line << "\n";
    }
  }
  const auto b = best(5);
  if (!b.empty()) {
    os << "best so far (last evaluation return):\n";
    for (const auto& m : b) {
      std::snprintf(buf, sizeof buf, "  %8.1f  ", *m.last_return);
      os << buf << m.point << "\n";
    }
  }
  return os.str();
}

}  // namespace iql
