#include "core/data/size_guard.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>

#include "core/util/errors.h"

namespace iql {

uint64_t mul_sat(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > std::numeric_limits<uint64_t>::max() / b ? std::numeric_limits<uint64_t>::max() : a * b;
}

uint64_t add_sat(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
}

uint64_t product_sat(const std::vector<uint64_t>& dims) {
  uint64_t n = 1;
  for (uint64_t d : dims) n = mul_sat(n, d);
  return n;
}

uint64_t load_budget_bytes() {
  if (const char* cap = std::getenv("IQL_MAX_LOAD_BYTES"); cap && *cap) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(cap, &end, 10);
    if (end && *end == '\0' && v > 0) return v;
  }
  std::ifstream f("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  while (f >> key >> kb >> unit)
    if (key == "MemAvailable:") return mul_sat(kb, 1024);
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? mul_sat(uint64_t(pages), uint64_t(page)) : (uint64_t(1) << 32);
}

std::string human_bytes(uint64_t b) {
  if (b == std::numeric_limits<uint64_t>::max()) return "more than 16 EB";
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double v = double(b);
  int u = 0;
  while (v >= 1000.0 && u < 6) {
    v /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.3g %s", v, units[u]);
  return buf;
}

void check_fits_memory(const std::string& file, const std::string& key, const std::string& shape, uint64_t bytes) {
  const uint64_t budget = load_budget_bytes();
  if (bytes > budget)
    throw DataError(file, key, "declares shape " + shape + ": " + human_bytes(bytes) +
                                   " to load, more than the " + human_bytes(budget) +
                                   " of memory available (corrupt file, or too large for this machine)");
}

}  // namespace iql
