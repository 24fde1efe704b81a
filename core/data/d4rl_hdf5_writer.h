// Writes a Dataset in the D4RL HDF5 layout that read_d4rl_hdf5 (and d4rl/h5py users) read:
// float32 observations (N, obs_dim), actions (N, act_dim), rewards (N,), next_observations
// (N, obs_dim); uint8 terminals/timeouts (N,); Dataset::metadata as scalar UTF-8 string datasets
// under metadata/. Datasets are chunked and gzip level 4 compressed.
// The file is written to a private temporary file beside path (unique_temp_path) and renamed over
// path only when complete, so a crash or error never leaves a half-written file at path, and any
// number of processes may write the same path at once (the last rename wins; each file is whole). Throws DataError(path, key, ...) on failure.
#pragma once
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace iql {

void write_d4rl_hdf5(const Dataset& d, const std::string& path);

// Further float32 (N, width) arrays written beside the standard ones, e.g. AntMaze's "infos/goal",
// "infos/qpos", "infos/qvel" (intermediate groups are created). DataError on a size mismatch.
struct ExtraArray {
  std::string key;
  int width = 1;
  std::vector<float> values;  // N * width, row-major
};
void write_d4rl_hdf5(const Dataset& d, const std::string& path, const std::vector<ExtraArray>& extras);

}  // namespace iql
