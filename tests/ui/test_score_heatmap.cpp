// ScoreHeatmap on a real SQLite run store: a cell pools only runs of one step count (the most common,
// the longest on a tie) and names the runs left out; the map follows the selection (two or more runs)
// and falls back to every finished run on the dataset, saying so, when fewer are selected.
#include <QCheckBox>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>

#include "core/config/train_config.h"
#include "core/store/run_store.h"
#include "ui/runs/score_heatmap.h"

using iqlui::ScoreHeatmap;

namespace {

// A finished run whose evaluations end at `finalScore` (an earlier, different score first).
qint64 addRun(iql::RunStore& store, double tau, double beta, std::uint64_t seed, std::int64_t steps, double finalScore,
              const std::string& dataset = "hopper-medium-v2", const std::string& status = "finished") {
  iql::TrainConfig cfg;
  cfg.dataset = dataset;
  cfg.env = "hopper";
  cfg.expectile = tau;
  cfg.temperature = beta;
  cfg.seed = seed;
  cfg.steps = steps;
  iql::RunInfo info;
  info.name = "iql " + dataset + " tau=" + std::to_string(tau) + " beta=" + std::to_string(beta);
  info.status = status;
  info.algorithm = "iql";
  info.dataset = dataset;
  info.env = cfg.env;
  info.config_json = cfg.to_json();
  info.seed = std::int64_t(seed);
  info.steps = steps;
  const qint64 id = store.create_run(info);
  store.add_evaluation(id, {steps / 2, 10.0, 1.0, finalScore - 30.0, 5});
  store.add_evaluation(id, {steps, 20.0, 1.0, finalScore, 5});
  return id;
}

}  // namespace

