#include "core/ope/offline_evaluation.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/env/env_registry.h"
#include "core/env/normalized_score.h"
#include "core/ope/member_policy.h"
#include "core/ope/return_scale.h"
#include "core/store/run_store.h"
#include "core/train/run_data.h"
#include "core/util/errors.h"

namespace iql::ope {

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double mean_of(const std::vector<double>& v, const std::vector<size_t>& idx) {
  double s = 0.0;
  for (size_t i : idx) s += v[i];
  return idx.empty() ? kNaN : s / static_cast<double>(idx.size());
}

// Normalised score of the value and of its interval bounds (the map is affine and increasing).
void add_normalized(OpeEstimate& e, const std::string& env, nlohmann::json& details) {
  e.normalized_score = normalized_score(env, e.value);
  if (!e.normalized_score) return;
  details["normalized_low"] = normalized_score(env, e.interval.low).value_or(kNaN);
  details["normalized_high"] = normalized_score(env, e.interval.high).value_or(kNaN);
}

nlohmann::json conversion_json(const EpisodeReturnEstimate& c) {
  return {{"discounted", c.discounted},
          {"discounted_steps", c.discounted_steps},
          {"episode_length", std::isinf(c.length) ? nlohmann::json("inf") : nlohmann::json(c.length)},
          {"episode_length_used", c.length_used},
          {"per_step_reward", c.per_step}};
}

// A critic signal given per initial state (discounted, raw reward units), converted assuming every
// episode runs to the time limit (the member's critic has no step count of its own).
OpeEstimate critic_estimate(const std::string& method, const std::vector<double>& per_start, double gamma, int H,
                            const std::string& env, const stats::BootstrapSettings& bs, nlohmann::json details) {
  OpeEstimate e;
  e.method = method;
  const auto convert = [&](double v) { return episode_return_full_length(v, gamma, H).episode_return; };
  const auto iv = stats::index_bootstrap(
      per_start.size(), [&](const std::vector<size_t>& idx) { return mean_of(per_start, idx); }, bs);
  const auto c = episode_return_full_length(iv.point, gamma, H);
  e.discounted = iv.point;
  e.value = c.episode_return;
  e.interval = {e.value, convert(iv.low), convert(iv.high)};
  details.update(conversion_json(c));
  details["conversion"] = "full-length episodes assumed (H = time limit)";
  details["gamma"] = gamma;
  details["low"] = e.interval.low;
  details["high"] = e.interval.high;
  add_normalized(e, env, details);
  e.details_json = details.dump();
  return e;
}
}  // namespace

double OpeEstimate::ranking_value() const {
  if (!higher_is_better) return -value;
  return normalized_score ? *normalized_score : value;
}

const OpeEstimate* OpeMemberResult::find(const std::string& method) const {
  for (const auto& e : estimates)
    if (e.method == method) return &e;
  return nullptr;
}

