// Base for the MuJoCo locomotion envs (Hopper, Walker2d, HalfCheetah, Ant) over MuJoCo's C API,
// reproducing gym v2 (what D4RL recorded) / Gymnasium v4 step for step; see
// shared/reference/environments.md. Subclasses supply the observation and the health rule.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <mujoco/mujoco.h>

#include "core/env/env.h"
#include "core/env/resource_dir.h"  // resource_dir(): where the models are read from

namespace iql {

// Rewrites MJCF text for the "d4rl" physics: MuJoCo >= 2.1.1 integrates capsule inertia exactly,
// the MuJoCo behind D4RL used a cylinder lengthened by r/2 at each end. Every <geom type="capsule">
// inside <worldbody> keeps colliding but gets mass="0", and a non-colliding (contype=conaffinity=0,
// group 3) cylinder with the same pose, radius and half-length h + r/2 (fromto extended by r/2 per
// end) is inserted after it to carry the mass. Requires self-closing geom tags with explicit type
// (our resources/mjcf files); throws ConfigError otherwise.
std::string apply_d4rl_capsule_fix(const std::string& xml);

class MujocoEnv : public Env {
public:
  static constexpr int kMaxEpisodeSteps = 1000;

  enum class ResetNoise {
    kUniformBoth,       // qpos, qvel += U(-scale, scale)            (Hopper, Walker2d)
    kUniformPosNormalVel  // qpos += U(-scale, scale), qvel += scale N(0,1) (HalfCheetah, Ant)
  };

  struct Spec {
    std::string name;        // registry name, e.g. "hopper"
    std::string model_file;  // file under <resource dir>/mjcf/
    int frame_skip = 1;
    double ctrl_cost_weight = 0.0;
    double healthy_reward = 0.0;  // paid every step (gym v2 / v4 with terminate_when_unhealthy)
    ResetNoise noise = ResetNoise::kUniformBoth;
    double noise_scale = 0.0;
  };

  ~MujocoEnv() override;
  MujocoEnv(const MujocoEnv&) = delete;
  MujocoEnv& operator=(const MujocoEnv&) = delete;

  std::string name() const override { return spec_.name; }
  int act_dim() const override { return model_->nu; }
  float action_low() const override { return -1.0f; }
  float action_high() const override { return 1.0f; }
  int max_episode_steps() const override { return kMaxEpisodeSteps; }

  std::vector<float> reset(uint64_t seed) override;
  std::vector<float> reset() override;
  // ctrl = action (MuJoCo clamps to ctrlrange), frame_skip mj_steps. reward = forward velocity +
  // healthy_reward - ctrl_cost_weight * sum(action^2) with the raw action. terminal = !is_healthy()
  // after the step; timeout from the 1000th step of an episode on (independent of terminal).
  // Throws std::logic_error before the first reset()/set_state(), std::invalid_argument on a wrong
  // action size.
  StepResult step(const std::vector<float>& action) override;

  // Starts an episode from an exact state (replay, physics checks): mj_resetData, copy, mj_forward
  // (which renormalises free-joint quaternions in qpos), step count to 0. Throws
  // std::invalid_argument on wrong sizes.
  void set_state(const std::vector<double>& qpos, const std::vector<double>& qvel);
  std::vector<double> qpos() const;
  std::vector<double> qvel() const;
  std::vector<double> init_qpos() const;  // model qpos0 (reset centre); init qvel is zero

  // The health rule applied to the current state; HalfCheetah: always true.
  virtual bool is_healthy() const = 0;
  // The observation of the current state.
  virtual std::vector<float> observation() const = 0;
  // The x coordinate whose change is the forward velocity (qpos[0]; Ant: torso body xpos).
  virtual double x_position() const { return data_->qpos[0]; }

  const std::string& physics() const { return physics_; }
  double dt() const { return model_->opt.timestep * spec_.frame_skip; }
  int frame_skip() const { return spec_.frame_skip; }
  int elapsed_steps() const { return steps_; }
  // Body masses as compiled (index = MuJoCo body id, 0 = world); throws ConfigError on an unknown
  // body name.
  std::vector<double> body_masses() const;
  double body_mass(const std::string& body) const;
  const mjModel* model() const { return model_; }
  const mjData* data() const { return data_; }

protected:
  // physics: "d4rl" or "gymnasium-v4". Throws ConfigError naming the file if it cannot be loaded.
  MujocoEnv(Spec spec, const std::string& physics);
  // edit_xml rewrites the model text before compilation (AntMaze inserts its maze walls).
  MujocoEnv(Spec spec, const std::string& physics, const std::function<std::string(const std::string&)>& edit_xml);
  // State vector entries in gym's state_vector() order (qpos then qvel).
  std::vector<double> state_vector() const;

  mjModel* model_ = nullptr;
  mjData* data_ = nullptr;
  int steps_ = 0;         // steps since the last reset/set_state (subclasses overriding step count too)
  bool started_ = false;  // a reset/set_state happened

private:
  Spec spec_;
  std::string physics_;
  std::mt19937_64 rng_;
  double uniform(double lo, double hi);
  double normal();
};

}  // namespace iql
