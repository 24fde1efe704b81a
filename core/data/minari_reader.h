// Reads and writes Minari datasets (Farama's successor to D4RL). Torch-free; HDF5 C API + JSON.
//
// Layout: <dataset dir>/data/main_data.hdf5 and data/metadata.json. main_data.hdf5 holds one group
// per episode, episode_{i} (read in numeric order), each with observations (T+1, ...) including
// the reset observation, actions (T, ...), rewards (T,) or (T, 1), terminations (T,), truncations (T,).
// Trailing dimensions are flattened into obs_dim / act_dim. Dict observation spaces (subgroups)
// are not supported and say so. terminations -> Dataset::terminals, truncations -> timeouts; an
// episode whose last step has neither (a partial episode) gets timeouts = 1 there, so every
// boundary is explicit. Top-level metadata.json fields go into Dataset::metadata (strings as is,
// anything else as JSON text).
// read_minari accepts the dataset dir, its data/ dir, or main_data.hdf5 itself.
// Every bad input throws iql::DataError(file, "episode_3/rewards", "... expected (T,)").
#pragma once
#include <string>

#include "core/data/dataset.h"

namespace iql {

Dataset read_minari(const std::string& path);

// Writes dir/data/main_data.hdf5 and dir/data/metadata.json (dataset_id from metadata["dataset_id"]
// or "iql/exported-v0"; other metadata entries as string fields). Episodes are split where
// terminals/timeouts are set or next_observations[i] != observations[i+1]; an episode ending in
// neither is written with truncations = 1 at its last step. Throws DataError on failure.
void write_minari(const Dataset& d, const std::string& dir);

}  // namespace iql
