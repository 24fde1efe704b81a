#include "core/env/pendulum.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace iql {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

PendulumEnv::PendulumEnv(double gravity) : g_(gravity), rng_(0) {}

double PendulumEnv::angle_normalize(double x) {
  // Python's % takes the sign of the divisor; std::fmod takes the dividend's, so fix negatives.
  double r = std::fmod(x + kPi, 2.0 * kPi);
  if (r < 0.0) r += 2.0 * kPi;
  return r - kPi;
}

// 53 random bits -> [0, 1): explicit so the stream is the same on every standard library
// (std::uniform_real_distribution's algorithm is implementation-defined).
double PendulumEnv::uniform(double lo, double hi) {
  const double u = static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
  return lo + (hi - lo) * u;
}

std::vector<float> PendulumEnv::reset(uint64_t seed) {
  rng_.seed(seed);
  return reset();
}

std::vector<float> PendulumEnv::reset() {
  const double th = uniform(-kPi, kPi);
  const double thdot = uniform(-1.0, 1.0);
  set_state(th, thdot);
  return observation();
}

void PendulumEnv::set_state(double theta, double theta_dot) {
  th_ = theta;
  thdot_ = theta_dot;
  steps_ = 0;
  started_ = true;
}

std::vector<float> PendulumEnv::observation() const {
  return {static_cast<float>(std::cos(th_)), static_cast<float>(std::sin(th_)),
          static_cast<float>(thdot_)};
}

StepResult PendulumEnv::step(const std::vector<float>& action) {
  if (!started_) throw std::logic_error("PendulumEnv::step called before reset()");
  if (action.size() != 1)
    throw std::invalid_argument("PendulumEnv::step: expected 1 action value, got " +
                                std::to_string(action.size()));
  const double u = std::clamp(static_cast<double>(action[0]), -kMaxTorque, kMaxTorque);
  // Cost is computed on the pre-step state, exactly as Gym does.
  const double an = angle_normalize(th_);
  const double cost = an * an + 0.1 * thdot_ * thdot_ + 0.001 * u * u;

  double newthdot = thdot_ + (3.0 * g_ / (2.0 * kLength) * std::sin(th_) +
                              3.0 / (kMass * kLength * kLength) * u) * kDt;
  newthdot = std::clamp(newthdot, -kMaxSpeed, kMaxSpeed);
  th_ = th_ + newthdot * kDt;  // semi-implicit Euler: uses the new velocity
  thdot_ = newthdot;
  ++steps_;

  StepResult r;
  r.observation = observation();
  r.reward = -cost;
  r.terminal = false;
  r.timeout = steps_ >= kMaxEpisodeSteps;
  return r;
}

}  // namespace iql
