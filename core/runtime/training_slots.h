// How many threads a training uses, and how many trainings run on this machine. "Auto" threads (0) is
// a count fixed by the machine (default_training_threads), resolved once when a run starts and
// recorded with it: a share that followed the other trainings changed the numbers of a seed with the
// machine's load (results differ between 1 and 2 threads; issue 23). Trainings beside each other
// oversubscribe the cores and wait passively (GOMP_SPINCOUNT, core/runtime/process_setup.h).
// Every training loop (CLI run, population, GUI session, sweep task) still holds a slot: a file under
// /tmp/iql-workbench-<uid>/trainers locked with flock while the process lives (the kernel drops the
// lock when it dies, so a crashed process never counts), so `iql doctor` can tell how many trainings run.
#pragma once
#include <string>

namespace iql::runtime {

class TrainingSlot {
public:
  TrainingSlot();  // registers this process (never throws: no slot means counting ourselves only)
  ~TrainingSlot();
  TrainingSlot(const TrainingSlot&) = delete;
  TrainingSlot& operator=(const TrainingSlot&) = delete;

private:
  std::string path_;
  int fd_ = -1;
};

// Live training slots of this user on this machine (stale files of dead processes are removed).
int live_training_slots();
int machine_cores();
// The threads of a run whose threads setting is 0 (auto): the CPUs this process may run on (its
// affinity mask, so taskset and cgroup cpusets count), at most kMaxAutoThreads. Independent of what
// else runs, so the same seed gives the same numbers however busy the machine is.
constexpr int kMaxAutoThreads = 8;  // 2x256 MLPs at batch 256: GEMMs too small to split much further
int default_training_threads();

}  // namespace iql::runtime
