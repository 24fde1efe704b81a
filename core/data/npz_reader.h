// Reads NPZ rollouts in the imitation / stable-baselines layout into a Dataset. Torch-free; the zip
// container is parsed here (stored or deflated entries via zlib, zip64 sizes/offsets included).
//
// Arrays (E episodes, A = sum of episode lengths T_e):
//   obs (A + E, obs_dim...)  each episode's T_e + 1 observations, final one included
//   acts (A, act_dim...) or (A,)   rews (A,) or (A, 1)
//   terminal (E,) bool       whether the episode ended (rather than being cut off)
//   indices (E - 1,)         episode split points into acts (np.split style); (E,) starting at 0 also accepted
//   infos                    pickled object array: skipped, never read
// Row i of the Dataset is acts row i with next_observations from the following obs row. The last
// step of an episode gets terminals = 1 if its terminal flag is set, else timeouts = 1.
// imitation sets the flag on every `done`, time-limit truncations included, and the only record of
// truncation is the pickled infos. So when the longest episode length is shared by several flagged
// episodes (>= 2 and >= 20% of all), that length is read as a time limit: flagged episodes of exactly
// that length end in a timeout, not a terminal (metadata["npz_time_limit"] says so). A Pendulum
// or fixed-horizon MuJoCo expert thus bootstraps past the limit as it should.
// Every bad input throws iql::DataError(file, key, ...) naming the array and its expected shape.
#pragma once
#include <map>
#include <string>

#include "core/data/dataset.h"
#include "core/data/npy.h"

namespace iql {

Dataset read_npz_rollouts(const std::string& path);

// Every numeric array of an .npz file by name (".npy" stripped); object (pickled) arrays are
// skipped, never unpickled. Throws DataError(file, key, ...) on a missing/corrupt file or entry.
std::map<std::string, NpyArray> read_npz_arrays(const std::string& path);

}  // namespace iql
