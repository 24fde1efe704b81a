#include "core/train/device_step.h"

namespace iql::train {

DeviceStep::DeviceStep(algo::Agent& agent, DeviceSampler& sampler, bool graphs, int warmup)
    : agent_(agent), sampler_(sampler), graphs_(graphs), warmup_(warmup) {}

void DeviceStep::run_once() { agent_.device_update(sampler_.draw()); }

void DeviceStep::finish() {
  sampler_.count_draw();
  agent_.finish_device_step();
}

std::vector<algo::Metrics> DeviceStep::step(bool want_metrics) {
  if (graph_.captured()) {
    graph_.replay();
  } else if (graphs_ && !failed_ && warmed_ < warmup_) {
    graph_.run_warmup([this] { run_once(); });
    ++warmed_;
  } else if (graphs_ && !failed_) {
    std::string why;
    if (graph_.capture([this] { run_once(); }, &why)) {
      graph_.replay();  // capture ran nothing: this is the step's one execution
    } else {
      failed_ = true;
      note_ = "CUDA graph capture failed, training eagerly: " + why;
      run_once();
    }
  } else {
    run_once();
  }
  finish();
  return want_metrics ? agent_.device_metrics() : std::vector<algo::Metrics>(agent_.members());
}

}  // namespace iql::train
