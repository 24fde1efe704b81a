// The environment interface every simulator implements (Pendulum, MuJoCo locomotion).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace iql {

struct StepResult {
  std::vector<float> observation;  // next observation
  double reward = 0.0;
  bool terminal = false;  // true environment termination: no bootstrapping past it
  bool timeout = false;   // time-limit truncation: bootstrapping continues
};

class Env {
public:
  virtual ~Env() = default;
  virtual std::string name() const = 0;
  virtual int obs_dim() const = 0;
  virtual int act_dim() const = 0;
  virtual float action_low() const = 0;   // same bound for every dimension
  virtual float action_high() const = 0;
  virtual int max_episode_steps() const = 0;
  // Seeds the environment's own RNG (reset noise) and returns the first observation.
  virtual std::vector<float> reset(uint64_t seed) = 0;
  // Continues with the internal RNG (next episode from the same stream).
  virtual std::vector<float> reset() = 0;
  // Applies an action in the environment's own units (Pendulum: torque in [-2, 2]).
  virtual StepResult step(const std::vector<float>& action) = 0;
};

}  // namespace iql
