// Which BLAS library this process has loaded, found in its own memory map. Debian's libtorch calls
// whatever libblas.so.3 the alternatives system selects, and the reference BLAS is ~35x slower than
// OpenBLAS, so the app names it. Torch-free: the caller makes sure BLAS is loaded (a first matmul).
#pragma once
#include <string>

namespace iql::runtime {

struct BlasLibrary {
  std::string path;  // resolved path of the loaded libblas.so.3 / libopenblas ("" when none is loaded)
  std::string name;  // "openblas-openmp", "openblas-pthread", "reference (slow: ...)", "unknown", ...
};

// The library's name from its path (pure).
std::string blas_library_name(const std::string& path);
// The first BLAS in /proc/self/maps.
BlasLibrary loaded_blas_library();

}  // namespace iql::runtime
