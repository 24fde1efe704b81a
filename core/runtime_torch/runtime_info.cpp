#include "core/runtime_torch/runtime_info.h"

#include <torch/torch.h>

#include <malloc.h>

#include <nlohmann/json.hpp>

#include "core/runtime/blas_library.h"
#include "core/runtime/process_setup.h"
#include "core/runtime/training_slots.h"

#include <algorithm>
#include <sstream>

namespace iql {

namespace {
int g_configured_threads = 0;  // OpenMP thread counts are per calling thread: remember what training uses
}

void set_threads(int threads) {
  if (threads <= 0) threads = runtime::default_training_threads();
  g_configured_threads = threads;
  if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
  // Activations of 256x256 floats are 256 KiB, above glibc's default mmap threshold: every step
  // would mmap/munmap and page-fault them afresh (~10% of a step). Keep them on the heap instead.
  static const bool heap_tuned = [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    return true;
  }();
  (void)heap_tuned;
}

RuntimeInfo runtime_info() {
  RuntimeInfo r;
  r.torch_version = TORCH_VERSION;
  r.threads = g_configured_threads > 0 ? g_configured_threads : at::get_num_threads();
  // Make sure BLAS is loaded (a first matmul), then look for it in our own memory map.
  (void)torch::mm(torch::ones({2, 2}), torch::ones({2, 2}));
  const runtime::BlasLibrary blas = runtime::loaded_blas_library();
  r.blas_path = blas.path;
  r.blas_name = blas.name;
  const auto s = runtime::blas_status();
  r.blas_core = s.core;
  r.blas_corrected = s.corrected;
  r.blas_note = s.reason;
  r.omp_wait = s.omp_wait;
  return r;
}

std::string runtime_info_text() {
  auto r = runtime_info();
  std::ostringstream os;
  os << "torch " << r.torch_version << ", " << r.threads << " threads, BLAS " << r.blas_name;
  if (!r.blas_path.empty()) os << " (" << r.blas_path << ")";
  if (!r.blas_core.empty()) os << ", " << runtime::blas_status_text();
  return os.str();
}

std::string runtime_info_json() {
  auto r = runtime_info();
  nlohmann::json j = {{"torch", r.torch_version}, {"threads", r.threads},         {"blas", r.blas_name},
                      {"blas_path", r.blas_path}, {"blas_core", r.blas_core},     {"blas_corrected", r.blas_corrected},
                      {"blas_note", r.blas_note}, {"omp_wait", r.omp_wait}};
  return j.dump();
}

}  // namespace iql
