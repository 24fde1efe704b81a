// iql ope: offline policy evaluation of a run or of every member of a population at once (FQE and the
// members' own critic signals, core/ope/offline_evaluation.h), judged against true scores where stored.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/ope/offline_evaluation.h"
#include "core/ope/true_scores.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/store/run_selection.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {
// RUN_ID,RUN_ID,... as given, or one selector: a run, a population (its members in member order) or a
// sweep (select_runs). A sweep's runs are grouped by dataset, since FQE fits each group on one dataset.
std::vector<std::vector<int64_t>> resolve_runs(RunStore& store, const std::string& target) {
  std::vector<int64_t> ids;
  bool numeric = !target.empty();
  for (const auto& part : split_comma_list(target)) {
    try {
      size_t used = 0;
      ids.push_back(std::stoll(part, &used));
      if (used != part.size()) numeric = false;
    } catch (const std::exception&) {
      numeric = false;
    }
  }
  if (numeric && !ids.empty()) return {ids};
  const RunSelection sel = select_runs(store, target);
  std::vector<std::string> order;
  std::map<std::string, std::vector<int64_t>> by_dataset;
  for (const auto& r : sel.runs) {
    const std::string key = r.dataset + "\n" + r.env;
    if (!by_dataset.count(key)) order.push_back(key);
    by_dataset[key].push_back(r.id);
  }
  std::vector<std::vector<int64_t>> groups;
  for (const auto& key : order) groups.push_back(by_dataset[key]);
  return groups;
}

std::string fmt(double v, int prec = 1) {
  if (std::isnan(v)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}
std::string interval_text(const stats::Interval& i, int prec = 2) {
  return fmt(i.point, prec) + " [" + fmt(i.low, prec) + ", " + fmt(i.high, prec) + "]";
}
// The estimate as users read it: normalised score where there is one, else the return.
double shown(const ope::OpeEstimate& e) { return e.normalized_score ? *e.normalized_score : e.value; }

nlohmann::json interval_json(const stats::Interval& i) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"point", num(i.point)}, {"low", num(i.low)}, {"high", num(i.high)}};
}

