// Stored runs into aggregate statistics (core/stats/run_scores.h, aggregate_report.h): two stores
// built here (IQL in one, BC in the other, on two datasets named by path and by name), grouped by
// algorithm and by config; the last, best and final score of each run picked as documented; runs
// without the chosen score left out and named; the report's numbers against hand computation; and the
// errors a user can cause (unknown --group-by/--eval, a store that does not exist, no scores at all).
#include <QtTest/QtTest>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/stats/aggregate_report.h"
#include "core/stats/run_scores.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"

using namespace iql;
using namespace iql::stats;

namespace {
bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

std::int64_t add_run(RunStore& store, const std::string& algorithm, const std::string& dataset, std::int64_t seed,
                     const std::vector<std::pair<std::int64_t, double>>& evals, double expectile = 0.7) {
  RunInfo r;
  r.algorithm = algorithm;
  r.dataset = dataset;
  r.env = "hopper";
  r.seed = seed;
  r.status = "finished";
  r.config_json = nlohmann::json{{"algorithm", algorithm}, {"dataset", dataset}, {"env", "hopper"}, {"seed", seed},
                                 {"expectile", expectile}, {"steps", 2000}}
                      .dump();
  const auto id = store.create_run(r);
  for (const auto& [step, score] : evals) store.add_evaluation(id, {step, score * 30.0, 1.0, score, 10});
  return id;
}
}  // namespace

