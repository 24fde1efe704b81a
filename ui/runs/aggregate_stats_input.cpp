#include "ui/runs/aggregate_stats_input.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <exception>
#include <map>

#include "core/store/run_store.h"

namespace iqlui {

namespace st = iql::stats;

int StatsOutcome::runs() const {
  int n = 0;
  for (const auto& g : set.groups) n += int(g.run_count());
  return n;
}

st::RunScoreSet restrictToRuns(st::RunScoreSet set, const std::set<std::int64_t>& ids, iql::RunStore& store) {
  // tasks any kept run is on, in the loader's (sorted) order
  std::vector<bool> used(set.tasks.size(), false);
  for (const auto& g : set.groups)
    for (std::size_t t = 0; t < g.runs.size(); ++t)
      for (const auto& r : g.runs[t]) used[t] = used[t] || ids.count(r.run_id) > 0;
  std::vector<std::string> tasks;
  std::vector<std::size_t> newIndex(set.tasks.size(), 0);
  for (std::size_t t = 0; t < set.tasks.size(); ++t)
    if (used[t]) {
      newIndex[t] = tasks.size();
      tasks.push_back(set.tasks[t]);
    }
  std::vector<st::ScoreGroup> groups;
  for (auto& g : set.groups) {
    st::ScoreGroup kept;
    kept.label = g.label;
    kept.key = g.key;
    kept.scores.assign(tasks.size(), {});
    kept.runs.assign(tasks.size(), {});
    bool lost = false;
    std::size_t n = 0;
    for (std::size_t t = 0; t < g.runs.size(); ++t)
      for (const auto& r : g.runs[t]) {
        if (!ids.count(r.run_id)) {
          lost = true;
          continue;
        }
        kept.scores[newIndex[t]].push_back(r.score);
        kept.runs[newIndex[t]].push_back(r);
        ++n;
      }
    if (n == 0) continue;
    if (!lost) {  // the loader's own curve, on the narrowed task list
      for (auto& step : g.curve) {
        st::StepScores s{step.step, st::TaskScores(tasks.size())};
        for (std::size_t t = 0; t < step.scores.size(); ++t)
          if (used[t]) s.scores[newIndex[t]] = std::move(step.scores[t]);
        kept.curve.push_back(std::move(s));
      }
    } else {  // as the loader builds it: each kept run's normalised evaluations, one score per step
      std::map<std::int64_t, st::TaskScores> byStep;
      for (std::size_t t = 0; t < kept.runs.size(); ++t)
        for (const auto& r : kept.runs[t]) {
          std::map<std::int64_t, double> curve;
          for (const auto& e : store.evaluations(r.run_id))
            if (e.normalized_score) curve[e.step] = *e.normalized_score;
          for (const auto& [step, score] : curve) {
            auto& at = byStep[step];
            if (at.empty()) at.assign(tasks.size(), {});
            at[t].push_back(score);
          }
        }
      for (auto& [step, scores] : byStep) kept.curve.push_back({step, std::move(scores)});
    }
    groups.push_back(std::move(kept));
  }
  set.tasks = std::move(tasks);
  set.groups = std::move(groups);
  set.left_out.clear();  // the loader's list covers the whole store; the caller counts the compared ones
  return set;
}

StatsOutcome computeAggregateStats(const StatsRequest& request) {
  QElapsedTimer clock;
  clock.start();
  StatsOutcome out;
  out.request = request;
  const std::set<std::int64_t> ids(request.runIds.begin(), request.runIds.end());
  try {
    if (ids.empty()) {
      out.error = QCoreApplication::translate("AggregateStats", "No runs compared.");
      return out;
    }
    iql::RunStore store(request.db, iql::RunStore::Mode::read_only);
    out.set = restrictToRuns(st::load_run_scores({request.db}, request.groupBy, request.eval), ids, store);
    out.leftOut = int(ids.size()) - out.runs();
    for (const auto& g : out.set.groups)
      for (const auto& task : g.runs)
        for (const auto& r : task) {
          out.finalEpisodesMin = out.finalEpisodesMin == 0 ? r.episodes : std::min(out.finalEpisodesMin, r.episodes);
          out.finalEpisodesMax = std::max(out.finalEpisodesMax, r.episodes);
        }
    if (out.set.groups.empty()) {
      out.error = QCoreApplication::translate("AggregateStats", "None of the %1 compared runs has a normalised score from its %2 evaluation.")
                      .arg(ids.size())
                      .arg(QString::fromStdString(st::eval_choice_name(request.eval)));
      if (request.eval == st::EvalChoice::Final) out.error += QCoreApplication::translate("AggregateStats", " Run iql runs final-eval on them first.");
    } else {
      out.report = st::aggregate_report(out.set, request.bootstrap);
    }
  } catch (const std::exception& e) {  // the loader's "no run has a score" names the store's runs
    out.leftOut = int(ids.size());
    out.error = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
  }
  out.milliseconds = double(clock.nsecsElapsed()) / 1e6;
  return out;
}

}  // namespace iqlui
