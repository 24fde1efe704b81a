// Hand-written behaviour policies for Pendulum-v1, used to generate the built-in datasets.
// They read only the observation [cos th, sin th, thdot], like a learned policy would.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

namespace iql {

// Expert: energy-shaping swing-up, then a saturated linear (PD/LQR-style) balance near upright.
// Deterministic; returns a torque in [-2, 2].
float pendulum_expert_torque(const std::vector<float>& obs);

// How far to degrade the expert. random_prob = 1 gives the uniform random policy.
struct PendulumBehaviour {
  double random_prob = 0.0;  // per step, take a uniform random torque in [-2, 2] instead
  double noise_std = 0.0;    // Gaussian noise (torque units) added to the expert's torque
};

// Named quality levels (the built-in datasets use these).
PendulumBehaviour pendulum_random_behaviour();  // uniform actions
PendulumBehaviour pendulum_medium_behaviour();  // mean return about -500 to -800
PendulumBehaviour pendulum_expert_behaviour();  // expert with small action noise

// A stochastic behaviour policy with its own seeded RNG (portable: no std distributions).
class PendulumBehaviourPolicy {
public:
  PendulumBehaviourPolicy(PendulumBehaviour behaviour, uint64_t seed);
  // Returns a one-element action (torque, clipped to [-2, 2]).
  std::vector<float> act(const std::vector<float>& obs);
  void set_behaviour(PendulumBehaviour b) { behaviour_ = b; }
  const PendulumBehaviour& behaviour() const { return behaviour_; }

private:
  PendulumBehaviour behaviour_;
  std::mt19937_64 rng_;
  double uniform01();
  double normal();
};

}  // namespace iql