class TestRunScores : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string iql_db_, bc_db_;
  std::int64_t iql_first_ = 0;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    iql_db_ = dir_.filePath("iql.db").toStdString();
    bc_db_ = dir_.filePath("bc.db").toStdString();
    // IQL last scores: hopper 80, 90, 100; antmaze 60, 70, 86 (the first hopper run was better earlier: 95)
    RunStore iql(iql_db_);
    iql_first_ = add_run(iql, "iql", "/data/hopper-medium-expert-v2.hdf5", 0, {{1000, 95}, {2000, 80}});
    add_run(iql, "iql", "/data/hopper-medium-expert-v2.hdf5", 1, {{1000, 50}, {2000, 90}});
    add_run(iql, "iql", "/data/hopper-medium-expert-v2.hdf5", 2, {{1000, 40}, {2000, 100}});
    add_run(iql, "iql", "antmaze-umaze-v2", 0, {{1000, 20}, {2000, 60}}, 0.9);
    add_run(iql, "iql", "antmaze-umaze-v2", 1, {{1000, 30}, {2000, 70}}, 0.9);
    add_run(iql, "iql", "antmaze-umaze-v2", 2, {{2000, 86}}, 0.9);  // evaluated at 2000 only
    add_run(iql, "iql", "antmaze-umaze-v2", 3, {}, 0.9);             // no evaluation at all: left out
    // BC: hopper 50, 55, 60; antmaze 50, 70, 90 (a different store, a dataset path elsewhere)
    RunStore bc(bc_db_);
    add_run(bc, "bc", "/other/hopper-medium-expert-v2.hdf5", 0, {{2000, 50}});
    add_run(bc, "bc", "/other/hopper-medium-expert-v2.hdf5", 1, {{2000, 55}});
    add_run(bc, "bc", "/other/hopper-medium-expert-v2.hdf5", 2, {{2000, 60}});
    add_run(bc, "bc", "antmaze-umaze-v2", 0, {{2000, 50}});
    add_run(bc, "bc", "antmaze-umaze-v2", 1, {{2000, 70}});
    add_run(bc, "bc", "antmaze-umaze-v2", 2, {{2000, 90}});
  }

  void groupsByAlgorithmAcrossStores() {
    const auto set = load_run_scores({iql_db_, bc_db_}, GroupBy::Algorithm, EvalChoice::Last);
    QCOMPARE(set.tasks, (std::vector<std::string>{"antmaze-umaze-v2", "hopper-medium-expert-v2"}));
    QCOMPARE(set.groups.size(), std::size_t(2));
    QCOMPARE(set.groups[0].label, std::string("iql"));
    QCOMPARE(set.groups[1].label, std::string("bc"));
    QCOMPARE(set.groups[0].scores, (TaskScores{{60, 70, 86}, {80, 90, 100}}));
    QCOMPARE(set.groups[1].scores, (TaskScores{{50, 70, 90}, {50, 55, 60}}));
    QCOMPARE(set.groups[0].run_count(), std::size_t(6));
    QCOMPARE(set.groups[0].runs[1][0].run_id, iql_first_);
    QCOMPARE(set.groups[0].runs[1][0].step, std::int64_t(2000));
    QCOMPARE(set.groups[0].runs[1][0].episodes, 10);
    QCOMPARE(set.left_out.size(), std::size_t(1));
    QVERIFY(set.left_out[0].find("run 7 (iql, antmaze-umaze-v2)") != std::string::npos);
    // the IQM curve's input: at step 1000 five IQL runs (the antmaze seed 2 run has none there)
    QCOMPARE(set.groups[0].curve.size(), std::size_t(2));
    QCOMPARE(set.groups[0].curve[0].step, std::int64_t(1000));
    QCOMPARE(set.groups[0].curve[0].scores, (TaskScores{{20, 30}, {95, 50, 40}}));
  }

  void bestAndFinalScores() {
    const auto best = load_run_scores({iql_db_}, GroupBy::Algorithm, EvalChoice::Best);
    QCOMPARE(best.groups[0].scores, (TaskScores{{60, 70, 86}, {95, 90, 100}}));
    // final: only runs with a final evaluation; the latest row of a run wins
    {
      RunStore store(iql_db_);
      FinalEvaluationRecord f;
      f.step = 2000;
      f.episodes = 100;
      f.seed = 0;
      f.normalized_score = 77.0;
      f.returns = std::vector<double>(100, 1.0);
      store.add_final_evaluation(iql_first_, f);
      f.seed = 5;
      f.normalized_score = 78.5;
      store.add_final_evaluation(iql_first_, f);
    }
    const auto fin = load_run_scores({iql_db_}, GroupBy::Algorithm, EvalChoice::Final);
    QCOMPARE(fin.groups[0].scores, (TaskScores{{78.5}}));
    QCOMPARE(fin.tasks, (std::vector<std::string>{"hopper-medium-expert-v2"}));
    QCOMPARE(fin.groups[0].runs[0][0].episodes, 100);
    QCOMPARE(fin.left_out.size(), std::size_t(6));  // five runs without a final evaluation, one without any
    QVERIFY(fin.left_out[0].find("no final evaluation with a normalised score") != std::string::npos);
  }

  void groupsByConfigWithoutSeedAndDataset() {
    const auto set = load_run_scores({iql_db_, bc_db_}, GroupBy::Config, EvalChoice::Last);
    // iql expectile 0.7 (hopper), iql expectile 0.9 (antmaze), bc 0.7 (both datasets: the dataset is no config)
    QCOMPARE(set.groups.size(), std::size_t(3));
    QCOMPARE(set.groups[0].label, std::string("iql tau=0.7"));
    QCOMPARE(set.groups[1].label, std::string("iql tau=0.9"));
    QCOMPARE(set.groups[2].label, std::string("bc tau=0.7"));
    QCOMPARE(set.groups[2].run_count(), std::size_t(6));
  }

  void reportNumbersByHand() {
    const auto set = load_run_scores({iql_db_, bc_db_}, GroupBy::Algorithm, EvalChoice::Last);
    const auto r = aggregate_report(set, {500, 3, 0.95});
    const auto& iql = r.groups[0].aggregates;
    QCOMPARE(iql.mean.point, 81.0);                       // task means 72 and 90
    QCOMPARE(iql.median.point, 81.0);                     // two tasks: median of task means = their mean
    QCOMPARE(iql.iqm.point, 81.5);                        // 60 [70 80 86 90] 100 -> 326 / 4
    QCOMPARE(iql.optimality_gap.point, 19.0);             // gaps 40 30 14 20 10 0 -> 114 / 6
    QVERIFY(near(r.groups[0].over_runs.std, std::sqrt(206.0)));  // squares 1030 / 5
    const auto& bc = r.groups[1].aggregates;
    QCOMPARE(bc.mean.point, 62.5);
    QCOMPARE(bc.iqm.point, 58.75);                        // 50 [50 55 60 70] 90
    QCOMPARE(bc.optimality_gap.point, 37.5);              // 50 30 10 50 45 40 -> 225 / 6
    QCOMPARE(r.improvements.size(), std::size_t(2));
    // hopper: every IQL run above every BC run (1); antmaze: 4.5 of 9 pairs (ties 1/2) -> (1 + 0.5) / 2
    QCOMPARE(r.improvements[0].probability.point, 0.75);
    QCOMPARE(r.improvements[1].probability.point, 0.25);
    QCOMPARE(r.improvements[0].shared_tasks, std::size_t(2));
    QCOMPARE(r.groups[0].per_task.size(), std::size_t(2));
    QCOMPARE(r.groups[0].per_task[0].task, std::string("antmaze-umaze-v2"));
    QCOMPARE(r.groups[0].per_task[0].runs.mean, 72.0);
    QCOMPARE(r.groups[0].iqm_curve.size(), std::size_t(2));
    QCOMPARE(r.groups[0].iqm_curve[0].runs, 5);
    QCOMPARE(r.groups[0].iqm_curve[0].iqm.point, (30.0 + 40.0 + 50.0) / 3.0);  // 20 [30 40 50] 95
    QCOMPARE(r.groups[0].profile.size(), std::size_t(21));
    QCOMPARE(r.groups[0].profile[16].fraction.point, 0.5);  // above 80: 86, 90, 100 (80 itself is not above)
    for (const auto& g : r.groups)
      for (const Interval& i : {g.aggregates.mean, g.aggregates.iqm, g.aggregates.optimality_gap})
        QVERIFY(i.low <= i.point && i.point <= i.high);
    // the table states the evaluation, resamples and seed; the JSON carries them and the curves
    const std::string table = aggregate_report_table(r);
    QVERIFY(table.find("last in-training evaluation") != std::string::npos);
    QVERIFY(table.find("500 resamples, seed 3") != std::string::npos);
    QVERIFY(table.find("P(iql > bc) = 0.75") != std::string::npos);
    const auto j = nlohmann::json::parse(aggregate_report_json(r));
    QCOMPARE(j["eval"].get<std::string>(), std::string("last"));
    QCOMPARE(j["bootstrap"]["resamples"].get<int>(), 500);
    QCOMPARE(j["groups"][0]["iqm"]["point"].get<double>(), 81.5);
    QCOMPARE(j["groups"][1]["iqm_curve"].size(), std::size_t(1));
  }

  void userErrors() {
    QVERIFY_THROWS_EXCEPTION(ConfigError, parse_group_by("dataset"));
    QVERIFY_THROWS_EXCEPTION(ConfigError, parse_eval_choice("mean"));
    QCOMPARE(parse_eval_choice("final"), EvalChoice::Final);
    try {
      load_run_scores({iql_db_, dir_.filePath("missing.db").toStdString()}, GroupBy::Algorithm, EvalChoice::Last);
      QFAIL("a missing store must throw");
    } catch (const ConfigError& e) {
      QVERIFY(std::string(e.what()).find("missing.db' does not exist") != std::string::npos);
    }
    try {
      load_run_scores({bc_db_}, GroupBy::Algorithm, EvalChoice::Final);
      QFAIL("no final evaluations must throw");
    } catch (const ConfigError& e) {
      const std::string m = e.what();
      QVERIFY(m.find("no run has a normalised score from its final evaluation") != std::string::npos);
      QVERIFY(m.find("run 1 (bc, hopper-medium-expert-v2): no final evaluation") != std::string::npos);
      QVERIFY(m.find("iql runs final-eval") != std::string::npos);
    }
  }
};

QTEST_GUILESS_MAIN(TestRunScores)
#include "test_run_scores.moc"
