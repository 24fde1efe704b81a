// The CPUs of a local sweep, dealt out to its running tasks. Each task owns `per_task` CPUs of its own
// (its affinity mask): a task whose threads setting is 0 (auto) resolves it to that count
// (runtime::default_training_threads reads the mask), so it trains with the same count whatever else
// runs, and tasks never share a core. Without pinning, every auto task took all the machine's CPUs and
// two of them oversubscribed two cores.
#pragma once
#include <vector>

namespace iql {

// The CPUs this process may run on, in increasing order (sched_getaffinity).
std::vector<int> usable_cpu_ids();

class CpuSlots {
public:
  // `slots` disjoint groups of `per_task` CPUs from `cpus`, in order; when there are too few CPUs for
  // that, pinning is off (pinned() false) and every slot is the whole list.
  CpuSlots(std::vector<int> cpus, int per_task, int slots);
  bool pinned() const { return pinned_; }
  int take();              // a free slot's index (the lowest); throws when none is free
  void give_back(int slot);
  const std::vector<int>& cpus(int slot) const { return groups_.at(static_cast<size_t>(slot)); }

private:
  std::vector<std::vector<int>> groups_;
  std::vector<bool> busy_;
  bool pinned_ = false;
};

// Restricts the calling process (a forked task before exec) to `cpus`; false when the kernel refused.
bool pin_to_cpus(const std::vector<int>& cpus);

}  // namespace iql
