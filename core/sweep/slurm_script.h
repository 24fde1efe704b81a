// Slurm job arrays for a sweep: the sbatch script text and its chunking (pure functions, unit-tested),
// and the few Slurm commands the sweep needs (sbatch, squeue, scontrol), run as child processes.
// Array indices must stay below the cluster's MaxArraySize, so task indices are cut into chunks of
// MaxArraySize consecutive indices; each chunk is one array job whose element i is task offset + i.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace iql {

struct SlurmOptions {
  std::string partition;      // empty: the cluster's default
  std::string time;           // --time (e.g. 1:00:00); empty: the partition's limit
  int cpus_per_task = 1;
  std::string mem;            // --mem (e.g. 4G); empty: the cluster's default
  std::string gres;           // e.g. gpu:1
  int max_concurrent = 0;     // %K on the array: at most K elements at once (0: no limit)
  int signal_seconds = 120;   // USR1 this many seconds before the time limit: checkpoint and requeue
  std::vector<std::string> extra;  // more #SBATCH lines, verbatim (e.g. --account=X)
  std::string to_json() const;
  static SlurmOptions from_json(const std::string& json);  // missing fields keep their defaults
};

struct ArrayChunk {
  int offset = 0;
  std::vector<int> array_indices;  // task index - offset, ascending, each < max_array_size
};

// Cuts ascending task indices into chunks whose array indices lie in [0, max_array_size).
std::vector<ArrayChunk> chunk_tasks(const std::vector<int>& task_indices, int max_array_size);
// "0-3,7,9-10": Slurm's compact --array list.
std::string array_spec(const std::vector<int>& indices);

std::string sbatch_script(const std::string& sweep_dir, const std::string& sweep_name, const std::string& iql_path,
                          const ArrayChunk& chunk, const SlurmOptions& o);

// ---- live cluster ----
struct CommandResult {
  int code = -1;
  std::string out;  // stdout and stderr together
};
CommandResult run_command(const std::vector<std::string>& argv);

// scontrol show config's MaxArraySize (Slurm's default 1001 when it cannot be read).
int slurm_max_array_size();
// Submits the script; returns the array job id. Throws ConfigError with sbatch's message.
std::string sbatch_submit(const std::string& script_path);
// Array element state by task index for the given array jobs (job id -> offset), from squeue:
// PENDING, RUNNING, COMPLETING, ... Elements squeue no longer lists are absent.
std::map<int, std::string> squeue_states(const std::map<std::string, int>& job_offsets);
bool slurm_available();  // squeue answers

}  // namespace iql
