// Training processes on one machine, so each can pick a fair share of the cores. Every training loop
// (CLI run, population, GUI session, sweep task) holds a slot: a file under /tmp/iql-workbench-<uid>/
// trainers locked with flock while the process lives (the kernel drops the lock when it dies, so a
// crashed process never counts). "Auto" threads = cores / live slots, rechecked as others come and go.
#pragma once
#include <string>

namespace iql::runtime {

class TrainingSlot {
public:
  TrainingSlot();  // registers this process (never throws: no slot means counting ourselves only)
  ~TrainingSlot();
  TrainingSlot(const TrainingSlot&) = delete;
  TrainingSlot& operator=(const TrainingSlot&) = delete;
  // Live slots on this machine, this one included (>= 1).
  int live() const;
  // max(1, cores / live()): the threads a process should use when the user asked for "auto" (0).
  int fair_threads() const;

private:
  std::string path_;
  int fd_ = -1;
};

// Live training slots of this user on this machine (stale files of dead processes are removed).
int live_training_slots();
int machine_cores();

}  // namespace iql::runtime
