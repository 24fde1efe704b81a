// Gym/Gymnasium Pendulum-v1, reproduced step for step (see shared/reference/environments.md).
// State is kept in double like NumPy's float64; observations are emitted as float32.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/env/env.h"

namespace iql {

class PendulumEnv : public Env {
public:
  static constexpr double kDt = 0.05;
  static constexpr double kMass = 1.0;
  static constexpr double kLength = 1.0;
  static constexpr double kMaxTorque = 2.0;
  static constexpr double kMaxSpeed = 8.0;
  static constexpr int kMaxEpisodeSteps = 200;

  explicit PendulumEnv(double gravity = 10.0);

  std::string name() const override { return "pendulum"; }
  int obs_dim() const override { return 3; }
  int act_dim() const override { return 1; }
  float action_low() const override { return static_cast<float>(-kMaxTorque); }
  float action_high() const override { return static_cast<float>(kMaxTorque); }
  int max_episode_steps() const override { return kMaxEpisodeSteps; }

  std::vector<float> reset(uint64_t seed) override;
  std::vector<float> reset() override;
  // Throws std::logic_error before the first reset()/set_state(), std::invalid_argument on a
  // wrong action size. timeout is true from the 200th step of an episode on; terminal never.
  StepResult step(const std::vector<float>& action) override;

  // Starts an episode from an exact state (replay tests, probes): elapsed step count goes to 0.
  void set_state(double theta, double theta_dot);
  double theta() const { return th_; }
  double theta_dot() const { return thdot_; }
  int elapsed_steps() const { return steps_; }
  double gravity() const { return g_; }
  std::vector<float> observation() const;

  // Gym's angle_normalize: ((x + pi) mod 2pi) - pi with Python's floor modulo, range [-pi, pi).
  static double angle_normalize(double x);

private:
  double g_;
  double th_ = 0.0;
  double thdot_ = 0.0;
  int steps_ = 0;
  bool started_ = false;
  std::mt19937_64 rng_;
  double uniform(double lo, double hi);
};

}  // namespace iql
