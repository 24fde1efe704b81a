// The compare view's aggregate statistics on a real run store: two algorithms on three datasets, with
// ties and odd run counts. The table's mean, median, IQM and optimality gap and the probability of
// improvement equal values worked out by hand below (never by calling the statistics code), the caption
// names the evaluation, the resamples and the seed, and narrowing the compared runs narrows every figure.
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>

#include "core/config/train_config.h"
#include "core/store/run_store.h"
#include "ui/plots/qcp.h"
#include "ui/runs/aggregate_stats_panel.h"
#include "ui/runs/compare_view.h"

using iqlui::AggregateStatsPanel;
using iqlui::CompareView;

namespace {

// One finished run whose evaluations score `last - 10` at step 500 and `last` at step 1000.
qint64 addRun(iql::RunStore& store, const std::string& algorithm, const std::string& dataset, double last,
              std::uint64_t seed) {
  iql::TrainConfig cfg;
  cfg.dataset = dataset;
  cfg.env = "hopper";
  cfg.seed = seed;
  cfg.steps = 1000;
  iql::RunInfo info;
  info.name = algorithm + " " + dataset;
  info.status = "finished";
  info.algorithm = algorithm;
  info.dataset = dataset;
  info.env = cfg.env;
  info.config_json = cfg.to_json();
  info.seed = std::int64_t(seed);
  info.steps = 1000;
  const qint64 id = store.create_run(info);
  store.add_evaluation(id, {500, 0.0, 1.0, last - 10.0, 10});
  store.add_evaluation(id, {1000, 0.0, 1.0, last, 10});
  return id;
}

double point(QTableWidget* t, int row, int column) {
  return t->item(row, column)->data(Qt::UserRole).toList().value(0).toDouble();
}

// Waits for the panel's next landed result (a superseded computation lands none).
bool waitForResults(AggregateStatsPanel* panel, QSignalSpy& spy, int before) {
  return QTest::qWaitFor([&] { return spy.count() > before && !panel->computing(); }, 20000);
}

}  // namespace

