#include "core/stats/aggregate_report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace iql::stats {

namespace {
using nlohmann::json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json interval_json(const Interval& i) { return {{"point", num(i.point)}, {"low", num(i.low)}, {"high", num(i.high)}}; }
json summary_json(const Summary& s) {
  return {{"n", s.count}, {"mean", num(s.mean)}, {"std", num(s.std)}, {"min", num(s.min)}, {"max", num(s.max)}};
}

std::string interval_text(const Interval& i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%6.1f [%6.1f, %6.1f]", i.point, i.low, i.high);
  return buf;
}

std::vector<double> flatten(const TaskScores& s) {
  std::vector<double> out;
  for (const auto& t : s) out.insert(out.end(), t.begin(), t.end());
  return out;
}
}  // namespace

std::vector<double> default_profile_taus() { return threshold_grid(0.0, 100.0, 21); }

AggregateReport aggregate_report(const RunScoreSet& set, const BootstrapSettings& bootstrap,
                                 const std::vector<double>& profile_taus, double gamma) {
  AggregateReport r;
  r.eval = set.eval;
  r.group_by = set.group_by;
  r.bootstrap = bootstrap;
  r.gamma = gamma;
  r.dbs = set.dbs;
  r.tasks = set.tasks;
  r.profile_taus = profile_taus;
  r.left_out = set.left_out;
  for (const auto& g : set.groups) {
    GroupStatistics s;
    s.label = g.label;
    s.runs = g.run_count();
    s.over_runs = summarize(flatten(g.scores), StdConvention::Sample);  // seeds: as every other table
    s.aggregates = aggregate_intervals(g.scores, bootstrap, gamma);
    for (std::size_t t = 0; t < g.scores.size(); ++t) {
      if (g.scores[t].empty()) continue;
      ++s.tasks;
      s.per_task.push_back({set.tasks[t], summarize(g.scores[t], StdConvention::Sample),
                            stratified_bootstrap({g.scores[t]}, aggregate_iqm, bootstrap)});
    }
    s.profile = performance_profile(g.scores, profile_taus, bootstrap);
    s.iqm_curve = iqm_curve(g.curve, bootstrap);
    r.groups.push_back(std::move(s));
  }
  for (std::size_t x = 0; x < set.groups.size(); ++x)
    for (std::size_t y = 0; y < set.groups.size(); ++y) {
      if (x == y) continue;
      Improvement im;
      im.x = x;
      im.y = y;
      for (std::size_t t = 0; t < set.tasks.size(); ++t)
        im.shared_tasks += !set.groups[x].scores[t].empty() && !set.groups[y].scores[t].empty();
      im.probability = probability_of_improvement_interval(set.groups[x].scores, set.groups[y].scores, bootstrap);
      r.improvements.push_back(im);
    }
  return r;
}

