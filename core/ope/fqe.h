// Fitted Q Evaluation (Le, Voloshin, Yue 2019; Paine et al. 2020): the value of P fixed deterministic
// policies on one offline dataset, all fitted at once as one member-batched network (nn::Mlp's ensemble
// axis, as populations train). Each member regresses Q(s, a) to r + gamma (1 - terminal) Q_target(s',
// pi(s')) on its own batches, with a Polyak target network and Adam; the estimate is the mean over the
// dataset's initial states of Q(s0, pi(s0)), a discounted return. The policies are fixed, so their
// actions are computed once by the caller and FQE needs no policy network: the header stays torch-free.
// A second output head fits the discounted step count sum_{t < T} gamma^t the same way (reward 1), so
// the caller can turn the discounted value into a per-episode return (see return_scale.h).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "core/data/dataset.h"

namespace iql::ope {

struct FqeSettings {
  int64_t steps = 20000;  // gradient steps (every member steps together)
  int64_t batch = 256;    // transitions per member per step
  int64_t hidden = 256;   // 2 hidden layers, as the critics
  double lr = 3e-4;       // Adam
  double polyak = 0.005;  // target <- polyak * online + (1 - polyak) * target, every step
  uint64_t seed = 0;      // initialisation and batch sampling
};

// The fixed policies on one dataset. Observations enter FQE's network normalised by the dataset's own
// mean/std (whatever each policy saw), actions as stored (already scaled to [-1, 1] by the caller).
struct FqeProblem {
  const Dataset* data = nullptr;                  // rewards are the ones evaluated (return scale)
  std::vector<double> discount;                   // one gamma per member (P = its size)
  std::vector<std::vector<float>> next_actions;   // [P][rows * act_dim]: pi_p(next_observations[i])
  std::vector<int64_t> start_rows;                // rows whose observation is an initial state
  std::vector<std::vector<float>> start_actions;  // [P][start_rows * act_dim]: pi_p(observations[row])
};

struct FqeMemberEstimate {
  double value = 0.0;               // mean over initial states of Q(s0, pi(s0)): discounted return
  std::vector<double> per_start;    // Q(s0_i, pi(s0_i)), one per start row
  double survival = 0.0;            // mean over initial states of the fitted sum_{t<T} gamma^t
  std::vector<double> survival_per_start;
  double td_rms = 0.0;              // RMS TD error of the value head over the last 10% of steps (reward units)
};

struct FqeResult {
  std::vector<FqeMemberEstimate> members;
  int64_t steps = 0, batch = 0;
  double seconds = 0.0;  // training and the final read-out
};

// Throws std::invalid_argument when the problem's sizes disagree. progress(step, steps) is called
// every 1,000 steps when given.
FqeResult fit_fqe(const FqeProblem& problem, const FqeSettings& settings,
                  const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace iql::ope
