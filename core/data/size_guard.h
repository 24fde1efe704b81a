// Declared sizes are checked before anything is allocated. A dataset header is a few bytes that
// can claim terabytes (a chunked HDF5 dataset of 2e9 rows that was never written, an NPZ entry
// whose size field lies), and allocating first means swapping the machine down or being killed.
// Each reader asks these helpers whether the arrays it is about to read could exist in the file
// and fit in memory, and throws DataError(file, key, "declares shape ...") when not.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace iql {

// a * b, saturating at UINT64_MAX instead of wrapping.
uint64_t mul_sat(uint64_t a, uint64_t b);
uint64_t add_sat(uint64_t a, uint64_t b);
uint64_t product_sat(const std::vector<uint64_t>& dims);

// Bytes a loader may allocate: MemAvailable (/proc/meminfo; physical memory where that is
// missing), or IQL_MAX_LOAD_BYTES when set (a cap for shared machines, and for tests).
uint64_t load_budget_bytes();

// "1.5 GB", "88 GB", "512 B": for error messages.
std::string human_bytes(uint64_t bytes);

// Throws DataError(file, key, "declares shape S: B bytes to load, more than the M available
// memory") when bytes exceeds load_budget_bytes().
void check_fits_memory(const std::string& file, const std::string& key, const std::string& shape, uint64_t bytes);

// Deflate never expands more than ~1032x, so a compressed payload of c bytes cannot hold more
// than this many (slack for headers and small chunks).
inline uint64_t max_inflated_bytes(uint64_t compressed) { return add_sat(mul_sat(compressed, 1100), 4096); }

}  // namespace iql
