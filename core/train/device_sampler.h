// Batches drawn on the device (the device path of the trainer): the packed dataset rows are uploaded
// once, and each step member k's indices come from its own counter-based stream
// (core/device/counter_rng.h, keyed by its seed), gathered into one fixed [P, B, w] buffer. Device ops
// only, so the draw is part of a captured CUDA graph; the host keeps a count of draws for checkpoints.
// Core-private (torch).
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/algo/agent.h"
#include "core/train/batch_sampler.h"

namespace iql::train {

class DeviceSampler {
public:
  DeviceSampler(const BatchSampler& rows, const torch::Device& device, const std::vector<uint64_t>& seeds,
                int64_t batch_size);
  // Draws the next batch into the buffer and returns views of it ([P, B, ...]); advances the device
  // counter. Host state is untouched: call count_draw() after it ran (or after a graph replayed it).
  algo::Batch draw();
  void count_draw() { ++draws_; }
  // The batches drawn so far; set_draws repositions the stream (a resumed checkpoint).
  int64_t draws() const { return draws_; }
  void set_draws(int64_t n);
  // "counter-rng N" (checkpoints), and its inverse; -1 for a string that is not one.
  std::string state() const { return "counter-rng " + std::to_string(draws_); }
  static int64_t parse_state(const std::string& s);
  // Member k's indices of the draw number `n` (tests compare them with the draws).
  torch::Tensor indices_of(int64_t n) const;

private:
  const BatchSampler& rows_;
  torch::Tensor packed_, keys_, counter_, buffer_;
  int64_t batch_size_, draws_ = 0;
};

}  // namespace iql::train
