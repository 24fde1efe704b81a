// What the numeric runtime is: torch version, intra-op threads, which BLAS library is loaded; and
// the one place torch's thread count is set. The lowest torch room (runtime_torch: below nn, algo,
// train), so training sets its threads and records these facts without climbing; the torch-free
// facts (BLAS library, OpenBLAS core, training slots) come from core/runtime.
#pragma once
#include <string>

namespace iql {

struct RuntimeInfo {
  std::string torch_version;
  int threads = 0;
  std::string blas_path;  // resolved path of the loaded libblas.so.3
  std::string blas_name;  // "openblas-openmp", "openblas-pthread", "reference", ...
  std::string blas_core;  // OpenBLAS kernel core in use ("" when not OpenBLAS)
  bool blas_corrected = false;  // the core was corrected at start-up (see core/runtime/process_setup.h)
  std::string blas_note;  // why the core is what it is
  std::string omp_wait;   // how idle OpenMP threads wait
};

// Sets torch's intra-op thread count explicitly (it reported 1 on a 2-core machine otherwise);
// threads <= 0: the machine's fixed default, runtime::default_training_threads() (never a share that
// follows the load: see core/runtime/training_slots.h).
void set_threads(int threads);
RuntimeInfo runtime_info();
std::string runtime_info_text();
// The same facts as a JSON object, stored with every run (event kind "runtime").
std::string runtime_info_json();

}  // namespace iql
