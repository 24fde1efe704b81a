#include "core/train/goal_reaching_policy.h"

#include <torch/torch.h>

#include <cmath>
#include <fstream>

#include "core/data/npz_reader.h"
#include "core/env/mujoco_env.h"
#include "core/util/errors.h"

namespace iql {

struct GoalReachingPolicy::Weights {
  torch::Tensor w0, b0, w1, b1, wm, bm, ws, bs;
};

namespace {

torch::Tensor take(const std::map<std::string, NpyArray>& arrays, const std::string& path, const std::string& key,
                   std::vector<int64_t> shape) {
  std::string want = "(";
  for (size_t i = 0; i < shape.size(); ++i) want += (i ? ", " : "") + std::to_string(shape[i]);
  want += shape.size() == 1 ? ",)" : ")";
  const auto it = arrays.find(key);
  if (it == arrays.end()) throw DataError(path, key, "missing array, expected float32 " + want);
  const NpyArray& a = it->second;
  if (a.shape != shape || a.kind != 'f')
    throw DataError(path, key, "has shape " + a.shape_str() + " dtype " + a.descr + ", expected float " + want);
  auto t = torch::empty(shape, torch::kFloat32);
  float* p = t.data_ptr<float>();
  for (int64_t i = 0; i < a.count(); ++i) {
    p[i] = static_cast<float>(a.value(static_cast<size_t>(i)));
    if (!std::isfinite(p[i])) throw DataError(path, key, "holds a non-finite value at flat index " + std::to_string(i));
  }
  return t;
}

}  // namespace

std::string GoalReachingPolicy::default_path() { return resource_dir() + "/antmaze/goal_reaching_policy.npz"; }

GoalReachingPolicy::GoalReachingPolicy(const std::string& path) {
  if (!std::ifstream(path))
    throw DataError(path, "", "AntMaze goal-reaching policy weights not found (D4RL's, shipped as "
                              "resources/antmaze/goal_reaching_policy.npz; set IQL_RESOURCE_DIR to the resources folder)");
  const auto arrays = read_npz_arrays(path);
  auto w = std::make_shared<Weights>();
  w->w0 = take(arrays, path, "fc0.weight", {kHidden, kInputDim});
  w->b0 = take(arrays, path, "fc0.bias", {kHidden});
  w->w1 = take(arrays, path, "fc1.weight", {kHidden, kHidden});
  w->b1 = take(arrays, path, "fc1.bias", {kHidden});
  w->wm = take(arrays, path, "last_fc.weight", {kActDim, kHidden});
  w->bm = take(arrays, path, "last_fc.bias", {kActDim});
  w->ws = take(arrays, path, "last_fc_log_std.weight", {kActDim, kHidden});
  w->bs = take(arrays, path, "last_fc_log_std.bias", {kActDim});
  w_ = std::move(w);
}

void GoalReachingPolicy::forward(const float* in, int n, float* mean, float* log_std) const {
  torch::NoGradGuard no_grad;
  const auto x = torch::from_blob(const_cast<float*>(in), {n, kInputDim}, torch::kFloat32);
  auto h = torch::relu(torch::addmm(w_->b0, x, w_->w0.t()));
  h = torch::relu(torch::addmm(w_->b1, h, w_->w1.t()));
  const auto m = torch::addmm(w_->bm, h, w_->wm.t()).contiguous();
  const auto s = torch::clamp(torch::addmm(w_->bs, h, w_->ws.t()), -20.0, 2.0).contiguous();
  std::copy_n(m.data_ptr<float>(), n * kActDim, mean);
  std::copy_n(s.data_ptr<float>(), n * kActDim, log_std);
}

void GoalReachingPolicy::sample(const float* in, int n, const float* eps, float* out) const {
  std::vector<float> mean(static_cast<size_t>(n) * kActDim), log_std(mean.size());
  forward(in, n, mean.data(), log_std.data());
  for (size_t i = 0; i < mean.size(); ++i) out[i] = std::tanh(mean[i] + std::exp(log_std[i]) * eps[i]);
}

void GoalReachingPolicy::make_input(const float* obs, double wx, double wy, float* in) {
  for (int i = 0; i < 27; ++i) in[i] = obs[2 + i];
  double gx = wx - obs[0], gy = wy - obs[1];
  const double norm = std::sqrt(gx * gx + gy * gy);
  // D4RL divides by the norm unguarded (a NaN at norm 0, practically never hit); keep it finite.
  const double k = norm > 0.0 ? 10.0 / norm : 0.0;
  in[27] = static_cast<float>(gx * k);
  in[28] = static_cast<float>(gy * k);
}

}  // namespace iql
