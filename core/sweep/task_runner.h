// Runs one task of a sweep (`iql sweep task SWEEP_DIR INDEX`): trains its members into the task's own
// shard store, records its state in task.json, and resumes members from their checkpoints when the
// task is started again (after a requeue, a preemption, a crash or a retry). Finished members are
// never trained twice.
#pragma once
#include <atomic>
#include <functional>
#include <string>

#include "core/sweep/sweep_folder.h"
#include "core/train/run_control.h"
#include "core/train/training_run.h"

namespace iql {

struct TaskRunResult {
  std::string state;  // finished | failed | stopped
  std::string message;
};

struct TaskRunHooks {
  std::function<void(const std::string& line)> log;  // progress lines for the task log
};

// `control` is stopped by the caller's signal handler (USR1 before the time limit, TERM on scancel or
// requeue); members checkpoint where they are and the task reports 'stopped'. Never throws for
// training errors: they come back as state 'failed' with the message (also in task.json).
TaskRunResult run_sweep_task(const SweepFolder& folder, int index, RunControl& control, const TaskRunHooks& hooks);

// The one call that trains a task's members (one after another, each resumed from its checkpoint
// when it has one). When population training lands this becomes one run_population(...) call over
// the same members and options.
void train_members(const std::vector<SweepMember>& members, const std::vector<RunOptions>& options, RunControl& control,
                   const RunCallbacks& cb);

}  // namespace iql
