#include "core/export/workbench_policy.h"

#include <limits>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/export/export_policy.h"
#include "core/nn/archive_io.h"
#include "core/train/agent_settings.h"
#include "core/util/errors.h"

namespace iql::exporting {

WorkbenchPolicy::~WorkbenchPolicy() = default;

WorkbenchPolicy::WorkbenchPolicy(const std::string& checkpoint) {
  const ExportPolicy p = read_export_policy(checkpoint);  // dims and normaliser, with clear errors
  obs_dim_ = p.obs_dim;
  act_dim_ = p.act_dim;
  gaussian_ = p.gaussian;
  action_high_ = p.action_high;
  if (p.normalizes()) {
    obs_mean_ = torch::tensor(p.obs_mean);
    obs_std_ = torch::tensor(p.obs_std);
  }
  const auto hp = agent_hyperparameters(p.config);
  if (p.config.algorithm == "bc") agent_ = std::make_unique<algo::BehaviourCloning>(obs_dim_, act_dim_, hp);
  else agent_ = std::make_unique<algo::Iql>(obs_dim_, act_dim_, hp);
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(checkpoint);
    agent_->load(ar);
  } catch (const c10::Error& e) {
    throw DataError(checkpoint, "networks", std::string("do not load: ") + e.what_without_backtrace());
  }
}

PolicyOutputs WorkbenchPolicy::forward(const torch::Tensor& raw_obs) {
  torch::NoGradGuard no_grad;
  // ObsNormalizer::apply's arithmetic, (x - mean) / std, on a copy
  auto x = obs_mean_.defined() ? (raw_obs - obs_mean_) / obs_std_ : raw_obs;
  nn::Policy& policy = agent_->name() == "bc" ? static_cast<algo::BehaviourCloning&>(*agent_).policy()
                                               : static_cast<algo::Iql&>(*agent_).policy();
  PolicyOutputs out;
  out.mean = policy.mean(x);
  out.action = agent_->act(x, true) * action_high_;  // the evaluator's scaling (population_evaluator.cpp)
  const int64_t n = raw_obs.size(0);
  out.log_std = gaussian_ ? policy.clipped_log_std().unsqueeze(0).expand({n, act_dim_}).contiguous()
                          : torch::full({n, act_dim_}, -std::numeric_limits<float>::infinity());
  return out;
}

}  // namespace iql::exporting