class TestAggregateStatsPanel : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private Q_SLOTS:
  void tableEqualsHandComputedAggregates() {
    QVERIFY(dir_.isValid());
    auto store = std::make_shared<iql::RunStore>(dir_.filePath("runs.db").toStdString());
    QList<qint64> ids, withoutAntmaze;
    std::uint64_t seed = 0;
    // IQL: hopper 50 60 70, walker 30 40, antmaze 80
    for (double s : {50.0, 60.0, 70.0}) ids << addRun(*store, "iql", "hopper-medium", s, seed++);
    for (double s : {30.0, 40.0}) ids << addRun(*store, "iql", "walker2d-medium", s, seed++);
    const qint64 iqlAntmaze = addRun(*store, "iql", "antmaze-umaze", 80.0, seed++);
    ids << iqlAntmaze;
    // BC: hopper 40 45, walker 20 30 35, antmaze 10
    for (double s : {40.0, 45.0}) ids << addRun(*store, "bc", "hopper-medium", s, seed++);
    for (double s : {20.0, 30.0, 35.0}) ids << addRun(*store, "bc", "walker2d-medium", s, seed++);
    const qint64 bcAntmaze = addRun(*store, "bc", "antmaze-umaze", 10.0, seed++);
    ids << bcAntmaze;
    for (qint64 id : ids)
      if (id != iqlAntmaze && id != bcAntmaze) withoutAntmaze << id;

    CompareView view;
    view.resize(1100, 700);
    AggregateStatsPanel* panel = view.aggregatePanel();
    QSignalSpy spy(panel, &AggregateStatsPanel::resultsReady);
    panel->resamplesSpin()->setValue(500);
    panel->seedSpin()->setValue(7);
    view.setStore(store);
    int before = spy.count();
    view.setRuns(ids);
    QVERIFY(waitForResults(panel, spy, before));

    QTableWidget* t = panel->aggregateTable();
    QCOMPARE(t->rowCount(), 2);
    QCOMPARE(t->item(0, AggregateStatsPanel::GroupColumn)->text(), QString("iql"));
    QCOMPARE(t->item(1, AggregateStatsPanel::GroupColumn)->text(), QString("bc"));
    QCOMPARE(t->item(0, AggregateStatsPanel::RunsColumn)->text(), QString("6"));
    // IQL task means 60, 35, 80: mean 175/3, median 60; all six sorted 30 40 50 60 70 80, IQM cuts
    // floor(6/4) = 1 from each end: (40+50+60+70)/4 = 55; optimality gap 100 - 330/6 = 45
    QCOMPARE(point(t, 0, AggregateStatsPanel::MeanColumn), 175.0 / 3.0);
    QCOMPARE(point(t, 0, AggregateStatsPanel::MedianColumn), 60.0);
    QCOMPARE(point(t, 0, AggregateStatsPanel::IqmColumn), 55.0);
    QCOMPARE(point(t, 0, AggregateStatsPanel::GapColumn), 45.0);
    // BC task means 42.5, 85/3, 10: mean (42.5 + 85/3 + 10)/3, median 85/3; sorted 10 20 30 35 40 45,
    // IQM (20+30+35+40)/4 = 31.25; optimality gap 100 - 180/6 = 70
    QCOMPARE(point(t, 1, AggregateStatsPanel::MeanColumn), (42.5 + 85.0 / 3.0 + 10.0) / 3.0);
    QCOMPARE(point(t, 1, AggregateStatsPanel::MedianColumn), 85.0 / 3.0);
    QCOMPARE(point(t, 1, AggregateStatsPanel::IqmColumn), 31.25);
    QCOMPARE(point(t, 1, AggregateStatsPanel::GapColumn), 70.0);
    for (int row = 0; row < 2; ++row)
      for (int c = AggregateStatsPanel::MeanColumn; c <= AggregateStatsPanel::GapColumn; ++c) {
        const QVariantList v = t->item(row, c)->data(Qt::UserRole).toList();
        QVERIFY2(v[1].toDouble() <= v[0].toDouble() && v[0].toDouble() <= v[2].toDouble(), qPrintable(t->item(row, c)->text()));
      }
    // P(IQL > BC): hopper 6/6 pairs; walker 30 beats 20, ties 30 (1/2), loses to 35, 40 beats all three:
    // 4.5/6; antmaze 1: (1 + 0.75 + 1)/3
    QTableWidget* p = panel->improvementTable();
    QCOMPARE(p->rowCount(), 2);
    QCOMPARE(p->item(0, 0)->text(), QString("iql"));
    QCOMPARE(p->item(0, 2)->data(Qt::UserRole).toList().value(0).toDouble(), 2.75 / 3.0);
    QCOMPARE(p->item(1, 2)->data(Qt::UserRole).toList().value(0).toDouble(), 1.0 - 2.75 / 3.0);

    const QString caption = panel->caption()->text();
    QVERIFY2(caption.contains("Evaluation: last"), qPrintable(caption));
    QVERIFY2(caption.contains("500 resamples"), qPrintable(caption));
    QVERIFY2(caption.contains("seed 7"), qPrintable(caption));
    QVERIFY2(caption.contains("2 groups, 12 runs, 3 datasets"), qPrintable(caption));
    // bands and lines: three graphs per group in each plot; the profile at tau 0 counts every run
    QCOMPARE(panel->profilePlot()->graphCount(), 6);
    QCOMPARE(panel->curvePlot()->graphCount(), 6);
    QCOMPARE(panel->profilePlot()->graph(2)->data()->at(0)->value, 1.0);

    // the compared runs without antmaze: IQL 50 60 70 30 40, IQM of 5 cuts 1 from each end: 50, and its
    // curve (rebuilt for the narrowed runs) is 40 at step 500 and 50 at step 1000
    before = spy.count();
    view.setRuns(withoutAntmaze);
    QVERIFY(waitForResults(panel, spy, before));
    QCOMPARE(point(t, 0, AggregateStatsPanel::IqmColumn), 50.0);
    QCOMPARE(point(t, 0, AggregateStatsPanel::MeanColumn), 47.5);
    const auto& curve = panel->outcome().report.groups[0].iqm_curve;
    QCOMPARE(int(curve.size()), 2);
    QCOMPARE(curve[0].iqm.point, 40.0);
    QCOMPARE(curve[1].iqm.point, 50.0);
    QVERIFY2(panel->caption()->text().contains("2 groups, 10 runs, 2 datasets"), qPrintable(panel->caption()->text()));

    // IQL_UI_SHOTS=DIR: the tab as a user sees it, in the Runs tab's lower half
    const QString shots = qEnvironmentVariable("IQL_UI_SHOTS");
    if (shots.isEmpty()) return;
    before = spy.count();
    view.setRuns(ids);
    QVERIFY(waitForResults(panel, spy, before));
    auto* tabs = view.findChild<QTabWidget*>();
    tabs->setCurrentIndex(1);
    view.show();
    for (const QSize& size : {QSize(760, 400), QSize(1260, 650)}) {  // its share of 1100x700, 1600x1000
      view.resize(size);
      QTest::qWait(200);
      QVERIFY(view.grab().save(QStringLiteral("%1/aggregate_%2.png").arg(shots).arg(size.width())));
    }
  }

  void finalEvaluationIsChosenAndStated() {
    auto store = std::make_shared<iql::RunStore>(dir_.filePath("final.db").toStdString());
    QList<qint64> ids;
    std::uint64_t seed = 0;
    for (double s : {50.0, 60.0, 70.0}) ids << addRun(*store, "iql", "hopper-medium", s, seed++);
    ids << addRun(*store, "bc", "hopper-medium", 40.0, seed++);
    // final evaluations (100 episodes) of the three IQL runs only: 52, 61, 61 (a tie)
    const double finals[] = {52.0, 61.0, 61.0};
    for (int k = 0; k < 3; ++k) {
      iql::FinalEvaluationRecord f;
      f.step = 1000;
      f.episodes = 100;
      f.seed = 5;
      f.normalized_score = finals[k];
      store->add_final_evaluation(ids[k], f);
    }
    CompareView view;
    AggregateStatsPanel* panel = view.aggregatePanel();
    QSignalSpy spy(panel, &AggregateStatsPanel::resultsReady);
    view.setStore(store);
    int before = spy.count();
    view.setRuns(ids);
    QVERIFY(waitForResults(panel, spy, before));
    before = spy.count();
    panel->evaluationCombo()->setCurrentIndex(panel->evaluationCombo()->findText("final"));
    QVERIFY(waitForResults(panel, spy, before));
    QTableWidget* t = panel->aggregateTable();
    QCOMPARE(t->rowCount(), 1);  // BC has no final evaluation
    // three runs: IQM cuts floor(3/4) = 0, the plain mean (52 + 61 + 61)/3 = 58; gap 100 - 58 = 42
    QCOMPARE(point(t, 0, AggregateStatsPanel::IqmColumn), 58.0);
    QCOMPARE(point(t, 0, AggregateStatsPanel::GapColumn), 42.0);
    const QString caption = panel->caption()->text();
    QVERIFY2(caption.contains("Evaluation: final"), qPrintable(caption));
    QVERIFY2(caption.contains("100 episodes"), qPrintable(caption));
    QVERIFY2(caption.contains("2,000 resamples") || caption.contains("2000 resamples"), qPrintable(caption));
    QVERIFY2(caption.contains("seed 0"), qPrintable(caption));
    QVERIFY2(caption.contains("1 compared run without a final evaluation left out"), qPrintable(caption));
  }
};

QTEST_MAIN(TestAggregateStatsPanel)
#include "test_aggregate_stats_panel.moc"
