// The benchmark table: rebuilt from a real SQLite store, runs are grouped by dataset stem and
// algorithm, scored by their last evaluation, and summarised as mean and sample std (n - 1) over seeds;
// runs that are unfinished, untagged, of another budget or never evaluated stay out.
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

#include "core/bench/benchmark_suite.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"

namespace {
std::int64_t add_run(iql::RunStore& store, const std::string& dataset, const std::string& algo,
                     std::vector<double> scores, const std::string& status = "finished",
                     std::vector<std::string> tags = {"bench-suite"}, std::int64_t steps = 5000) {
  iql::RunInfo r;
  r.algorithm = algo;
  r.dataset = dataset;
  r.env = "hopper";
  r.tags = std::move(tags);
  const auto id = store.create_run(r);
  store.set_steps(id, steps);
  store.update_status(id, status);
  std::int64_t step = 0;
  for (double s : scores) {
    iql::EvaluationRecord e;
    e.step = step += 1000;
    e.return_mean = 10.0 * s;
    e.normalized_score = s;
    e.episodes = 10;
    store.add_evaluation(id, e);
  }
  return id;
}

const iql::SuiteCell* cell(const iql::SuiteResult& r, const std::string& ds, const std::string& algo) {
  for (const auto& c : r.cells)
    if (c.dataset == ds && c.algorithm == algo) return &c;
  return nullptr;
}
}  // namespace

class TestBenchmarkSuite : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void tableFromStore() {
    QTemporaryDir dir;
    const std::string db = dir.filePath("bench.db").toStdString();
    {
      iql::RunStore store(db);
      // Last evaluation counts, not the best: 40 -> 30 scores 30.
      add_run(store, "/data/hopper-medium-replay.hdf5", "iql", {40.0, 30.0});
      add_run(store, "/other/place/hopper-medium-replay.hdf5", "iql", {50.0});
      add_run(store, "/data/hopper-medium-replay.hdf5", "iql", {70.0});
      add_run(store, "/data/hopper-medium-replay.hdf5", "bc", {20.0});
      add_run(store, "/data/hopper-medium-replay.hdf5", "bc", {24.0});
      // Left out: still running, untagged, another budget, never evaluated.
      add_run(store, "/data/hopper-medium-replay.hdf5", "iql", {999.0}, "running");
      add_run(store, "/data/hopper-medium-replay.hdf5", "iql", {999.0}, "finished", {"sweep"});
      add_run(store, "/data/hopper-medium-replay.hdf5", "iql", {999.0}, "finished", {"bench-suite"}, 7000);
      add_run(store, "/data/hopper-medium-expert.hdf5", "bc", {});
    }
    const auto r = iql::suite_from_store(db, "bench-suite", 5000);
    QCOMPARE(r.cells.size(), size_t(2));
    const auto* iql_cell = cell(r, "hopper-medium-replay", "iql");
    const auto* bc_cell = cell(r, "hopper-medium-replay", "bc");
    QVERIFY(iql_cell && bc_cell);
    QCOMPARE(iql_cell->scores, (std::vector<double>{30.0, 50.0, 70.0}));
    QVERIFY(std::abs(iql_cell->mean - 50.0) < 1e-12);
    QVERIFY(std::abs(iql_cell->std - std::sqrt(800.0 / 2.0)) < 1e-12);  // sample std (n - 1) of 30, 50, 70
    QVERIFY(std::abs(bc_cell->mean - 22.0) < 1e-12);
    QVERIFY(std::abs(bc_cell->std - std::sqrt(8.0)) < 1e-12);

    // The printed table has one row per dataset, a column per algorithm and the totals.
    const std::string t = r.table();
    QVERIFY2(t.find("hopper-medium-replay") != std::string::npos, t.c_str());
    QVERIFY2(t.find("50.0 +- 20.0") != std::string::npos, t.c_str());
    QVERIFY2(t.find("22.0 +- 2.8") != std::string::npos, t.c_str());

    // Rows follow the paper: medium before medium-replay before medium-expert, whatever the run order.
    iql::SuiteResult order;
    for (const char* ds : {"hopper-medium-expert", "walker2d-medium-replay", "hopper-medium", "halfcheetah-medium"})
      order.cells.push_back({ds, "iql", {1.0}, {1}, 1.0, 0.0});
    const std::string rows = order.table();
    const auto at = [&](const char* name) { return rows.find(std::string("\n") + name + " "); };
    QVERIFY2(at("halfcheetah-medium") < at("hopper-medium"), rows.c_str());
    QVERIFY2(at("hopper-medium") < at("walker2d-medium-replay"), rows.c_str());
    QVERIFY2(at("walker2d-medium-replay") < at("hopper-medium-expert"), rows.c_str());
    QVERIFY2(at("hopper-medium-expert") != std::string::npos, rows.c_str());

    // steps 0 takes any budget: the 7000-step run joins the iql cell.
    QCOMPARE(cell(iql::suite_from_store(db, "bench-suite", 0), "hopper-medium-replay", "iql")->scores.size(),
             size_t(4));
  }

  void missingStoreIsAnError() {
    QTemporaryDir dir;
    QVERIFY_THROWS_EXCEPTION(iql::ConfigError, iql::suite_from_store(dir.filePath("none.db").toStdString()));
  }
};

QTEST_MAIN(TestBenchmarkSuite)
#include "test_benchmark_suite.moc"
