// Learning curves over seeds from real SQLite stores: runs that differ only in seed (or thread count)
// group together, others do not; mean and sample std per step against values computed here by hand;
// a step evaluated twice (stop, then resume) counts once with its later score; two stores compare side
// by side; labels name what sets groups apart; a missing store is named.
#include <QtTest/QtTest>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/store/run_store.h"
#include "core/store/score_curves.h"
#include "core/util/errors.h"

using namespace iql;

namespace {
int64_t add_run(RunStore& store, const std::string& algorithm, double tau, int64_t seed, int threads,
                const std::vector<std::pair<int64_t, double>>& scores) {
  RunInfo info;
  info.name = algorithm + " seed " + std::to_string(seed);
  info.algorithm = algorithm;
  info.dataset = "/data/antmaze-umaze-v2.hdf5";
  info.env = "antmaze-umaze";
  info.seed = seed;
  info.config_json = nlohmann::json{{"algorithm", algorithm}, {"expectile", tau}, {"temperature", 10.0},
                                    {"seed", seed},          {"threads", threads}, {"steps", 300}}
                         .dump();
  const int64_t id = store.create_run(info);
  for (auto [step, s] : scores) store.add_evaluation(id, {step, s / 100.0, 0.0, s, 100});
  return id;
}
}  // namespace

class TestScoreCurves : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

private Q_SLOTS:
  void groupsOverSeeds() {
    const std::string a = tmp_.filePath("iql.db").toStdString(), b = tmp_.filePath("bc.db").toStdString();
    {
      RunStore s(a);
      add_run(s, "iql", 0.7, 0, 1, {{100, 10}, {200, 40}});
      add_run(s, "iql", 0.7, 1, 2, {{100, 20}, {200, 50}});  // another thread count: same group
      // stopped at 150 (evaluated there), resumed: 150 is stored twice, the later score counts
      add_run(s, "iql", 0.7, 2, 1, {{100, 60}, {150, 1}, {150, 2}, {200, 90}});
      add_run(s, "iql", 0.9, 0, 1, {{100, 30}});
      RunInfo silent;  // no evaluation: no curve
      silent.algorithm = "iql";
      s.create_run(silent);
    }
    {
      RunStore s(b);
      add_run(s, "bc", 0.7, 0, 1, {{100, 55}});
      add_run(s, "bc", 0.7, 1, 1, {{100, 65}});
    }
    const auto curves = score_curves({a, b});
    QCOMPARE(curves.size(), size_t(3));
    const auto& tau7 = curves[0];
    QCOMPARE(tau7.run_ids.size(), size_t(3));
    QCOMPARE(tau7.seeds, (std::vector<int64_t>{0, 1, 2}));
    QCOMPARE(tau7.points.size(), size_t(3));  // steps 100, 150, 200
    // step 100: {10, 20, 60}: mean 30, sample std sqrt((400 + 100 + 900) / 2)
    QCOMPARE(tau7.points[0].step, int64_t(100));
    QCOMPARE(tau7.points[0].n, 3);
    QVERIFY(std::abs(tau7.points[0].mean - 30.0) < 1e-12);
    QVERIFY(std::abs(tau7.points[0].std - std::sqrt(700.0)) < 1e-12);
    QCOMPARE(tau7.points[1].n, 1);  // step 150: one run, its later score
    QCOMPARE(tau7.points[1].mean, 2.0);
    QCOMPARE(tau7.points[1].std, 0.0);
    QVERIFY(std::abs(tau7.points[2].mean - 60.0) < 1e-12);  // {40, 50, 90}
    QVERIFY(std::abs(tau7.points[2].std - std::sqrt((400.0 + 100.0 + 900.0) / 2.0)) < 1e-12);
    QCOMPARE(curves[1].run_ids.size(), size_t(1));
    QCOMPARE(curves[1].points[0].mean, 30.0);
    const auto& bc = curves[2];
    QCOMPARE(QString::fromStdString(bc.db_path), QString::fromStdString(b));
    QVERIFY(std::abs(bc.points[0].std - std::sqrt(50.0)) < 1e-12);  // {55, 65}

    // labels: algorithm and dataset, plus tau where it sets IQL groups apart (not for BC)
    QCOMPARE(QString::fromStdString(tau7.label), QString("iql antmaze-umaze-v2 expectile=0.7"));
    QCOMPARE(QString::fromStdString(curves[1].label), QString("iql antmaze-umaze-v2 expectile=0.9"));
    QCOMPARE(QString::fromStdString(bc.label), QString("bc antmaze-umaze-v2"));
    const QString table = QString::fromStdString(score_curves_table(curves));
    QVERIFY2(table.contains("30.0 +-  26.5  (n=3: 10.0 20.0 60.0)"), qPrintable(table));
    const auto j = nlohmann::json::parse(score_curves_json(curves));
    QCOMPARE(j.size(), size_t(3));
    QCOMPARE(j[0]["points"][0]["n"].get<int>(), 3);

    // a run tuned mid-run is a group of its own, even with the config of others
    {
      RunStore s(b);
      const int64_t id = add_run(s, "bc", 0.7, 2, 1, {{100, 0}});
      s.add_event(id, 50, "hyperparameter", R"({"name":"actor_lr"})");
    }
    const auto again = score_curves({b});
    QCOMPARE(again.size(), size_t(2));
    QCOMPARE(again[0].run_ids.size(), size_t(2));
    QVERIFY2(QString::fromStdString(again[1].label).contains("tuned mid-run"), again[1].label.c_str());
    QCOMPARE(QString::fromStdString(seed_free_config_key(R"({"seed":3,"b":1,"a":2,"name":"x","threads":2})")),
             QString(R"({"a":2,"b":1})"));

    QVERIFY_THROWS_EXCEPTION(ConfigError, score_curves({tmp_.filePath("none.db").toStdString()}));
    try {
      score_curves({tmp_.filePath("none.db").toStdString()});
    } catch (const ConfigError& e) {
      QVERIFY(QString(e.what()).contains("none.db"));
    }
  }
};

QTEST_GUILESS_MAIN(TestScoreCurves)
#include "test_score_curves.moc"
