#include "core/train/d4rl_generator.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <mutex>
#include <random>

#include "core/algo/sac.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/data/replay_buffer.h"
#include "core/env/env_registry.h"
#include "core/env/normalized_score.h"
#include "core/util/errors.h"

namespace iql {

namespace {
const std::vector<std::string> kKinds = {"random", "medium", "medium-replay", "expert", "medium-expert"};

using ActionFn = std::function<std::vector<float>(const std::vector<float>&)>;

// Rolls a policy out for exactly n transitions (episodes cut by terminal or time limit).
Dataset record(Env& env, const ActionFn& policy, int64_t n, uint64_t seed, const std::string& name) {
  ReplayBuffer buf(env.obs_dim(), env.act_dim(), std::max<int64_t>(n, 1));
  auto obs = env.reset(seed);
  for (int64_t i = 0; i < n; ++i) {
    auto a = policy(obs);
    auto r = env.step(a);
    buf.add(obs.data(), a.data(), static_cast<float>(r.reward), r.observation.data(), r.terminal, r.timeout);
    obs = (r.terminal || r.timeout) ? env.reset() : r.observation;
  }
  auto d = buf.to_dataset();
  d.source = name;
  return d;
}

double evaluate(Env& env, algo::Sac& sac, int episodes, uint64_t seed) {
  double total = 0.0;
  for (int e = 0; e < episodes; ++e) {
    auto obs = env.reset(seed + e);
    for (;;) {
      auto a = sac.act(torch::from_blob(obs.data(), {1, env.obs_dim()}).clone(), true).contiguous();
      auto r = env.step(std::vector<float>(a.data_ptr<float>(), a.data_ptr<float>() + env.act_dim()));
      total += r.reward;
      if (r.terminal || r.timeout) break;
      obs = r.observation;
    }
  }
  return total / episodes;
}

void tag(Dataset& d, const GenerationOptions& o, const std::string& kind, double behaviour_return) {
  d.source = o.env + "-" + kind;
  d.metadata["generator"] = "iql-workbench d4rl-style SAC";
  d.metadata["env"] = o.env;
  d.metadata["physics"] = o.physics;
  d.metadata["kind"] = kind;
  d.metadata["seed"] = std::to_string(o.seed);
  d.metadata["behaviour_return"] = std::to_string(behaviour_return);  // deterministic evaluation of the policy
  // What the data itself holds, so a reader can check a file against its metadata.
  d.rebuild_episode_index();
  auto returns = d.episode_returns();
  double sum = 0.0;
  for (double r : returns) sum += r;
  d.metadata["transitions"] = std::to_string(d.size());
  d.metadata["episodes"] = std::to_string(returns.size());
  d.metadata["return_mean"] = std::to_string(returns.empty() ? 0.0 : sum / returns.size());
}
}  // namespace

const Dataset& GeneratedDatasets::by_kind(const std::string& kind) const {
  if (kind == "random") return random;
  if (kind == "medium") return medium;
  if (kind == "medium-replay") return medium_replay;
  if (kind == "expert") return expert;
  if (kind == "medium-expert") return medium_expert;
  throw ConfigError("unknown dataset kind '" + kind + "' (random, medium, medium-replay, expert, medium-expert)");
}

std::pair<std::string, std::string> split_dataset_name(const std::string& name) {
  for (const auto& k : {"medium-replay", "medium-expert", "random", "medium", "expert"}) {
    const std::string suffix = std::string("-") + k;
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return {name.substr(0, name.size() - suffix.size()), k};
  }
  throw ConfigError("dataset name '" + name + "': expected ENV-KIND with KIND one of random, medium, medium-replay, "
                    "expert, medium-expert");
}

namespace {
// Uniform random actions in [-1, 1] from their own stream (not the one SAC's warm-up uses), so the
// random kind is the same whether generated alone or with the whole pipeline.
Dataset record_random(const GenerationOptions& o) {
  auto env = make_env(o.env, o.physics);
  std::mt19937_64 rng(o.seed ^ 0x72616e646f6dULL);  // "random"
  std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
  const int ad = env->act_dim();
  auto random_action = [&](const std::vector<float>&) {
    std::vector<float> a(ad);
    for (auto& v : a) v = uni(rng);
    return a;
  };
  if (o.on_progress) o.on_progress("random", 0, o.transitions, 0.0);
  auto d = record(*env, random_action, o.transitions, o.seed + 1, o.env + "-random");
  auto r = d.episode_returns();
  double sum = 0.0;
  for (double v : r) sum += v;
  tag(d, o, "random", r.empty() ? 0.0 : sum / r.size());
  d.metadata["generator"] = "iql-workbench d4rl-style uniform random actions";
  return d;
}

void hand_out(const GenerationOptions& o, const std::string& kind, const Dataset& d) {
  if (o.on_dataset) o.on_dataset(kind, d);
}

// A stochastic-policy recording that leaves torch's RNG stream (SAC's exploration and updates) as it
// was, so taking it in the middle of SAC training does not change the training.
template <class F>
Dataset record_keeping_torch_rng(F&& rec) {
  auto gen = at::detail::getDefaultCPUGenerator();
  torch::Tensor state;
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    state = gen.get_state();
  }
  Dataset d = rec();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
  return d;
}
}  // namespace

Dataset generate_random_dataset(const GenerationOptions& o) {
  if (o.transitions < 1) throw ConfigError("transitions: expected a positive integer");
  auto d = record_random(o);
  hand_out(o, "random", d);
  return d;
}