// One dataset's runs: FQE fits them together on that dataset. With json_out, their object is appended
// to it; else the table is printed.
void evaluate_group(RunStore& store, const std::vector<int64_t>& ids, const ope::OpeSettings& s, std::string rank_by,
                    nlohmann::json* json_out) {
  const auto r = ope::evaluate_runs_offline(store, ids, s, [&](const std::string& line) {
    std::fprintf(stderr, "[ope] %s\n", line.c_str());
  });
  std::vector<std::optional<ope::TrueScore>> truth;
  size_t with_truth = 0;
  for (const auto& m : r.members) {
    truth.push_back(ope::true_score(store, m.run_id));
    with_truth += truth.back().has_value();
  }
  const auto selection = ope::selection_by_method(r, truth, s.bootstrap);
  const double per_member = r.fqe_ran ? r.fqe_seconds / r.members.size() : 0.0;
  const double per_million =
      r.fqe_ran ? r.fqe_seconds / (static_cast<double>(r.fqe_transitions_trained()) / 1e6) : 0.0;
  if (rank_by.empty()) rank_by = s.fqe ? "fqe" : "critic_q_s0";

  if (json_out) {
    nlohmann::json j{{"dataset", r.dataset},         {"env", r.env},
                     {"transitions", r.transitions}, {"initial_states", r.initial_states},
                     {"max_episode_steps", r.max_episode_steps}, {"policy_seconds", r.policy_seconds}};
    if (r.fqe_ran)
      j["fqe"] = {{"steps", r.fqe_settings.steps},
                  {"batch", r.fqe_settings.batch},
                  {"seconds", r.fqe_seconds},
                  {"seconds_per_member", per_member},
                  {"transitions_trained", r.fqe_transitions_trained()},
                  {"seconds_per_million_transitions", per_million}};
    j["members"] = nlohmann::json::array();
    for (size_t k = 0; k < r.members.size(); ++k) {
      const auto& m = r.members[k];
      nlohmann::json mj{{"run_id", m.run_id}, {"name", m.name}, {"step", m.step}};
      for (const auto& e : m.estimates) {
        nlohmann::json ej{{"value", e.value}, {"interval", interval_json(e.interval)},
                          {"higher_is_better", e.higher_is_better},
                          {"details", nlohmann::json::parse(e.details_json)}};
        if (e.normalized_score) ej["normalized_score"] = *e.normalized_score;
        mj["estimates"][e.method] = ej;
      }
      if (truth[k]) {
        mj["true"] = {{"return_mean", truth[k]->return_mean}, {"episodes", truth[k]->episodes},
                      {"step", truth[k]->step}, {"source", truth[k]->source()}};
        if (truth[k]->normalized_score) mj["true"]["normalized_score"] = *truth[k]->normalized_score;
      }
      j["members"].push_back(mj);
    }
    j["selection"] = nlohmann::json::array();
    for (const auto& ms : selection)
      j["selection"].push_back({{"method", ms.method},
                                {"members", ms.members},
                                {"truth_normalized", ms.normalized},
                                {"spearman", interval_json(ms.stats.spearman)},
                                {"regret_at_1", interval_json(ms.stats.regret_at_1)},
                                {"regret_at_3", interval_json(ms.stats.regret_at_3)}});
    json_out->push_back(j);
    return;
  }

  std::printf("offline evaluation of %zu run(s) on %s (%s): %lld transitions, %lld initial states\n",
              r.members.size(), r.dataset.c_str(), r.env.c_str(), static_cast<long long>(r.transitions),
              static_cast<long long>(r.initial_states));
  std::printf("values: normalised score where the env has references, else the per-episode return; "
              "td error in raw reward per step (lower is better)\n\n");
  std::printf("%6s %8s  %-26s %9s %9s %9s  %-30s\n", "run", "step", "fqe [95% CI over s0]", "own Q(s0)", "own V(s0)",
              "td error", "true score (source)");
  for (size_t k = 0; k < r.members.size(); ++k) {
    const auto& m = r.members[k];
    auto col = [&](const char* method) {
      const auto* e = m.find(method);
      return e ? fmt(e->higher_is_better ? shown(*e) : e->value, e->higher_is_better ? 1 : 3) : std::string("-");
    };
    std::string f = "-";
    if (const auto* e = m.find("fqe")) {
      stats::Interval iv = e->interval;
      if (e->normalized_score) {
        const auto d = nlohmann::json::parse(e->details_json);
        iv = {*e->normalized_score, d.value("normalized_low", NAN), d.value("normalized_high", NAN)};
      }
      f = interval_text(iv, 1);
    }
    std::string t = "none stored";
    if (truth[k])
      t = fmt(truth[k]->normalized_score ? *truth[k]->normalized_score : truth[k]->return_mean) + " (" +
          truth[k]->source() + ")";
    std::printf("%6lld %8lld  %-26s %9s %9s %9s  %s\n", static_cast<long long>(m.run_id),
                static_cast<long long>(m.step), f.c_str(), col("critic_q_s0").c_str(), col("critic_v_s0").c_str(),
                col("critic_td_error").c_str(), t.c_str());
  }
  if (!selection.empty()) {
    std::printf("\nhow far each estimate can be trusted, over the %zu members with a true score "
                "(95%% bootstrap intervals over members, %d resamples, seed %llu; regret in %s):\n",
                with_truth, s.bootstrap.resamples, static_cast<unsigned long long>(s.bootstrap.seed),
                selection[0].normalized ? "normalised score" : "return");
    std::printf("%-16s %-24s %-24s %-24s\n", "method", "spearman", "regret@1", "regret@3");
    for (const auto& ms : selection)
      std::printf("%-16s %-24s %-24s %-24s\n", ms.method.c_str(), interval_text(ms.stats.spearman).c_str(),
                  interval_text(ms.stats.regret_at_1, 1).c_str(), interval_text(ms.stats.regret_at_3, 1).c_str());
  } else {
    std::vector<size_t> order;
    for (size_t k = 0; k < r.members.size(); ++k)
      if (r.members[k].find(rank_by)) order.push_back(k);
    if (order.empty()) throw ConfigError("iql ope: no member has the estimate '" + rank_by + "' to rank by");
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      return r.members[x].find(rank_by)->ranking_value() > r.members[y].find(rank_by)->ranking_value();
    });
    std::printf("\nno true scores stored: members ranked by %s (best first; interval: 95%% bootstrap over initial "
                "states)\n", rank_by.c_str());
    for (size_t i = 0; i < order.size(); ++i) {
      const auto& m = r.members[order[i]];
      const auto* e = m.find(rank_by);
      std::string what = "td error (lower is better) " + fmt(e->value, 3);
      if (e->higher_is_better && e->normalized_score) {
        const auto d = nlohmann::json::parse(e->details_json);
        what = "normalised score " + interval_text({*e->normalized_score, d.value("normalized_low", NAN),
                                                    d.value("normalized_high", NAN)}, 1);
      } else if (e->higher_is_better) {
        what = "return " + interval_text(e->interval, 1);
      }
      std::printf("%3zu. run %lld  %s  %s\n", i + 1, static_cast<long long>(m.run_id), m.name.c_str(), what.c_str());
    }
  }
  if (r.fqe_ran)
    std::printf("\nFQE: %.1f s for %zu members fitted together (%.1f s per member), %lld steps x batch %lld: "
                "%.1f s per 1M transitions trained; reading policies and critics %.1f s\n",
                r.fqe_seconds, r.members.size(), per_member, static_cast<long long>(r.fqe_settings.steps),
                static_cast<long long>(r.fqe_settings.batch), per_million, r.policy_seconds);
  if (s.store) std::printf("stored in %s (ope_estimates)\n", store.path().c_str());
}

}  // namespace

