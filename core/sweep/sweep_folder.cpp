#include "core/sweep/sweep_folder.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/util/errors.h"

namespace iql {

namespace fs = std::filesystem;
using nlohmann::json;

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void write_file_atomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw StoreError(tmp + ": cannot write");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw StoreError(path + ": cannot replace: " + ec.message());
}

std::string shard_read_uri(const std::string& path, bool writer_may_be_active) {
  std::string out = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c > 0x7e) {
      char b[4];
      std::snprintf(b, sizeof b, "%%%02X", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  std::error_code ec;
  const auto wal = fs::file_size(path + "-wal", ec);
  const bool wal_has_data = !ec && wal > 0;
  return out + (writer_may_be_active || wal_has_data ? "?mode=ro" : "?mode=ro&immutable=1");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TaskRecord::to_json() const {
  return json{{"index", index},         {"state", state},   {"message", message},       {"attempts", attempts},
              {"host", host},           {"pid", pid},       {"slurm_job", slurm_job},   {"started", started},
              {"first_step", first_step}, {"ended", ended}, {"members_done", members_done}}
      .dump(1);
}

TaskRecord TaskRecord::from_json(const std::string& text) {
  const json j = json::parse(text);
  TaskRecord r;
  r.index = j.value("index", 0);
  r.state = j.value("state", "");
  r.message = j.value("message", "");
  r.attempts = j.value("attempts", 0);
  r.host = j.value("host", "");
  r.pid = j.value("pid", int64_t(0));
  r.slurm_job = j.value("slurm_job", "");
  r.started = j.value("started", 0.0);
  r.first_step = j.value("first_step", 0.0);
  r.ended = j.value("ended", 0.0);
  r.members_done = j.value("members_done", 0);
  return r;
}

std::string SweepInfo::to_json() const {
  json subs = json::array();
  for (const auto& s : submissions)
    subs.push_back({{"executor", s.executor}, {"job_id", s.job_id}, {"offset", s.offset}, {"tasks", s.tasks},
                    {"submitted", s.submitted}});
  return json{{"sweep_id", sweep_id},
              {"executor", executor},
              {"iql_path", iql_path},
              {"submissions", subs},
              {"slurm_options", json::parse(slurm_options_json.empty() ? "{}" : slurm_options_json)}}
      .dump(1);
}

SweepInfo SweepInfo::from_json(const std::string& text, const std::string& origin) {
  SweepInfo i;
  try {
    const json j = json::parse(text);
    i.sweep_id = j.value("sweep_id", "");
    i.executor = j.value("executor", "");
    i.iql_path = j.value("iql_path", "");
    if (j.contains("slurm_options")) i.slurm_options_json = j["slurm_options"].dump();
    for (const auto& s : j.value("submissions", json::array())) {
      Submission sub;
      sub.executor = s.value("executor", "");
      sub.job_id = s.value("job_id", "");
      sub.offset = s.value("offset", 0);
      sub.tasks = s.value("tasks", std::vector<int>{});
      sub.submitted = s.value("submitted", 0.0);
      i.submissions.push_back(sub);
    }
  } catch (const std::exception& e) {
    throw ConfigError(origin + ": " + e.what());
  }
  return i;
}

SweepFolder::SweepFolder(std::string dir) : dir_(fs::absolute(dir).lexically_normal().string()) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

bool SweepFolder::exists() const { return fs::exists(dir_ + "/plan.json"); }

void SweepFolder::create(const SweepSpec& spec, const SweepPlan& plan) const {
  if (exists())
    throw ConfigError(dir_ + " already holds a sweep (plan.json): use 'iql sweep retry " + dir_ +
                      "' to run what did not finish, or choose another --dir");
  std::error_code ec;
  fs::create_directories(dir_ + "/tasks", ec);
  if (ec) throw ConfigError(dir_ + ": cannot create the sweep folder: " + ec.message());
  fs::create_directories(slurm_dir(), ec);
  for (const auto& t : plan.tasks) fs::create_directories(task_dir(t.index), ec);
  write_file_atomic(dir_ + "/spec.json", spec.json + "\n");
  write_file_atomic(dir_ + "/plan.json", plan.to_json() + "\n");
}

SweepPlan SweepFolder::plan() const {
  if (!exists()) throw ConfigError(dir_ + ": not a sweep folder (no plan.json); create one with iql sweep run SPEC --dir " + dir_);
  return SweepPlan::from_json(read_file(dir_ + "/plan.json"), dir_ + "/plan.json");
}

std::string SweepFolder::task_dir(int index) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/tasks/task-%05d", index);
  return dir_ + buf;
}

std::optional<TaskRecord> SweepFolder::read_record(int index) const {
  std::ifstream in(record_path(index));
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return TaskRecord::from_json(ss.str());
  } catch (const std::exception&) {
    return std::nullopt;  // written by rename, so only a foreign file gets here
  }
}

void SweepFolder::write_record(const TaskRecord& r) const {
  std::error_code ec;
  fs::create_directories(task_dir(r.index), ec);
  write_file_atomic(record_path(r.index), r.to_json() + "\n");
}

SweepInfo SweepFolder::info() const {
  const std::string p = dir_ + "/sweep.json";
  if (!fs::exists(p)) return {};
  return SweepInfo::from_json(read_file(p), p);
}

void SweepFolder::write_info(const SweepInfo& info) const { write_file_atomic(dir_ + "/sweep.json", info.to_json() + "\n"); }

std::string SweepFolder::log_tail(int index, int lines) const {
  std::ifstream in(log_path(index));
  if (!in) return {};
  // read only the end of a long log
  in.seekg(0, std::ios::end);
  const auto size = static_cast<long long>(in.tellg());
  in.seekg(std::max(0LL, size - 16384));
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    // progress lines end in \r on a tty; keep the last segment
    const auto cr = line.find_last_of('\r');
    if (cr != std::string::npos) line = line.substr(cr + 1);
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string out;
  for (auto& l : tail) out += l + "\n";
  return out;
}

}  // namespace iql
