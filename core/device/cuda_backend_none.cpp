// The CUDA backend of a build whose LibTorch has no CUDA (see cuda_backend.h): nothing to report,
// nothing to capture. Trainers never get here with a CUDA device: resolve_device refuses it first.
#include "core/device/cuda_backend.h"

#include <stdexcept>

namespace iql::device {

bool cuda_compiled() { return false; }
std::string cuda_runtime_version() { return ""; }
std::string cuda_device_name(int) { return ""; }

void synchronize() {}
int64_t peak_memory_bytes() { return 0; }
void reset_peak_memory() {}

struct GraphStep::Impl {};
GraphStep::GraphStep() = default;
GraphStep::~GraphStep() = default;
void GraphStep::run_warmup(const std::function<void()>& step) { step(); }
bool GraphStep::capture(const std::function<void()>&, std::string* why) {
  if (why) *why = "this build's LibTorch has no CUDA, so there are no CUDA graphs";
  return false;
}
void GraphStep::replay() { throw std::logic_error("GraphStep::replay: no CUDA in this build"); }
bool GraphStep::captured() const { return false; }

}  // namespace iql::device