OpeResult evaluate_runs_offline(RunStore& store, const std::vector<int64_t>& run_ids, const OpeSettings& s,
                                const std::function<void(const std::string&)>& log) {
  auto say = [&](const std::string& line) {
    if (log) log(line);
  };
  if (run_ids.empty()) throw ConfigError("offline evaluation: no runs given");
  OpeResult out;
  std::vector<CheckpointHeader> headers;
  for (int64_t id : run_ids) {
    auto run = store.get_run(id);
    if (!run) throw ConfigError("offline evaluation: no run " + std::to_string(id) + " in " + store.path());
    auto ck = store.latest_checkpoint(id);
    if (!ck) throw ConfigError("offline evaluation: run " + std::to_string(id) + " has no checkpoint");
    OpeMemberResult m;
    m.run_id = id;
    m.name = run->name;
    m.checkpoint = ck->path;
    headers.push_back(read_checkpoint_header(ck->path));
    const auto& c = headers.back().config;
    if (c.dataset != headers[0].config.dataset || c.env != headers[0].config.env)
      throw ConfigError("offline evaluation: run " + std::to_string(id) + " was trained on " + c.dataset + " (" + c.env +
                        "), run " + std::to_string(run_ids[0]) + " on " + headers[0].config.dataset + " (" +
                        headers[0].config.env + "): FQE fits every member on one dataset");
    out.members.push_back(std::move(m));
  }
  const auto t_policy = std::chrono::steady_clock::now();
  // The data as every member saw it, before their own reward and observation preprocessing: raw
  // rewards (the return scale), raw observations, actions clipped and scaled to [-1, 1].
  TrainConfig raw_cfg = headers[0].config;
  raw_cfg.algorithm = "iql";
  raw_cfg.reward_mode = "none";
  raw_cfg.normalize_obs = false;
  say("loading " + raw_cfg.dataset);
  const PreparedData prepared = prepare_run_data({raw_cfg});
  const Dataset& data = prepared.data;
  out.dataset = raw_cfg.dataset;
  out.env = raw_cfg.env;
  out.max_episode_steps = make_env(raw_cfg.env, raw_cfg.physics)->max_episode_steps();
  out.transitions = data.size();
  out.initial_states = data.num_episodes();
  const int H = out.max_episode_steps;

  FqeProblem problem;
  problem.data = &data;
  problem.start_rows = data.episode_starts;
  std::vector<std::optional<CriticSignals>> critics;
  for (size_t k = 0; k < out.members.size(); ++k) {
    auto mo = evaluate_member_policy(out.members[k].checkpoint, data, problem.start_rows, s.td_rows);
    out.members[k].step = mo.header.step;
    problem.discount.push_back(mo.header.config.discount);
    problem.next_actions.push_back(std::move(mo.next_actions));
    problem.start_actions.push_back(std::move(mo.start_actions));
    critics.push_back(std::move(mo.critic));
    say("run " + std::to_string(out.members[k].run_id) + ": policy read at step " + std::to_string(mo.header.step));
  }
  out.policy_seconds = seconds_since(t_policy);

  if (s.fqe) {
    out.fqe_settings = s.fqe_settings;
    say("FQE: " + std::to_string(out.members.size()) + " members, " + std::to_string(s.fqe_settings.steps) +
        " steps of batch " + std::to_string(s.fqe_settings.batch) + " on " + std::to_string(data.size()) +
        " transitions, " + std::to_string(problem.start_rows.size()) + " initial states");
    auto fr = fit_fqe(problem, s.fqe_settings, [&](int64_t step, int64_t total) {
      if (step % 5000 == 0 || step == total) say("FQE step " + std::to_string(step) + "/" + std::to_string(total));
    });
    out.fqe_ran = true;
    out.fqe_seconds = fr.seconds;
    for (size_t k = 0; k < out.members.size(); ++k) {
      const auto& fm = fr.members[k];
      const double gamma = problem.discount[k];
      auto convert = [&](const std::vector<size_t>& idx) {
        return episode_return(mean_of(fm.per_start, idx), mean_of(fm.survival_per_start, idx), gamma, H).episode_return;
      };
      OpeEstimate e;
      e.method = "fqe";
      e.interval = stats::index_bootstrap(fm.per_start.size(), convert, s.bootstrap);
      const auto c = episode_return(fm.value, fm.survival, gamma, H);
      e.value = c.episode_return;
      e.discounted = fm.value;
      nlohmann::json d = conversion_json(c);
      d["conversion"] = "R = V / S * min(T, H), T from S = sum_{t<T} gamma^t (core/ope/return_scale.h)";
      d["gamma"] = gamma;
      d["low"] = e.interval.low;
      d["high"] = e.interval.high;
      d["fqe_td_rms"] = fm.td_rms;
      d["steps"] = fr.steps;
      d["batch"] = fr.batch;
      d["hidden"] = s.fqe_settings.hidden;
      d["lr"] = s.fqe_settings.lr;
      d["polyak"] = s.fqe_settings.polyak;
      d["seed"] = s.fqe_settings.seed;
      d["members_fitted_together"] = out.members.size();
      d["seconds_all_members"] = fr.seconds;
      d["initial_states"] = fm.per_start.size();
      d["transitions"] = data.size();
      add_normalized(e, out.env, d);
      e.details_json = d.dump();
      out.members[k].estimates.push_back(std::move(e));
    }
  }
  if (s.critic) {
    for (size_t k = 0; k < out.members.size(); ++k) {
      if (!critics[k]) continue;  // BC has no critic
      const auto& c = *critics[k];
      const double gamma = problem.discount[k];
      const nlohmann::json base{{"reward_mode", c.reward_mode}, {"reward_scale", c.reward_scale},
                                {"initial_states", c.q_s0.size()}};
      auto& est = out.members[k].estimates;
      est.push_back(critic_estimate("critic_q_s0", c.q_s0, gamma, H, out.env, s.bootstrap, base));
      est.push_back(critic_estimate("critic_v_s0", c.v_s0, gamma, H, out.env, s.bootstrap, base));
      OpeEstimate td;
      td.method = "critic_td_error";
      td.value = c.td_rms;
      td.discounted = kNaN;
      td.interval = {c.td_rms, kNaN, kNaN};
      td.higher_is_better = false;
      nlohmann::json d = base;
      d["rows"] = s.td_rows > 0 ? std::min<int64_t>(s.td_rows, data.size()) : data.size();
      d["lower_is_better"] = true;
      d["units"] = "raw reward per step";
      td.details_json = d.dump();
      est.push_back(std::move(td));
    }
  }
  if (s.store)
    for (const auto& m : out.members)
      for (const auto& e : m.estimates) {
        OpeEstimateRecord r;
        r.step = m.step;
        r.method = e.method;
        r.value = e.value;
        r.normalized_score = e.normalized_score;
        r.details_json = e.details_json;
        store.add_ope_estimate(m.run_id, r);
      }
  return out;
}

}  // namespace iql::ope
