// One training step on the device path: draw the members' batches on the device and update every
// member, either eagerly or by replaying a CUDA graph captured once (after a few warm-up steps).
// A failed capture falls back to eager steps and says why. Host counters (draws, updates, optimiser
// steps) advance after every step, since capture records kernels without running them.
// Core-private (torch).
#pragma once
#include <string>
#include <vector>

#include "core/algo/agent.h"
#include "core/device/cuda_backend.h"
#include "core/train/device_sampler.h"

namespace iql::train {

class DeviceStep {
public:
  // graphs: capture the update (CUDA only); warmup: eager steps before the capture.
  DeviceStep(algo::Agent& agent, DeviceSampler& sampler, bool graphs, int warmup = 3);
  std::vector<algo::Metrics> step(bool want_metrics);
  // Whether replays are running, and why not when graphs were asked for and are not.
  bool graphs_used() const { return graph_.captured(); }
  bool graphs_asked() const { return graphs_; }
  const std::string& graphs_note() const { return note_; }

private:
  void run_once();
  void finish();
  algo::Agent& agent_;
  DeviceSampler& sampler_;
  bool graphs_;
  int warmup_, warmed_ = 0;
  bool failed_ = false;
  std::string note_;
  device::GraphStep graph_;
};

}  // namespace iql::train