GeneratedDatasets generate_d4rl_style(const GenerationOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  auto ref = reference_returns(o.env);
  if (!ref) throw ConfigError("env '" + o.env + "' has no reference returns, so 'medium' is undefined");
  set_threads(o.threads);
  GeneratedDatasets g;
  g.random = generate_random_dataset(o);  // needs no policy: first, and on disk before SAC starts

  torch::manual_seed(o.seed);
  auto env = make_env(o.env, o.physics);
  auto eval_env = make_env(o.env, o.physics);
  auto record_env = make_env(o.env, o.physics);  // recordings never disturb SAC's own episode
  const int od = env->obs_dim(), ad = env->act_dim();
  g.medium_threshold = ref->min + o.medium_fraction * (ref->max - ref->min);

  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
  auto random_action = [&](const std::vector<float>&) {
    std::vector<float> a(ad);
    for (auto& v : a) v = uni(rng);
    return a;
  };
  algo::Sac sac(od, ad, algo::SacConfig{o.hidden});
  auto sac_action = [&](const std::vector<float>& obs) {
    auto a = sac.act(torch::from_blob(const_cast<float*>(obs.data()), {1, od}).clone(), false).contiguous();
    return std::vector<float>(a.data_ptr<float>(), a.data_ptr<float>() + ad);
  };
  // medium and medium-replay from the current SAC policy, recorded and handed out at once.
  auto take_medium = [&](const ReplayBuffer& replay) {
    g.medium_replay = replay.to_dataset();
    tag(g.medium_replay, o, "medium-replay", g.medium_policy_return);
    g.medium_replay.metadata["medium_at_sac_step"] = std::to_string(g.medium_at_step);
    hand_out(o, "medium-replay", g.medium_replay);
    if (o.on_progress) o.on_progress("medium", 0, o.transitions, 0.0);
    g.medium = record_keeping_torch_rng(
        [&] { return record(*record_env, sac_action, o.transitions, o.seed + 2, o.env + "-medium"); });
    tag(g.medium, o, "medium", g.medium_policy_return);
    hand_out(o, "medium", g.medium);
  };

  // SAC with its whole replay buffer kept (medium-replay is that buffer up to the medium snapshot).
  ReplayBuffer replay(od, ad, std::max<int64_t>(o.sac_steps, 1));
  bool have_medium = false;
  auto obs = env->reset(o.seed);
  double last_return = 0.0;
  std::mt19937_64 batch_rng(o.seed + 1);
  for (int64_t step = 1; step <= o.sac_steps; ++step) {
    auto a = step <= o.start_steps ? random_action(obs) : sac_action(obs);
    auto r = env->step(a);
    replay.add(obs.data(), a.data(), static_cast<float>(r.reward), r.observation.data(), r.terminal, r.timeout);
    obs = (r.terminal || r.timeout) ? env->reset() : r.observation;
    if (step > o.start_steps / 10 && replay.size() >= 256) {
      auto idx = replay.sample_indices(256, batch_rng);
      auto bo = torch::empty({256, od}), ba = torch::empty({256, ad}), bn = torch::empty({256, od});
      auto br = torch::empty({256}), bt = torch::empty({256});
      for (int k = 0; k < 256; ++k) {
        std::copy_n(replay.obs(idx[k]), od, bo.data_ptr<float>() + k * od);
        std::copy_n(replay.act(idx[k]), ad, ba.data_ptr<float>() + k * ad);
        std::copy_n(replay.next_obs(idx[k]), od, bn.data_ptr<float>() + k * od);
        br.data_ptr<float>()[k] = replay.reward(idx[k]);
        bt.data_ptr<float>()[k] = replay.terminal(idx[k]) ? 1.f : 0.f;
      }
      sac.update({bo, ba, br, bn, bt});
    }
    if (step % o.eval_interval == 0 || step == o.sac_steps) {
      last_return = evaluate(*eval_env, sac, o.eval_episodes, o.seed + 100000 + step);
      if (o.on_progress) o.on_progress("sac", step, o.sac_steps, last_return);
      if (!have_medium && last_return >= g.medium_threshold) {
        have_medium = true;
        g.medium_policy_return = last_return;
        g.medium_at_step = step;
        take_medium(replay);
      }
    }
  }
  g.expert_policy_return = last_return;
  if (!have_medium) {  // never reached medium: the final policy stands in, and that is recorded
    g.medium_policy_return = last_return;
    take_medium(replay);
  }

  if (o.on_progress) o.on_progress("expert", 0, o.transitions, 0.0);
  g.expert = record(*record_env, sac_action, o.transitions, o.seed + 3, o.env + "-expert");
  tag(g.expert, o, "expert", g.expert_policy_return);
  hand_out(o, "expert", g.expert);

  g.medium_expert = g.medium;
  auto append = [](std::vector<float>& a, const std::vector<float>& b) { a.insert(a.end(), b.begin(), b.end()); };
  append(g.medium_expert.observations, g.expert.observations);
  append(g.medium_expert.next_observations, g.expert.next_observations);
  append(g.medium_expert.actions, g.expert.actions);
  append(g.medium_expert.rewards, g.expert.rewards);
  g.medium_expert.terminals.insert(g.medium_expert.terminals.end(), g.expert.terminals.begin(), g.expert.terminals.end());
  g.medium_expert.timeouts.insert(g.medium_expert.timeouts.end(), g.expert.timeouts.begin(), g.expert.timeouts.end());
  g.medium_expert.rebuild_episode_index();
  auto r = g.medium_expert.episode_returns();
  double sum = 0.0;
  for (double v : r) sum += v;
  tag(g.medium_expert, o, "medium-expert", r.empty() ? 0.0 : sum / r.size());
  hand_out(o, "medium-expert", g.medium_expert);
  g.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return g;
}

}  // namespace iql
