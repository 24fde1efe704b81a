// The sweep folder on the shared filesystem and the small JSON records in it. Every record has one
// writer (the submitting command writes sweep.json and jobs; task N alone writes tasks/task-N/task.json),
// and every write is write-to-temp-then-rename, so a reader on another node never sees half a file.
//   SWEEP_DIR/spec.json            the spec as given
//   SWEEP_DIR/plan.json            the tasks and their member configs (SweepPlan)
//   SWEEP_DIR/sweep.json           executor, iql binary, submissions (Slurm job ids, times)
//   SWEEP_DIR/slurm/               generated sbatch scripts and Slurm's own output
//   SWEEP_DIR/tasks/task-00007/    shard.db (this task's run store), checkpoints/, task.log, task.json
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/sweep/sweep_plan.h"

namespace iql {

// What a task records about itself (its own truth; Slurm's view comes from squeue).
struct TaskRecord {
  int index = 0;
  // running | finished | failed | stopped (SIGTERM: scancel, time limit) | requeued (asked Slurm to rerun it)
  std::string state;
  std::string message;      // the error of a failed task
  int attempts = 0;         // process starts
  std::string host;
  int64_t pid = 0;
  std::string slurm_job;    // SLURM_ARRAY_JOB_ID_SLURM_ARRAY_TASK_ID, empty when local
  double started = 0;       // unix seconds of this attempt's start
  double first_step = 0;    // unix seconds when the first member began training (0: not yet)
  double ended = 0;
  int members_done = 0;
  std::string to_json() const;
  static TaskRecord from_json(const std::string& json);
};

struct Submission {
  std::string executor;     // local | slurm
  std::string job_id;       // Slurm array job id (empty when local)
  int offset = 0;           // task index = offset + array index
  std::vector<int> tasks;   // task indices in this submission
  double submitted = 0;     // unix seconds
};

struct SweepInfo {
  std::string sweep_id;
  std::string executor;     // of the first run
  std::string iql_path;     // the binary that tasks run
  std::vector<Submission> submissions;
  std::string slurm_options_json = "{}";  // SlurmOptions of the last submission: retry reuses them
  std::string to_json() const;
  static SweepInfo from_json(const std::string& json, const std::string& origin);
};

class SweepFolder {
public:
  explicit SweepFolder(std::string dir);
  const std::string& dir() const { return dir_; }

  // Creates the folder with spec.json and plan.json (and every task folder). Refuses a folder that
  // already holds a plan: use retry on it.
  void create(const SweepSpec& spec, const SweepPlan& plan) const;
  bool exists() const;
  SweepPlan plan() const;  // ConfigError naming the folder when it is not a sweep folder

  std::string task_dir(int index) const;
  std::string shard_path(int index) const { return task_dir(index) + "/shard.db"; }
  std::string checkpoint_dir(int index) const { return task_dir(index) + "/checkpoints"; }
  std::string log_path(int index) const { return task_dir(index) + "/task.log"; }
  std::string record_path(int index) const { return task_dir(index) + "/task.json"; }
  std::string slurm_dir() const { return dir_ + "/slurm"; }

  std::optional<TaskRecord> read_record(int index) const;  // nullopt: the task never started
  void write_record(const TaskRecord& r) const;
  SweepInfo info() const;
  void write_info(const SweepInfo& info) const;
  std::string log_tail(int index, int lines) const;

private:
  std::string dir_;
};

// A URI that opens a shard store read-only (needs SQLITE_OPEN_URI). A store nobody writes any more, with
// no WAL left to read, opens immutable=1: no locks, and no -wal/-shm files created beside it (a plain
// read-only open of a WAL store leaves both behind). Otherwise mode=ro, which shares the writer's WAL.
std::string shard_read_uri(const std::string& path, bool writer_may_be_active);

// Writes path atomically (temp file in the same folder, then rename).
void write_file_atomic(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);  // ConfigError naming the path when unreadable
double unix_now();

}  // namespace iql
