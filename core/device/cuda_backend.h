// The only door to CUDA-only APIs (device properties, streams, CUDA graphs). Two implementations:
// cuda_backend.cpp (compiled only when the LibTorch found has CUDA, IQL_WITH_CUDA) and
// cuda_backend_none.cpp (every other build), so no other file includes a CUDA header and a CPU-only
// LibTorch (Debian 12's 1.13) builds the same tree. Torch-free header.
#pragma once
#include <functional>
#include <memory>
#include <string>

namespace iql::device {

// True when this build was compiled against a LibTorch with CUDA.
bool cuda_compiled();
// "12.4" (the CUDA runtime this build runs on), "" without CUDA.
std::string cuda_runtime_version();
// The GPU's name ("NVIDIA H200"), "" without one.
std::string cuda_device_name(int index);

// Waits for the GPU's queued work (timing); no-op without CUDA.
void synchronize();
// Peak bytes the caching allocator has held on GPU 0 since the last reset; 0 without CUDA.
int64_t peak_memory_bytes();
void reset_peak_memory();

// A fixed-shape update captured once as a CUDA graph and replayed. The captured function must be
// free of host synchronisation and host-side effects (capture records kernels, it runs none of them):
// counters the host keeps are advanced by the caller after each run. Device tensors the graph reads
// (hyperparameters, learning rates) may be overwritten between replays without re-capture.
class GraphStep {
public:
  GraphStep();
  ~GraphStep();
  GraphStep(const GraphStep&) = delete;
  GraphStep& operator=(const GraphStep&) = delete;
  // Runs `step` eagerly on the capture stream (warm-up: allocator pools, cuBLAS handles), waiting for
  // it to finish, so work after it on the default stream sees its results.
  void run_warmup(const std::function<void()>& step);
  // Records `step` into the graph (without running it). False, with the reason in *why, when capture
  // fails; the caller then stays eager.
  bool capture(const std::function<void()>& step, std::string* why);
  // Launches the captured graph on the current stream.
  void replay();
  bool captured() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iql::device
