#include "core/runtime/training_slots.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

namespace iql::runtime {

namespace {
std::filesystem::path slot_dir() {
  return std::filesystem::path("/tmp") / ("iql-workbench-" + std::to_string(getuid())) / "trainers";
}
}  // namespace

int machine_cores() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int default_training_threads() {
  cpu_set_t set;
  CPU_ZERO(&set);
  const int allowed = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : machine_cores();
  return std::clamp(std::min(allowed, machine_cores()), 1, kMaxAutoThreads);
}

TrainingSlot::TrainingSlot() {
  std::error_code ec;
  std::filesystem::create_directories(slot_dir(), ec);
  std::random_device rd;
  path_ = (slot_dir() / (std::to_string(getpid()) + "-" + std::to_string(rd()))).string();
  fd_ = open(path_.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ >= 0 && flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

TrainingSlot::~TrainingSlot() {
  if (fd_ < 0) return;
  unlink(path_.c_str());
  close(fd_);  // releases the lock
}

int live_training_slots() {
  int live = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(slot_dir(), ec)) {
    const std::string p = entry.path().string();
    const int fd = open(p.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ++live;  // held: its process is alive
    } else {
      unlink(p.c_str());  // nobody holds it: a process that died without cleaning up
      flock(fd, LOCK_UN);
    }
    close(fd);
  }
  return live;
}

}  // namespace iql::runtime
