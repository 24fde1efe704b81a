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

// One member of a task as the shard has it: options for a new run, or for resuming the member's
// stopped run (resume_run_id), and the population that run belongs to, if any.
struct TaskMember {
  SweepMember member;
  RunOptions options;
  std::string population_id;
};

// Trains a task's members. Members that can share one batched model (they differ only in scalar
// hyperparameters and seeds) train as one population, each still its own run with its own tags and
// name; a stopped population resumes as one; a member that fits no population trains alone.
void train_members(const std::vector<TaskMember>& members, RunControl& control, const RunCallbacks& cb);

}  // namespace iql
