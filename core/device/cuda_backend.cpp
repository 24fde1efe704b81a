// The CUDA backend (see cuda_backend.h), compiled only against a LibTorch with CUDA (IQL_WITH_CUDA).
// Graph capture follows PyTorch's recipe: warm up on a side stream, capture on that stream into a
// private memory pool, replay on the current stream.
#include "core/device/cuda_backend.h"

#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#include <torch/cuda.h>

#include <optional>

namespace iql::device {

bool cuda_compiled() { return true; }

std::string cuda_runtime_version() {
  int v = 0;
  if (cudaRuntimeGetVersion(&v) != cudaSuccess || v <= 0) return "";
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

std::string cuda_device_name(int index) {
  if (!torch::cuda::is_available() || index >= static_cast<int>(torch::cuda::device_count())) return "";
  return at::cuda::getDeviceProperties(index)->name;
}

void synchronize() {
  if (torch::cuda::is_available()) torch::cuda::synchronize();
}

int64_t peak_memory_bytes() {
  if (!torch::cuda::is_available()) return 0;
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0);
  // Index 0 is StatType::AGGREGATE, whose namespace moved between LibTorch 1.13 and 2.x.
  return stats.allocated_bytes[0].peak;
}

void reset_peak_memory() {
  if (torch::cuda::is_available()) c10::cuda::CUDACachingAllocator::resetPeakStats(0);
}

struct GraphStep::Impl {
  std::optional<c10::cuda::CUDAStream> stream;
  // Made at capture, not with the GraphStep: CUDAGraph's constructor asks for the current CUDA stream,
  // which throws on a CUDA build without a GPU, where the device path still runs on the CPU.
  std::optional<at::cuda::CUDAGraph> graph;
  bool captured = false;
  c10::cuda::CUDAStream side() {
    if (!stream) stream = c10::cuda::getStreamFromPool();
    return *stream;
  }
};

GraphStep::GraphStep() : impl_(std::make_unique<Impl>()) {}
GraphStep::~GraphStep() = default;

void GraphStep::run_warmup(const std::function<void()>& step) {
  torch::cuda::synchronize();  // the side stream must see everything the default stream wrote
  {
    c10::cuda::CUDAStreamGuard guard(impl_->side());
    step();
  }
  impl_->side().synchronize();
}

bool GraphStep::capture(const std::function<void()>& step, std::string* why) {
  try {
    torch::cuda::synchronize();
    c10::cuda::CUDAStreamGuard guard(impl_->side());
    impl_->graph.emplace();
    impl_->graph->capture_begin();
    try {
      step();
    } catch (...) {
      try {
        impl_->graph->capture_end();
      } catch (...) {
      }
      throw;
    }
    impl_->graph->capture_end();
    impl_->side().synchronize();
    impl_->captured = true;
    return true;
  } catch (const std::exception& e) {
    if (why) *why = e.what();
    try {
      if (impl_->graph) impl_->graph->reset();
    } catch (...) {  // a graph whose capture broke off may refuse to reset; it is never replayed
    }
    return false;
  }
}

void GraphStep::replay() { impl_->graph->replay(); }
bool GraphStep::captured() const { return impl_->captured; }

}  // namespace iql::device
