// Reads a D4RL-layout HDF5 file (observations, actions, rewards, terminals, [timeouts],
// [next_observations], [metadata/*]) into a Dataset. Torch-free; uses the HDF5 C API.
//
// Accepted shapes (N = rows of 'observations'):
//   observations (N, obs_dim); next_observations (N, obs_dim) optional
//   actions (N, act_dim), or (N,) read as act_dim = 1 (some 1-D action datasets store it flat)
//   rewards, terminals, timeouts: (N,) or (N, 1); timeouts optional (absent = all zero)
// float32/float64/integer values are converted to float; terminals/timeouts may be bool (h5py
// enum), integer or float (nonzero = set). Without next_observations the rows are rebuilt as
// d4rl.qlearning_dataset does (i = 0..N-2, next = observations[i+1], rows with timeouts[i] dropped)
// and metadata["next_observations"] says so; the kept row before each dropped one gets timeouts = 1
// so episode boundaries stay explicit.
// Every bad input throws iql::DataError(file, key, "has shape ..., expected ...").
#pragma once
#include <string>

#include "core/data/dataset.h"

namespace iql {

Dataset read_d4rl_hdf5(const std::string& path);

}  // namespace iql