std::string aggregate_report_table(const AggregateReport& r) {
  std::ostringstream os;
  char buf[512];
  os << "Aggregate statistics of normalised scores (0 = random, 100 = expert), grouped by " << group_by_name(r.group_by)
     << "\n";
  os << "score: " << eval_choice_description(r.eval) << "\n";
  std::snprintf(buf, sizeof buf, "intervals: %.0f%% stratified bootstrap (runs resampled within each dataset), %d resamples, seed %llu\n",
                r.bootstrap.confidence * 100.0, r.bootstrap.resamples, static_cast<unsigned long long>(r.bootstrap.seed));
  os << buf;
  std::snprintf(buf, sizeof buf, "optimality gap: mean of max(%g - score, 0); std: sample (n - 1) over runs\n", r.gamma);
  os << buf << "stores:";
  for (const auto& d : r.dbs) os << " " << d;
  os << "\n\n";
  for (const auto& g : r.groups) {
    std::snprintf(buf, sizeof buf, "%s  (%zu run%s, %zu dataset%s)\n", g.label.c_str(), g.runs, g.runs == 1 ? "" : "s",
                  g.tasks, g.tasks == 1 ? "" : "s");
    os << buf;
    std::snprintf(buf, sizeof buf, "  mean +- std    %6.1f +- %.1f\n", g.over_runs.mean, g.over_runs.std);
    os << buf;
    os << "  mean           " << interval_text(g.aggregates.mean) << "\n";
    os << "  median         " << interval_text(g.aggregates.median) << "\n";
    os << "  IQM            " << interval_text(g.aggregates.iqm) << "\n";
    os << "  optimality gap " << interval_text(g.aggregates.optimality_gap) << "\n";
    for (const auto& t : g.per_task) {
      std::snprintf(buf, sizeof buf, "    %-28s n=%-3zu mean %6.1f +- %5.1f   IQM %s\n", t.task.c_str(), t.runs.count,
                    t.runs.mean, t.runs.std, interval_text(t.iqm).c_str());
      os << buf;
    }
  }
  if (!r.improvements.empty()) {
    os << "\nprobability of improvement P(X > Y) (Mann-Whitney per dataset, ties 1/2, averaged over shared datasets)\n";
    for (const auto& im : r.improvements) {
      std::snprintf(buf, sizeof buf, "  P(%s > %s) = %.2f [%.2f, %.2f]  (%zu shared dataset%s)\n",
                    r.groups[im.x].label.c_str(), r.groups[im.y].label.c_str(), im.probability.point, im.probability.low,
                    im.probability.high, im.shared_tasks, im.shared_tasks == 1 ? "" : "s");
      os << buf;
    }
  }
  os << "\nperformance profile: fraction of runs scoring above tau\n";
  for (const auto& g : r.groups) {
    os << "  " << g.label << ":";
    for (const auto& p : g.profile)
      if (p.tau == 25.0 || p.tau == 50.0 || p.tau == 75.0 || p.tau == 100.0) {
        std::snprintf(buf, sizeof buf, "  >%g %.2f [%.2f, %.2f]", p.tau, p.fraction.point, p.fraction.low, p.fraction.high);
        os << buf;
      }
    os << "\n";
  }
  if (!r.left_out.empty()) {
    os << "\nleft out (" << r.left_out.size() << "):\n";
    for (const auto& l : r.left_out) os << "  " << l << "\n";
  }
  return os.str();
}

std::string aggregate_report_json(const AggregateReport& r) {
  json j;
  j["eval"] = eval_choice_name(r.eval);
  j["eval_description"] = eval_choice_description(r.eval);
  j["group_by"] = group_by_name(r.group_by);
  j["bootstrap"] = {{"resamples", r.bootstrap.resamples},
                    {"seed", r.bootstrap.seed},
                    {"confidence", r.bootstrap.confidence},
                    {"method", "stratified percentile (runs resampled within each dataset)"}};
  j["optimality_gap_gamma"] = r.gamma;
  j["std_convention"] = "sample (n - 1)";
  j["dbs"] = r.dbs;
  j["tasks"] = r.tasks;
  j["groups"] = json::array();
  for (const auto& g : r.groups) {
    json gj{{"label", g.label},
            {"runs", g.runs},
            {"tasks", g.tasks},
            {"over_runs", summary_json(g.over_runs)},
            {"mean", interval_json(g.aggregates.mean)},
            {"median", interval_json(g.aggregates.median)},
            {"iqm", interval_json(g.aggregates.iqm)},
            {"optimality_gap", interval_json(g.aggregates.optimality_gap)}};
    gj["per_task"] = json::array();
    for (const auto& t : g.per_task)
      gj["per_task"].push_back({{"task", t.task}, {"runs", summary_json(t.runs)}, {"iqm", interval_json(t.iqm)}});
    gj["profile"] = json::array();
    for (const auto& p : g.profile) gj["profile"].push_back({{"tau", p.tau}, {"fraction", interval_json(p.fraction)}});
    gj["iqm_curve"] = json::array();
    for (const auto& c : g.iqm_curve) gj["iqm_curve"].push_back({{"step", c.step}, {"runs", c.runs}, {"iqm", interval_json(c.iqm)}});
    j["groups"].push_back(gj);
  }
  j["probability_of_improvement"] = json::array();
  for (const auto& im : r.improvements)
    j["probability_of_improvement"].push_back({{"x", r.groups[im.x].label},
                                               {"y", r.groups[im.y].label},
                                               {"shared_tasks", im.shared_tasks},
                                               {"probability", interval_json(im.probability)}});
  j["left_out"] = r.left_out;
  return j.dump(2);
}

}  // namespace iql::stats
