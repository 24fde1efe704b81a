// What the numeric runtime is: torch version, intra-op threads, which BLAS library is loaded.
// Debian's libtorch calls whatever libblas.so.3 is selected; the reference BLAS is ~35x slower.
#pragma once
#include <string>

namespace iql {

struct RuntimeInfo {
  std::string torch_version;
  int threads = 0;
  std::string blas_path;  // resolved path of the loaded libblas.so.3
  std::string blas_name;  // "openblas-openmp", "openblas-pthread", "reference", ...
};

// Sets torch's intra-op thread count explicitly (it reported 1 on a 2-core machine otherwise).
void set_threads(int threads);
RuntimeInfo runtime_info();
std::string runtime_info_text();

}  // namespace iql
