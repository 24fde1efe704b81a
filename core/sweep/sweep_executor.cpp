#include "core/sweep/sweep_executor.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "core/env/builtin_datasets.h"
#include "core/sweep/cpu_slots.h"
#include "core/sweep/sweep_status.h"
#include "core/util/errors.h"

namespace iql {

namespace fs = std::filesystem;

void prepare_datasets(const SweepPlan& plan) {
  std::set<std::string> seen;
  for (const auto& t : plan.tasks)
    for (const auto& m : t.members)
      if (is_builtin_dataset(m.config.dataset) && seen.insert(m.config.dataset).second)
        load_or_create_builtin(m.config.dataset);
}

std::vector<int> tasks_to_run(const SweepFolder& folder, bool only_failed) {
  const SweepStatus st = sweep_status(folder, /*query_slurm=*/true);
  std::vector<int> out;
  for (const auto& t : st.tasks) {
    if (t.state == "finished" || t.state == "running" || t.state == "pending" || t.state == "requeued") continue;
    if (only_failed && t.state != "failed" && t.state != "lost") continue;
    out.push_back(t.index);
  }
  return out;
}

int usable_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

int local_concurrency(int requested, int threads, int cores) {
  if (threads > cores)
    throw ConfigError("a task needs " + std::to_string(threads) + " threads but this machine has " + std::to_string(cores) +
                      " cores: lower threads in the spec");
  const int fit = std::max(1, cores / std::max(1, threads));
  return requested > 0 ? std::min(requested, fit) : fit;
}

int run_local(const SweepFolder& folder, const std::vector<int>& tasks, const std::string& iql_path, const LocalOptions& o,
              const volatile int* stop_flag) {
  const SweepPlan plan = folder.plan();
  int threads = 1;
  for (int t : tasks) threads = std::max(threads, plan.tasks.at(static_cast<size_t>(t)).threads());
  const int cores = o.cores > 0 ? o.cores : usable_cores();
  const int jobs = local_concurrency(o.jobs, threads, cores);
  auto log = [&](const std::string& s) {
    if (o.log) o.log(s);
  };
  if (o.jobs > jobs)
    log("running " + std::to_string(jobs) + " tasks at once, not " + std::to_string(o.jobs) + ": " + std::to_string(jobs) +
        " x " + std::to_string(threads) + " threads fill the " + std::to_string(cores) + " cores");

  SweepInfo info = folder.info();
  if (info.sweep_id.empty()) info.sweep_id = plan.sweep_id, info.executor = "local";
  info.iql_path = iql_path;
  info.submissions.push_back({"local", "", 0, tasks, unix_now()});
  folder.write_info(info);

  std::vector<int> cpus = usable_cpu_ids();
  if (static_cast<int>(cpus.size()) > cores) cpus.resize(static_cast<size_t>(cores));
  CpuSlots slots(cpus, threads, jobs);
  std::map<pid_t, std::pair<int, int>> running;  // pid -> (task, CPU slot)
  size_t next = 0;
  int not_finished = 0;
  bool forwarded = false;
  while (next < tasks.size() || !running.empty()) {
    const bool stopping = stop_flag && *stop_flag;
    if (stopping && !forwarded) {
      for (auto& [pid, task] : running) kill(pid, SIGTERM);
      forwarded = true;
    }
    while (!stopping && next < tasks.size() && static_cast<int>(running.size()) < jobs) {
      const int idx = tasks[next++];
      const int slot = slots.take();
      fs::create_directories(folder.task_dir(idx));
      const std::string log_path = folder.log_path(idx);
      const pid_t pid = fork();
      if (pid < 0) throw StoreError("fork failed for task " + std::to_string(idx));
      if (pid == 0) {
        const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
          dup2(fd, 1);
          dup2(fd, 2);
          close(fd);
        }
        if (slots.pinned()) pin_to_cpus(slots.cpus(slot));  // threads 0 resolves to this slot's CPUs
        const std::string th = std::to_string(threads);
        setenv("OMP_NUM_THREADS", th.c_str(), 1);
        setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
        const std::string idx_s = std::to_string(idx);
        execl(iql_path.c_str(), iql_path.c_str(), "sweep", "task", folder.dir().c_str(), idx_s.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
      }
      running[pid] = {idx, slot};
      log("task " + std::to_string(idx) + " started (pid " + std::to_string(pid) + ")");
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t done = waitpid(-1, &status, 0);
    if (done < 0) {
      if (errno == EINTR) continue;  // a signal: loop to forward it
      break;
    }
    auto it = running.find(done);
    if (it == running.end()) continue;
    const auto [idx, slot] = it->second;
    slots.give_back(slot);
    running.erase(it);
    const auto rec = folder.read_record(idx);
    const std::string state = rec ? rec->state : "failed";
    if (state != "finished") ++not_finished;
    log("task " + std::to_string(idx) + " " + state + (rec && !rec->message.empty() ? ": " + rec->message : ""));
  }
  not_finished += static_cast<int>(tasks.size() - next);
  return not_finished;
}

std::vector<std::string> submit_slurm(const SweepFolder& folder, const std::vector<int>& tasks, const std::string& iql_path,
                                      const SlurmOptions& o, int max_array_size) {
  const SweepPlan plan = folder.plan();
  SweepInfo info = folder.info();
  if (info.sweep_id.empty()) info.sweep_id = plan.sweep_id, info.executor = "slurm";
  info.iql_path = iql_path;
  info.slurm_options_json = o.to_json();
  SlurmOptions opt = o;
  for (int t : tasks) opt.cpus_per_task = std::max(opt.cpus_per_task, plan.tasks.at(static_cast<size_t>(t)).threads());
  fs::create_directories(folder.slurm_dir());
  std::vector<std::string> ids;
  for (const auto& chunk : chunk_tasks(tasks, max_array_size)) {
    const std::string script = folder.slurm_dir() + "/submit-" + std::to_string(info.submissions.size()) + ".sbatch";
    write_file_atomic(script, sbatch_script(folder.dir(), plan.name, iql_path, chunk, opt));
    const double t0 = unix_now();
    const std::string id = sbatch_submit(script);
    std::vector<int> idx;
    for (int a : chunk.array_indices) idx.push_back(chunk.offset + a);
    info.submissions.push_back({"slurm", id, chunk.offset, idx, t0});
    folder.write_info(info);  // after every chunk: a failure later keeps what was submitted
    ids.push_back(id);
  }
  return ids;
}

std::string self_executable() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

}  // namespace iql
