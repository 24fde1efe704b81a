// `iql bench update --device cuda`: the device path's update (batches drawn on the device, the whole
// update on the device) timed eagerly and replayed as a CUDA graph, for one configuration and for
// populations of P members as one batched model: steps/s, member-steps/s and GPU memory per member.
// On the CPU (--device cpu --device-path) the same path runs without graphs, so the bench itself can
// be checked on a machine without a GPU.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace iql {

struct DeviceBenchOptions {
  int obs_dim = 17, act_dim = 6, batch = 256, hidden = 256;
  std::string device = "cuda";  // cuda, or cpu for the device path on the CPU
  std::string algorithm = "iql";
  std::vector<int> populations{1};
  std::vector<bool> graphs{false, true};  // eager, then graphs (graphs only on CUDA)
  std::string matmul_precision = "fp32";
  int64_t steps = 2000;  // timed steps per row (after warm-up and capture)
  int64_t dataset_rows = 100000;
};

struct DeviceBenchRow {
  int population = 1;
  bool graphs = false;
  double steps_per_s = 0, member_steps_per_s = 0;
  double memory_per_member_mb = 0;  // peak GPU memory of the row / P (0 on the CPU)
  std::string note;                 // why graphs did not replay, when asked
};

struct DeviceBenchResult {
  DeviceBenchOptions options;
  std::string facts;  // device, name, LibTorch and CUDA versions
  std::vector<DeviceBenchRow> rows;
  std::string to_json() const;
  std::string to_text() const;
};

DeviceBenchResult bench_device_update(const DeviceBenchOptions& o);

}  // namespace iql
