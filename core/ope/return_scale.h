// From a discounted value to the scale users read: the undiscounted return of one episode and the
// D4RL-normalised score. FQE fits two things per policy at its initial states: the discounted return
// V = E[sum_t gamma^t r_t] and the discounted step count S = E[sum_{t<T} gamma^t] (T: the episode's
// length under the policy, cut by terminals; time limits are not terminals, so S -> 1 / (1 - gamma) for
// a policy that never falls). Then
//     per-step reward  rbar = V / S
//     episode length   T^   = log(1 - (1 - gamma) S) / log(gamma), at most the env's time limit H
//     episode return   R^   = rbar * min(T^, H)
// This is exact when every episode has the same length T and the same reward every step (then
// V = rbar (1 - gamma^T) / (1 - gamma), S = (1 - gamma^T) / (1 - gamma)). Otherwise it approximates:
// rbar weights early steps more (gamma^t), so a policy whose reward rises or falls within an episode is
// scored by its early reward; lengths that vary between episodes make T^ a little short (Jensen). With
// gamma 0.99 the weights reach ~100 steps: past that, FQE sees nothing a 1,000-step return holds.
// Rankings are unaffected by any of this when members share gamma and H (the map is monotone in V
// for a fixed S), and the discounted value is always stored beside the converted one.
// Torch-free.
#pragma once
#include <limits>
#include <optional>
#include <string>

namespace iql::ope {

struct EpisodeReturnEstimate {
  double discounted = 0.0;     // V
  double discounted_steps = 0.0;  // S, clamped to [1, 1 / (1 - gamma)]
  double length = 0.0;         // T^ (infinity when S reaches 1 / (1 - gamma))
  double length_used = 0.0;    // min(T^, H)
  double per_step = 0.0;       // rbar = V / S
  double episode_return = 0.0; // R^ = rbar * min(T^, H)
};

EpisodeReturnEstimate episode_return(double discounted_value, double discounted_steps, double gamma,
                                     int max_episode_steps);
// Without a fitted step count (the member's own critic and value): assume every episode runs to the
// time limit H, i.e. S = (1 - gamma^H) / (1 - gamma).
EpisodeReturnEstimate episode_return_full_length(double discounted_value, double gamma, int max_episode_steps);
// sum_{t<T} gamma^t
double discounted_steps(double gamma, double steps);

}  // namespace iql::ope