int cmd_ope(const ArgList& argv) {
  Args a("ope", "RUN_ID[,RUN_ID...]|POPULATION_ID|SWEEP_ID [--db FILE] [--method fqe|critic|all] [--steps N] [--json]",
         "Offline policy evaluation: estimates each run's policy (its latest checkpoint) from its dataset alone.\n"
         "fqe fits Fitted Q Evaluation for every member at once (one batched model); critic reads the cheap\n"
         "signals of each IQL member's own networks: Q(s0, pi(s0)), V(s0) and its TD error. Estimates are\n"
         "stored in the run store (ope_estimates). Where true scores are stored (final evaluations, else the\n"
         "last evaluation) it prints Spearman's rank correlation, regret@1 and regret@3 with 95% bootstrap\n"
         "intervals over members; otherwise members ranked by the estimate, with its interval over initial\n"
         "states. A sweep's runs are evaluated one dataset at a time. See docs/offline-selection.md.",
         {{"db", "FILE", "run store (default in the XDG data dir)", ""},
          {"method", "NAME", "fqe, critic or all", "all"},
          {"steps", "N", "FQE gradient steps", "20000"},
          {"batch", "N", "FQE batch per member", "256"},
          {"hidden", "N", "FQE hidden units (2 layers)", "256"},
          {"lr", "LR", "FQE Adam learning rate", "0.0003"},
          {"polyak", "RATE", "FQE target network update rate", "0.005"},
          {"seed", "S", "FQE seed (initialisation, batches) and bootstrap seed", "0"},
          {"rank-by", "METHOD", "estimate to rank by without true scores (fqe, critic_q_s0, critic_v_s0, critic_td_error)", ""},
          {"threads", "N", "torch intra-op threads", "2"},
          {"no-store", "", "do not write the estimates to the store", ""},
          {"json", "", "machine-readable output", ""}},
         {"TARGET"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql ope: missing RUN_ID, POPULATION_ID or SWEEP_ID (see iql runs list)");
  const std::string method = a.str("method");
  if (method != "fqe" && method != "critic" && method != "all")
    throw ConfigError("iql ope: --method expects fqe, critic or all, got '" + method + "'");
  ope::OpeSettings s;
  s.fqe = method != "critic";
  s.critic = method != "fqe";
  s.fqe_settings.steps = a.integer("steps");
  s.fqe_settings.batch = a.integer("batch");
  s.fqe_settings.hidden = a.integer("hidden");
  s.fqe_settings.lr = a.num("lr");
  s.fqe_settings.polyak = a.num("polyak");
  s.fqe_settings.seed = static_cast<uint64_t>(a.integer("seed"));
  s.bootstrap.seed = s.fqe_settings.seed;
  s.store = !a.flag("no-store");
  if (s.fqe_settings.steps < 1 || s.fqe_settings.batch < 1 || s.fqe_settings.hidden < 1)
    throw ConfigError("iql ope: --steps, --batch and --hidden expect positive integers");
  set_threads(static_cast<int>(a.integer("threads")));
  const bool json = a.flag("json");

  RunStore store(a.str("db").empty() ? RunStore::default_path() : a.str("db"));
  const auto groups = resolve_runs(store, a.positional()[0]);
  nlohmann::json all = nlohmann::json::array();
  for (size_t g = 0; g < groups.size(); ++g) {
    if (g && !json) std::printf("\n");
    evaluate_group(store, groups[g], s, a.str("rank-by"), json ? &all : nullptr);
  }
  if (json) std::printf("%s\n", (all.size() == 1 ? all[0] : nlohmann::json{{"datasets", all}}).dump(2).c_str());
  return 0;
}

}  // namespace iql::cli
