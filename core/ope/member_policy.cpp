#include "core/nn/archive_io.h"
#include "core/ope/member_policy.h"

#include <torch/torch.h>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/data/preprocess.h"
#include "core/train/agent_settings.h"
#include "core/train/run_data.h"
#include "core/util/errors.h"

namespace iql::ope {

namespace {
constexpr int64_t kChunk = 32768;  // rows per forward pass (bounds activation memory)

std::vector<float> floats_of(const torch::Tensor& t) {
  auto c = t.contiguous().to(torch::kFloat);
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Rows of `src` (row-major, dim wide) picked by `rows`, normalised as the member saw them.
torch::Tensor member_obs(const std::vector<float>& src, int dim, const std::vector<int64_t>& rows,
                         const ObsNormalizer& norm) {
  std::vector<float> out;
  out.reserve(rows.size() * dim);
  for (int64_t r : rows) out.insert(out.end(), src.begin() + r * dim, src.begin() + (r + 1) * dim);
  if (norm.enabled()) norm.apply(out.data(), static_cast<int64_t>(rows.size()), dim);
  return torch::from_blob(out.data(), {static_cast<int64_t>(rows.size()), dim}, torch::kFloat).clone();
}

std::vector<int64_t> range_rows(int64_t from, int64_t to) {
  std::vector<int64_t> r;
  for (int64_t i = from; i < to; ++i) r.push_back(i);
  return r;
}

std::string text_tensor(const torch::Tensor& t) {
  return std::string(reinterpret_cast<const char*>(t.data_ptr<uint8_t>()), t.numel());
}
}  // namespace

CheckpointHeader read_checkpoint_header(const std::string& path) {
  torch::serialize::InputArchive ar;
  CheckpointHeader h;
  try {
    ar.load_from(path);
    h.config = TrainConfig::from_json(text_tensor(nn::read_tensor(ar, "trainer.config")));
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw DataError(path, "trainer.config", std::string("not a readable IQL Workbench checkpoint: ") + e.what());
  }
  return h;
}

MemberPolicyOutputs evaluate_member_policy(const std::string& path, const Dataset& d,
                                           const std::vector<int64_t>& start_rows, int64_t td_rows) {
  torch::NoGradGuard no_grad;
  MemberPolicyOutputs out;
  out.header = read_checkpoint_header(path);
  const TrainConfig& cfg = out.header.config;
  torch::serialize::InputArchive ar;
  ar.load_from(path);
  const int64_t o = d.obs_dim, a = d.act_dim, n = d.size();
  std::unique_ptr<algo::Agent> agent;
  if (cfg.algorithm == "bc") agent = std::make_unique<algo::BehaviourCloning>(o, a, agent_hyperparameters(cfg));
  else agent = std::make_unique<algo::Iql>(o, a, agent_hyperparameters(cfg));
  try {
    agent->load(ar);
  } catch (const std::exception& e) {
    throw DataError(path, "networks", "do not fit the dataset's dimensions (obs " + std::to_string(o) + ", act " +
                                          std::to_string(a) + "): " + e.what());
  }
  out.header.step = agent->updates();
  ObsNormalizer norm;
  auto t = nn::read_tensor(ar, "trainer.obs_mean");
  norm.mean.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  t = nn::read_tensor(ar, "trainer.obs_std");
  norm.std.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());

  // The policy at every next observation (in chunks) and at the initial states.
  out.next_actions.reserve(n * a);
  for (int64_t from = 0; from < n; from += kChunk) {
    auto x = member_obs(d.next_observations, o, range_rows(from, std::min(n, from + kChunk)), norm);
    auto act = floats_of(agent->act(x, true));
    out.next_actions.insert(out.next_actions.end(), act.begin(), act.end());
  }
  auto s0 = member_obs(d.observations, o, start_rows, norm);
  auto a0 = agent->act(s0, true);
  out.start_actions = floats_of(a0);

  auto* iql = dynamic_cast<algo::Iql*>(agent.get());
  if (!iql) return out;
  CriticSignals c;
  c.reward_mode = applied_reward_mode(cfg);
  {  // the member's reward scale, from the episode returns as training computed it
    Dataset r;
    r.rewards = d.rewards;
    r.episode_starts = d.episode_starts;
    c.reward_scale = preprocess_rewards(r, c.reward_mode);
  }
  const double gamma = cfg.discount;
  // Member units -> raw reward units: locomotion scales rewards by reward_scale; antmaze shifts them by
  // -1 every step, which over an episode that runs on adds -sum gamma^t ~ -1 / (1 - gamma).
  auto to_raw = [&](const torch::Tensor& v) {
    if (c.reward_mode == "locomotion") return v / c.reward_scale;
    if (c.reward_mode == "antmaze") return v + 1.0 / (1.0 - gamma);
    return v;
  };
  auto q0 = std::get<0>(iql->target_critic().forward(torch::cat({s0, a0}, 1), false).min(0)).view({-1});
  auto v0 = iql->value().forward(s0, false).view({-1});
  auto q0r = to_raw(q0.to(torch::kDouble)).contiguous(), v0r = to_raw(v0.to(torch::kDouble)).contiguous();
  c.q_s0.assign(q0r.data_ptr<double>(), q0r.data_ptr<double>() + q0r.numel());
  c.v_s0.assign(v0r.data_ptr<double>(), v0r.data_ptr<double>() + v0r.numel());

  // TD error of the critics to the member's own target r + gamma (1 - terminal) V(s'), its reward units.
  std::vector<int64_t> rows;
  const int64_t m = td_rows > 0 ? std::min(td_rows, n) : n;
  for (int64_t i = 0; i < m; ++i) rows.push_back(i * n / m);
  double sq = 0.0;
  for (size_t from = 0; from < rows.size(); from += kChunk) {
    std::vector<int64_t> part(rows.begin() + from, rows.begin() + std::min(rows.size(), from + kChunk));
    auto s = member_obs(d.observations, o, part, norm), s2 = member_obs(d.next_observations, o, part, norm);
    std::vector<float> act, rew, cont;
    for (int64_t r : part) {
      act.insert(act.end(), d.actions.begin() + r * a, d.actions.begin() + (r + 1) * a);
      const double raw = d.rewards[r];
      rew.push_back(static_cast<float>(c.reward_mode == "locomotion" ? raw * c.reward_scale
                                       : c.reward_mode == "antmaze"  ? raw - 1.0
                                                                     : raw));
      cont.push_back(d.terminals[r] ? 0.0f : static_cast<float>(gamma));
    }
    const auto k = static_cast<int64_t>(part.size());
    auto at = torch::from_blob(act.data(), {k, a}, torch::kFloat);
    auto y = torch::from_blob(rew.data(), {k}, torch::kFloat) +
             torch::from_blob(cont.data(), {k}, torch::kFloat) * iql->value().forward(s2, false).view({-1});
    auto q = iql->critic().forward(torch::cat({s, at}, 1), false).view({2, k});
    sq += (q - y.unsqueeze(0)).pow(2).sum().item<double>();
  }
  c.td_rms = std::sqrt(sq / (2.0 * static_cast<double>(rows.size())));
  if (c.reward_mode == "locomotion") c.td_rms /= c.reward_scale;
  out.critic = std::move(c);
  return out;
}

}  // namespace iql::ope
