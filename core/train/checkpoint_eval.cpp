#include "core/nn/archive_io.h"
#include "core/train/checkpoint_eval.h"

#include <torch/torch.h>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/device/device_choice.h"
#include "core/env/env_registry.h"
#include "core/train/agent_settings.h"
#include "core/train/evaluator.h"
#include "core/config/train_config.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/util/errors.h"

namespace iql {

EvalResult evaluate_checkpoint(const std::string& path, const std::string& env, const std::string& physics,
                               int episodes, std::optional<uint64_t> seed, EvaluationPaths* paths,
                               const std::string& device) {
  torch::serialize::InputArchive ar;
  torch::Tensor t;
  TrainConfig cfg;
  try {
    ar.load_from(path);
    t = nn::read_tensor(ar, "trainer.config");
    cfg = TrainConfig::from_json(std::string(reinterpret_cast<const char*>(t.data_ptr<uint8_t>()), t.numel()));
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw DataError(path, "trainer.config", std::string("not a readable IQL Workbench checkpoint: ") + e.what());
  }
  set_threads(cfg.threads);  // the run's setting (auto: the machine's fixed count, as the run recorded)
  if (!env.empty()) cfg.env = env;
  if (!physics.empty()) cfg.physics = physics;
  auto probe_env = make_env(cfg.env, cfg.physics);
  const int64_t o = probe_env->obs_dim(), a = probe_env->act_dim();
  std::unique_ptr<algo::Agent> agent;
  if (cfg.algorithm == "bc") agent = std::make_unique<algo::BehaviourCloning>(o, a, agent_hyperparameters(cfg));
  else agent = std::make_unique<algo::Iql>(o, a, agent_hyperparameters(cfg));
  try {
    agent->load(ar);
  } catch (const std::exception& e) {
    throw DataError(path, "networks", "do not fit env '" + cfg.env + "' (obs " + std::to_string(o) + ", act " +
                                          std::to_string(a) + "): " + e.what());
  }
  if (device::resolve_device(device) == "cuda") agent->to_device(torch::kCUDA, {cfg.seed});
  ObsNormalizer norm;
  t = nn::read_tensor(ar, "trainer.obs_mean");
  norm.mean.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  t = nn::read_tensor(ar, "trainer.obs_std");
  norm.std.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  t = nn::read_tensor(ar, "trainer.action_high");
  const float high = t.item<float>();
  auto policy = [&](const torch::Tensor& x) { return agent->act(x, true); };
  const auto seeds = seed ? train::consecutive_seeds(*seed, episodes)
                         : train::evaluation_seeds(cfg.seed, agent->updates(), episodes);
  auto r = train::evaluate_policy(policy, cfg.env, cfg.physics, seeds, norm, high, paths);
  r.step = agent->updates();
  return r;
}

}  // namespace iql