class TestScoreHeatmap : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;

  std::unique_ptr<iql::RunStore> freshStore(const QString& name) {
    return std::make_unique<iql::RunStore>(dir_.filePath(name).toStdString());
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  // The issue's case: 88.3 after 3,000 steps and 16.2 after 2,000 at the same tau, beta were shown
  // as "52.2 (n=2)". Two 3,000-step runs and one 2,000-step run: the cell is the mean of the two
  // 3,000-step runs only, and the 2,000-step run is named as left out.
  void neverPoolsRunsOfDifferentStepCounts() {
    auto store = freshStore("steps.db");
    const qint64 a = addRun(*store, 0.7, 3.0, 0, 3000, 88.3);
    const qint64 b = addRun(*store, 0.7, 3.0, 1, 2000, 16.2);
    const qint64 c = addRun(*store, 0.7, 3.0, 2, 3000, 80.1);
    ScoreHeatmap map;
    map.rebuild(store.get(), {a, b, c}, {});
    QCOMPARE(map.steps(), qint64(3000));
    QCOMPARE(map.value(0.7, 3.0), (88.3 + 80.1) / 2.0);
    QCOMPARE(map.cellRuns(0.7, 3.0), (QList<qint64>{a, c}));
    QCOMPARE(map.leftOutRuns(), QList<qint64>{b});
    QVERIFY2(map.note().contains(QStringLiteral("#%1").arg(b)), qPrintable(map.note()));
    QVERIFY2(map.note().contains(QStringLiteral("2,000 steps")), qPrintable(map.note()));
    QVERIFY2(map.title().contains(QStringLiteral("3,000 steps")), qPrintable(map.title()));
    // the cell says which runs it holds
    const QString tip = map.cellToolTip(0.7, 3.0);
    QVERIFY2(tip.contains(QStringLiteral("#%1").arg(a)) && tip.contains(QStringLiteral("#%1").arg(c)) &&
                 !tip.contains(QStringLiteral("#%1").arg(b)),
             qPrintable(tip));

    // one of each: a tie, the longer run is kept
    map.rebuild(store.get(), {a, b}, {});
    QCOMPARE(map.steps(), qint64(3000));
    QCOMPARE(map.value(0.7, 3.0), 88.3);
    QCOMPARE(map.cellRuns(0.7, 3.0), QList<qint64>{a});
    QCOMPARE(map.leftOutRuns(), QList<qint64>{b});

    // two 2,000-step runs outnumber one 3,000-step run
    const qint64 d = addRun(*store, 0.9, 3.0, 0, 2000, 40.0);
    map.rebuild(store.get(), {a, b, d}, {});
    QCOMPARE(map.steps(), qint64(2000));
    QCOMPARE(map.value(0.7, 3.0), 16.2);
    QCOMPARE(map.value(0.9, 3.0), 40.0);
    QCOMPARE(map.leftOutRuns(), QList<qint64>{a});
  }

  void followsTheSelection() {
    auto store = freshStore("selection.db");
    const qint64 a = addRun(*store, 0.7, 3.0, 0, 3000, 60.0);
    const qint64 b = addRun(*store, 0.7, 3.0, 1, 3000, 70.0);
    const qint64 c = addRun(*store, 0.9, 10.0, 0, 3000, 50.0);
    const qint64 d = addRun(*store, 0.5, 1.0, 0, 3000, 20.0);
    const qint64 other = addRun(*store, 0.7, 3.0, 0, 3000, 99.0, "walker2d-medium-v2");
    const qint64 running = addRun(*store, 0.5, 10.0, 0, 3000, 10.0, "hopper-medium-v2", "running");
    ScoreHeatmap map;

    // two selected: only they are mapped
    map.rebuild(store.get(), {a, c}, {});
    QVERIFY(map.followsSelection());
    QCOMPARE(map.taus(), (QVector<double>{0.7, 0.9}));
    QCOMPARE(map.betas(), (QVector<double>{3.0, 10.0}));
    QCOMPARE(map.value(0.7, 3.0), 60.0);  // b is not selected
    QCOMPARE(map.cellRuns(0.7, 3.0), QList<qint64>{a});
    QVERIFY(std::isnan(map.value(0.5, 1.0)));
    QVERIFY2(map.title().contains(QStringLiteral("2 selected runs")), qPrintable(map.title()));

    // selected runs on another dataset or still running are named, not mapped
    map.rebuild(store.get(), {a, b, other, running}, {});
    QCOMPARE(map.dataset(), QString("hopper-medium-v2"));
    QCOMPARE(map.value(0.7, 3.0), (60.0 + 70.0) / 2.0);
    QCOMPARE(map.leftOutRuns(), (QList<qint64>{other, running}));

    // one selected: every finished run on its dataset, and the title says so
    map.rebuild(store.get(), {c}, {});
    QVERIFY(!map.followsSelection());
    QCOMPARE(map.taus(), (QVector<double>{0.5, 0.7, 0.9}));
    QCOMPARE(map.value(0.7, 3.0), (60.0 + 70.0) / 2.0);
    QCOMPARE(map.value(0.5, 1.0), 20.0);
    QCOMPARE(map.cellRuns(0.5, 1.0), QList<qint64>{d});
    QVERIFY(std::isnan(map.value(0.5, 10.0)));  // running: not a finished run
    QVERIFY2(map.title().contains(QStringLiteral("fewer than 2 selected")), qPrintable(map.title()));

    // nothing selected: nothing mapped
    map.rebuild(store.get(), {}, {});
    QVERIFY(map.taus().isEmpty());
    QVERIFY(map.dataset().isEmpty());
  }

  // A run tuned mid-run is left out by default and named; placed at its final values on request.
  void tunedRunsAreNamedWhenLeftOut() {
    auto store = freshStore("tuned.db");
    const qint64 a = addRun(*store, 0.7, 3.0, 0, 3000, 60.0);
    const qint64 t = addRun(*store, 0.7, 3.0, 1, 3000, 90.0);
    store->add_event(t, 1000, "hyperparameter", R"({"name":"temperature","old":3.0,"new":10.0})");
    ScoreHeatmap map;
    map.rebuild(store.get(), {a, t}, {});
    QCOMPARE(map.tunedLeftOut(), 1);
    QCOMPARE(map.leftOutRuns(), QList<qint64>{t});
    QVERIFY2(map.note().contains(QStringLiteral("#%1 (tuned mid-run)").arg(t)), qPrintable(map.note()));
    QVERIFY(map.placeTunedCheck()->isVisibleTo(&map));
    map.placeTunedCheck()->setChecked(true);
    map.rebuild(store.get(), {a, t}, {});
    QCOMPARE(map.value(0.7, 10.0), 90.0);
    QCOMPARE(map.value(0.7, 3.0), 60.0);
  }
};

QTEST_MAIN(TestScoreHeatmap)
#include "test_score_heatmap.moc"
