// A fixed-capacity ring buffer of transitions for online learning (SAC data generation, online
// fine-tuning). Torch-free; rows are sampled with a caller-owned seeded RNG.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

#include "core/data/dataset.h"

namespace iql {

class ReplayBuffer {
public:
  ReplayBuffer(int obs_dim, int act_dim, int64_t capacity);

  void add(const float* obs, const float* act, float reward, const float* next_obs, bool terminal, bool timeout);
  // Appends every transition of a dataset (oldest first); returns how many were added.
  int64_t add_dataset(const Dataset& d);

  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  int64_t total_added() const { return added_; }  // including overwritten ones
  int obs_dim() const { return obs_dim_; }
  int act_dim() const { return act_dim_; }

  // Uniform row indices into the live part of the buffer; std::logic_error when it is empty.
  std::vector<int64_t> sample_indices(int64_t n, std::mt19937_64& rng) const;
  // Row i (0 <= i < size) in insertion order (0 = oldest still stored).
  int64_t row_of_age(int64_t i) const;

  const float* obs(int64_t row) const { return &obs_[row * obs_dim_]; }
  const float* act(int64_t row) const { return &act_[row * act_dim_]; }
  const float* next_obs(int64_t row) const { return &next_obs_[row * obs_dim_]; }
  float reward(int64_t row) const { return rew_[row]; }
  bool terminal(int64_t row) const { return term_[row] != 0; }
  bool timeout(int64_t row) const { return timeout_[row] != 0; }

  // The stored transitions in insertion order, as a Dataset (for writing D4RL-layout files).
  Dataset to_dataset() const;

private:
  int obs_dim_, act_dim_;
  int64_t capacity_, size_ = 0, next_ = 0, added_ = 0;
  std::vector<float> obs_, act_, next_obs_, rew_;
  std::vector<uint8_t> term_, timeout_;
};

}  // namespace iql
