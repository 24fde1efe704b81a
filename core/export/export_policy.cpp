#include "core/export/export_policy.h"

#include <torch/torch.h>

#include "core/nn/archive_io.h"
#include "core/util/errors.h"

namespace iql::exporting {

namespace {
std::vector<float> to_floats(const torch::Tensor& t) {
  auto c = t.to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}
}  // namespace

int64_t ExportPolicy::num_parameters() const {
  int64_t n = static_cast<int64_t>(log_std_raw.size());
  for (const auto& l : layers) n += static_cast<int64_t>(l.weight.size() + l.bias.size());
  return n;
}

ExportPolicy read_export_policy(const std::string& path) {
  ExportPolicy p;
  p.checkpoint = path;
  torch::serialize::InputArchive ar;
  torch::Tensor actor, log_std;
  try {
    ar.load_from(path);
    auto t = nn::read_tensor(ar, "trainer.config");
    p.config_json.assign(reinterpret_cast<const char*>(t.data_ptr<uint8_t>()), t.numel());
  } catch (const std::exception&) {
    throw DataError(path, "trainer.config", "not a readable IQL Workbench checkpoint");
  }
  p.config = TrainConfig::from_json(p.config_json);
  const std::string prefix = p.config.algorithm == "bc" ? "bc." : "iql.";
  try {
    actor = nn::read_tensor(ar, prefix + "actor");
    log_std = nn::read_tensor(ar, prefix + "log_std");
    p.step = nn::read_tensor(ar, prefix == "bc." ? "bc.counters" : "iql.step")[0].item<int64_t>();
    p.obs_mean = to_floats(nn::read_tensor(ar, "trainer.obs_mean"));
    p.obs_std = to_floats(nn::read_tensor(ar, "trainer.obs_std"));
    p.action_high = nn::read_tensor(ar, "trainer.action_high").item<float>();
  } catch (const c10::Error& e) {
    throw DataError(path, prefix + "actor", std::string("checkpoint holds no complete actor: ") + e.what_without_backtrace());
  }
  // The trunk is {obs, hidden, hidden, act} (nn::Policy), stored flat as W [in, out] then b [out] per
  // layer; the observation size follows from the parameter count.
  const int64_t h = p.config.hidden, a = log_std.numel(), total = actor.numel();
  const int64_t rest = total - (h + h * h + h + h * a + a);
  if (h <= 0 || a <= 0 || rest <= 0 || rest % h != 0)
    throw DataError(path, prefix + "actor", std::to_string(total) + " parameters do not fit a policy of hidden " +
                                                std::to_string(h) + " and " + std::to_string(a) + " actions");
  p.obs_dim = rest / h;
  p.act_dim = a;
  p.gaussian = p.config.policy != "deterministic";
  const std::vector<int64_t> dims{p.obs_dim, h, h, a};
  const float* src = actor.contiguous().data_ptr<float>();
  for (size_t l = 0; l + 1 < dims.size(); ++l) {
    DenseLayer layer;
    layer.in = dims[l];
    layer.out = dims[l + 1];
    layer.weight.resize(layer.in * layer.out);
    for (int64_t i = 0; i < layer.in; ++i)  // [in, out] -> [out, in]
      for (int64_t o = 0; o < layer.out; ++o) layer.weight[o * layer.in + i] = src[i * layer.out + o];
    src += layer.in * layer.out;
    layer.bias.assign(src, src + layer.out);
    src += layer.out;
    p.layers.push_back(std::move(layer));
  }
  p.log_std_raw = to_floats(log_std);
  if (!p.obs_mean.empty() && (static_cast<int64_t>(p.obs_mean.size()) != p.obs_dim || p.obs_std.size() != p.obs_mean.size()))
    throw DataError(path, "trainer.obs_mean", "normaliser of " + std::to_string(p.obs_mean.size()) +
                                                  " values for " + std::to_string(p.obs_dim) + " observations");
  p.action_scale.assign(a, p.action_high);  // the workbench's bound is symmetric: [-high, high]
  p.action_bias.assign(a, 0.0f);
  return p;
}

}  // namespace iql::exporting
