#include "core/sweep/cpu_slots.h"

#include <sched.h>

#include <algorithm>
#include <stdexcept>

namespace iql {

std::vector<int> usable_cpu_ids() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> out;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return out;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) out.push_back(c);
  return out;
}

CpuSlots::CpuSlots(std::vector<int> cpus, int per_task, int slots) {
  per_task = std::max(1, per_task);
  slots = std::max(1, slots);
  pinned_ = static_cast<long>(cpus.size()) >= static_cast<long>(per_task) * slots;
  for (int s = 0; s < slots; ++s) {
    if (!pinned_) {
      groups_.push_back(cpus);
      continue;
    }
    const auto first = cpus.begin() + static_cast<long>(s) * per_task;
    groups_.emplace_back(first, first + per_task);
  }
  busy_.assign(groups_.size(), false);
}

int CpuSlots::take() {
  for (size_t s = 0; s < busy_.size(); ++s)
    if (!busy_[s]) {
      busy_[s] = true;
      return static_cast<int>(s);
    }
  throw std::logic_error("CpuSlots::take: every slot is busy");
}

void CpuSlots::give_back(int slot) { busy_.at(static_cast<size_t>(slot)) = false; }

bool pin_to_cpus(const std::vector<int>& cpus) {
  if (cpus.empty()) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) CPU_SET(c, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

}  // namespace iql
