// Starting a sweep's tasks: on this machine (a pool of `iql sweep task` processes, never more busy
// threads than cores) or on Slurm (one sbatch --array per chunk of MaxArraySize task indices).
// Both record what they started in sweep.json, so status and retry know where to look.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/sweep/slurm_script.h"
#include "core/sweep/sweep_folder.h"

namespace iql {

// Writes built-in datasets the tasks will read (so concurrent tasks never race to generate them).
void prepare_datasets(const SweepPlan& plan);

// Tasks to (re)start: every task not finished, or with only_failed the failed and lost ones. Tasks
// queued or running on Slurm, or running locally, are never started twice.
std::vector<int> tasks_to_run(const SweepFolder& folder, bool only_failed);

struct LocalOptions {
  int jobs = 0;  // concurrent tasks; 0: as many as the cores allow
  int cores = 0; // 0: this machine's usable cores
  std::function<void(const std::string&)> log;
};

// The number of usable cores (sched_getaffinity).
int usable_cores();
// jobs x threads <= cores: the concurrency the local executor will use, or ConfigError when one task
// alone needs more threads than there are cores.
int local_concurrency(int requested_jobs, int task_threads, int cores);

// Runs the tasks as child processes of `iql_path sweep task DIR I` and waits for all of them.
// Returns the number of tasks that did not finish. stop_flag (when set by a signal) makes it stop
// starting tasks and forward SIGTERM to running ones (they checkpoint and record 'stopped').
int run_local(const SweepFolder& folder, const std::vector<int>& tasks, const std::string& iql_path,
              const LocalOptions& o, const volatile int* stop_flag);

// Writes one sbatch script per chunk into SWEEP_DIR/slurm and submits it; returns the job ids.
std::vector<std::string> submit_slurm(const SweepFolder& folder, const std::vector<int>& tasks,
                                      const std::string& iql_path, const SlurmOptions& o, int max_array_size);

// The absolute path of the running executable (the iql binary the tasks should run).
std::string self_executable();

}  // namespace iql
