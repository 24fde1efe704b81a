// Where a sweep stands: each task's state from its own record (task.json) joined with Slurm's view
// (squeue; no sacct, which needs slurmdbd), its progress from its shard store opened read-only, and the
// best configurations so far. Never writes anything in the sweep folder.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/sweep/sweep_folder.h"

namespace iql {

struct MemberProgress {
  int member = 0;
  std::string point;
  int64_t steps_done = 0;
  int64_t steps_total = 0;
  std::string run_status;                 // the shard's run status ('' when not started)
  std::optional<double> last_return;      // last evaluation's mean return
  std::optional<double> last_score;       // and its normalised score
  double expectile = 0, temperature = 0;
  uint64_t seed = 0;
  std::string dataset;
};

struct TaskStatus {
  int index = 0;
  // finished | running | pending (queued, not started) | requeued | failed | lost (a running record
  // whose process is gone) | stopped | not-started
  std::string state;
  std::string slurm_state;   // squeue's state, '' when squeue does not list it
  std::string message;       // a failed task's error
  std::string log_tail;      // for failed and lost tasks
  int attempts = 0;
  std::string host, slurm_job;
  double started = 0, first_step = 0, ended = 0;
  std::vector<MemberProgress> members;
  double progress() const;   // 0..1 over its members' steps
};

struct SweepStatus {
  std::string sweep_id, name, executor;
  std::vector<TaskStatus> tasks;
  int count(const std::string& state) const;
  double progress() const;
  std::vector<MemberProgress> best(size_t n) const;  // by last return, highest first
  std::string to_json() const;
  std::string table() const;  // for the terminal
};

SweepStatus sweep_status(const SweepFolder& folder, bool query_slurm);

}  // namespace iql
