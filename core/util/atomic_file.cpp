#include "core/util/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>

namespace iql {

std::string unique_temp_path(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  // pid + counter are unique on one host; the random part covers pid reuse and other hosts
  // writing the same folder over a shared filesystem.
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()));
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, ".tmp.%ld.%u.%08llx", long(getpid()), counter.fetch_add(1),
                (unsigned long long)(rng() & 0xffffffffull));
  return path + suffix;
}

}  // namespace iql
