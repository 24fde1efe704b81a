// D4RL's low-level AntMaze policy (rlkit SAC TanhGaussianPolicy, ant_hierarch_pol.pkl), the policy
// that walked the ant to waypoints when D4RL generated its AntMaze data. Weights are plain float32
// arrays in resources/antmaze/goal_reaching_policy.npz (Apache-2.0, LICENSE-D4RL beside it):
// fc0 (256x29), fc1 (256x256), last_fc (8x256, the mean), last_fc_log_std (8x256), each .weight
// [out, in] and .bias. Forward: h = relu(W0 x + b0), h = relu(W1 h + b1), mean = Wm h + bm,
// log_std = clamp(Ws h + bs, -20, 2); a sample is tanh(mean + exp(log_std) eps).
// Rows are independent, so many episodes share one batched forward. Torch-free header.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace iql {

class GoalReachingPolicy {
public:
  static constexpr int kInputDim = 29, kHidden = 256, kActDim = 8;

  // resource_dir() + "/antmaze/goal_reaching_policy.npz"
  static std::string default_path();
  // Throws DataError naming the file (missing: says where it should be) or the array and its
  // expected shape.
  explicit GoalReachingPolicy(const std::string& path = default_path());

  // in: n rows of kInputDim; mean, log_std: n rows of kActDim (log_std clamped to [-20, 2]).
  void forward(const float* in, int n, float* mean, float* log_std) const;
  // out = tanh(mean + exp(log_std) * eps), eps: n rows of kActDim standard normals.
  void sample(const float* in, int n, const float* eps, float* out) const;

  // The policy's input for a 29-dim AntMaze observation (qpos[0:15], qvel[0:14]) steered toward
  // (wx, wy): qpos[2:15], qvel[0:14], then (waypoint - xy) rescaled to length 10 (D4RL's
  // _goal_reaching_policy_fn).
  static void make_input(const float* obs, double wx, double wy, float* in);

private:
  struct Weights;
  std::shared_ptr<const Weights> w_;
};

}  // namespace iql
