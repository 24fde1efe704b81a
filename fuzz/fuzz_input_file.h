// Shared by the harnesses: the readers take a path, so each input is written to one file per
// process (on /dev/shm when it exists: no disk I/O) and the reader opens it. The memory budget is
// capped at 128 MB (IQL_MAX_LOAD_BYTES) so the readers' own size checks keep every allocation far
// below libFuzzer's -malloc_limit_mb=1024, as they would on a machine with 128 MB free, and the
// process's peak (the load's budget, a read's transient float64 copy, vector growth, ASan's
// quarantine and libhdf5's caches) below -rss_limit_mb=1024: with 256 MB a Minari file whose
// episodes inflated to the budget once went over 1 GB of RSS (an "oom" finding with no stack).
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace iql::fuzz {

inline std::string scratch_dir() {
  static const std::string dir = [] {
    const char* base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
    return std::string(base) + "/iql-fuzz-" + std::to_string(getpid());
  }();
  return dir;
}

inline void limit_budget() { setenv("IQL_MAX_LOAD_BYTES", "134217728", 1); }

// Writes data to path (truncating); aborts if it cannot (a harness bug, not a finding).
inline void write_file(const std::string& path, const uint8_t* data, size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || (size && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

}  // namespace iql::fuzz
