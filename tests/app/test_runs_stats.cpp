// `iql runs stats` as a real process on two stores built here (IQL in one, BC in the other, on two
// datasets): the JSON's mean, median, IQM, optimality gap, std and P(X > Y) equal values computed by
// hand in this file; the table states the evaluation, resamples and seed; the same seed gives the same
// intervals; and user errors (unknown --group-by or --eval, a missing store, no final evaluations) exit
// non-zero with a message that names the problem.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/store/run_store.h"
#include "tests/app/iql_process.h"

using namespace iql;

namespace {
iql::test::IqlResult run_iql(const QStringList& args, const QString& home) {
  return iql::test::run_iql(args, home, 120000);
}

void add_run(RunStore& store, const std::string& algorithm, const std::string& dataset, std::int64_t seed, double score) {
  RunInfo r;
  r.algorithm = algorithm;
  r.dataset = dataset;
  r.seed = seed;
  r.status = "finished";
  r.config_json = nlohmann::json{{"dataset", dataset}, {"seed", seed}}.dump();
  const auto id = store.create_run(r);
  store.add_evaluation(id, {1000, score, 0.0, score, 10});
}

double point(const QJsonObject& group, const char* key) { return group[key].toObject()["point"].toDouble(); }
}  // namespace

class TestRunsStats : public QObject {
  Q_OBJECT
  QTemporaryDir home_;
  QString iql_db_, bc_db_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    iql_db_ = home_.filePath("iql.db");
    bc_db_ = home_.filePath("bc.db");
    RunStore iql(iql_db_.toStdString());
    for (auto [seed, s] : {std::pair{0, 80.0}, {1, 90.0}, {2, 100.0}}) add_run(iql, "iql", "hopper-medium-expert-v2", seed, s);
    for (auto [seed, s] : {std::pair{0, 60.0}, {1, 70.0}, {2, 86.0}}) add_run(iql, "iql", "antmaze-umaze-v2", seed, s);
    RunStore bc(bc_db_.toStdString());
    for (auto [seed, s] : {std::pair{0, 50.0}, {1, 55.0}, {2, 60.0}}) add_run(bc, "bc", "hopper-medium-expert-v2", seed, s);
    for (auto [seed, s] : {std::pair{0, 50.0}, {1, 70.0}, {2, 90.0}}) add_run(bc, "bc", "antmaze-umaze-v2", seed, s);
  }

  void jsonNumbersMatchHandComputation() {
    const QString dbs = iql_db_ + "," + bc_db_;
    auto r = run_iql({"runs", "stats", "--db", dbs, "--group-by", "algorithm", "--resamples", "300", "--seed", "9", "--json"},
                     home_.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["eval"].toString(), QString("last"));
    QCOMPARE(j["bootstrap"].toObject()["resamples"].toInt(), 300);
    QCOMPARE(j["bootstrap"].toObject()["seed"].toInt(), 9);
    const auto groups = j["groups"].toArray();
    QCOMPARE(groups.size(), 2);
    const auto iql = groups[0].toObject(), bc = groups[1].toObject();
    QCOMPARE(iql["label"].toString(), QString("iql"));
    QCOMPARE(iql["runs"].toInt(), 6);
    QCOMPARE(iql["tasks"].toInt(), 2);
    // IQL: hopper 80 90 100 (mean 90), antmaze 60 70 86 (mean 72)
    QCOMPARE(point(iql, "mean"), (90.0 + 72.0) / 2.0);
    QCOMPARE(point(iql, "median"), 81.0);                                 // of two task means
    QCOMPARE(point(iql, "iqm"), (70.0 + 80.0 + 86.0 + 90.0) / 4.0);       // 6 runs: drop 60 and 100
    QCOMPARE(point(iql, "optimality_gap"), (20.0 + 10.0 + 0.0 + 40.0 + 30.0 + 14.0) / 6.0);
    const double m = 81.0, ss = (1.0 + 81.0 + 361.0 + 441.0 + 121.0 + 25.0);  // (x - 81)^2 over the six
    QCOMPARE(iql["over_runs"].toObject()["mean"].toDouble(), m);
    QVERIFY(std::abs(iql["over_runs"].toObject()["std"].toDouble() - std::sqrt(ss / 5.0)) < 1e-9);
    // BC: hopper 50 55 60, antmaze 50 70 90
    QCOMPARE(point(bc, "mean"), (55.0 + 70.0) / 2.0);
    QCOMPARE(point(bc, "iqm"), (50.0 + 55.0 + 60.0 + 70.0) / 4.0);
    // P(iql > bc): hopper 9 of 9 pairs; antmaze 60>50, 70>50, 70=70 (1/2), 86>50, 86>70: 4.5 of 9
    const auto poi = j["probability_of_improvement"].toArray();
    QCOMPARE(poi.size(), 2);
    QCOMPARE(poi[0].toObject()["x"].toString(), QString("iql"));
    QCOMPARE(poi[0].toObject()["probability"].toObject()["point"].toDouble(), (1.0 + 4.5 / 9.0) / 2.0);
    QCOMPARE(poi[1].toObject()["probability"].toObject()["point"].toDouble(), 1.0 - (1.0 + 4.5 / 9.0) / 2.0);
    for (const auto& g : groups)
      for (const char* key : {"mean", "median", "iqm", "optimality_gap"}) {
        const auto i = g.toObject()[key].toObject();
        QVERIFY(i["low"].toDouble() <= i["point"].toDouble() && i["point"].toDouble() <= i["high"].toDouble());
      }
    QCOMPARE(iql["profile"].toArray().size(), 21);
    QCOMPARE(iql["iqm_curve"].toArray().size(), 1);

    // same seed, same intervals; the table says what it used
    auto again = run_iql({"runs", "stats", "--db", dbs, "--resamples", "300", "--seed", "9", "--json"}, home_.path());
    QCOMPARE(again.out, r.out);
    auto table = run_iql({"runs", "stats", "--db", dbs, "--resamples", "300", "--seed", "9"}, home_.path());
    QVERIFY2(table.code == 0, qPrintable(table.err));
    QVERIFY(table.out.contains("last in-training evaluation"));
    QVERIFY(table.out.contains("300 resamples, seed 9"));
    QVERIFY(table.out.contains("P(iql > bc) = 0.75"));
    QVERIFY(table.out.contains("IQM"));
  }

  void userErrorsExitNonZero() {
    auto r = run_iql({"runs", "stats", "--db", iql_db_, "--group-by", "dataset"}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--group-by 'dataset': expected algorithm or config"));
    r = run_iql({"runs", "stats", "--db", iql_db_, "--eval", "median"}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("expected last, best or final"));
    r = run_iql({"runs", "stats", "--db", iql_db_ + "," + home_.filePath("nope.db")}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("nope.db' does not exist"));
    r = run_iql({"runs", "stats", "--db", bc_db_, "--eval", "final"}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("no final evaluation with a normalised score"));
    QVERIFY(r.err.contains("run 1 (bc, hopper-medium-expert-v2)"));
    r = run_iql({"runs", "stats", "--db", iql_db_, "--resamples", "0"}, home_.path());
    QCOMPARE(r.code, 2);
  }
};

QTEST_GUILESS_MAIN(TestRunsStats)
#include "test_runs_stats.moc"
