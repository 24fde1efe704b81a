// Seeded uniform sampling of transition batches from the dataset, packed row-wise as
// [obs | act | next_obs | reward | terminal] so one index_select gathers a whole batch and
// [obs | act] (the critic input) is a view, not a concatenation. Core-private (torch).
#pragma once
#include <torch/torch.h>

#include <random>
#include <string>
#include <vector>

#include "core/algo/agent.h"
#include "core/data/dataset.h"

namespace iql::train {

class BatchSampler {
public:
  BatchSampler(const Dataset& d, uint64_t seed);
  // Another sampler over the same packed rows (no copy of the data) with its own stream: population
  // members share one dataset and draw their own batches.
  BatchSampler(const BatchSampler& data_of, uint64_t seed);
  algo::Batch sample(int64_t batch_size);
  // The members' batches as one [P, B, ...] batch, member k drawing from samplers[k].
  static algo::Batch sample_members(const std::vector<BatchSampler*>& samplers, int64_t batch_size);
  // A batch of the given rows (probe batches, tests).
  algo::Batch rows(const std::vector<int64_t>& idx) const;
  int64_t size() const { return packed_.size(0); }
  // The packed rows [N, 2o + a + 2] and their fields as a batch (works on [B, w] and [P, B, w] rows).
  const torch::Tensor& packed() const { return packed_; }
  algo::Batch split(const torch::Tensor& rows) const;
  // Sampler RNG state, for checkpoints; set_rng_state throws std::invalid_argument (and keeps the
  // current stream) for a string that is not one.
  std::string rng_state() const;
  void set_rng_state(const std::string& s);

private:
  void draw(int64_t* out, int64_t n);
  torch::Tensor packed_;
  int64_t obs_dim_, act_dim_;
  std::mt19937_64 rng_;
};

}  // namespace iql::train
