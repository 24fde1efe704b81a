// CompareView's legend on a real SQLite run store: entries name the settings that tell the runs apart
// (never a run name cut where the runs differ), and wrap to the plot's width instead of being cut.
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/config/train_config.h"
#include "core/store/run_store.h"
#include "ui/plots/qcp.h"
#include "ui/runs/compare_view.h"

using iqlui::CompareView;

namespace {

qint64 addRun(iql::RunStore& store, const std::string& name, double tau, double beta, std::uint64_t seed,
              std::int64_t steps = 2000, int batch = 256, int hidden = 256) {
  iql::TrainConfig cfg;
  cfg.dataset = "pendulum-medium";
  cfg.env = "pendulum";
  cfg.expectile = tau;
  cfg.temperature = beta;
  cfg.seed = seed;
  cfg.steps = steps;
  cfg.batch_size = batch;
  cfg.hidden = hidden;
  iql::RunInfo info;
  info.name = name;
  info.status = "finished";
  info.algorithm = "iql";
  info.dataset = cfg.dataset;
  info.env = cfg.env;
  info.config_json = cfg.to_json();
  info.seed = std::int64_t(seed);
  info.steps = cfg.steps;
  const qint64 id = store.create_run(info);
  for (int k = 1; k <= 4; ++k) store.add_evaluation(id, {k * 500, -900.0 + 100.0 * k, 5.0, 10.0 * k + tau, 5});
  return id;
}

}  // namespace

class TestCompareView : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;

private Q_SLOTS:
  void legendNamesTheDifferingSettings() {
    QVERIFY(dir_.isValid());
    auto store = std::make_shared<iql::RunStore>(dir_.filePath("runs.db").toStdString());
    // the names agree up to where the runs differ, which is where a 24-character cut fell
    const qint64 a = addRun(*store, "iql pendulum-medium tau=0.7 beta=3 seed=0", 0.7, 3.0, 0);
    const qint64 b = addRun(*store, "iql pendulum-medium tau=0.9 beta=3 seed=1", 0.9, 3.0, 1);
    CompareView view;
    view.setStore(store);
    view.setRuns({a, b});
    QCOMPARE(view.diffKeys(), (QStringList{"expectile", "seed"}));
    const QStringList labels = view.legendLabels();
    QCOMPARE(labels.size(), 2);
    const QString all = labels.join(QLatin1Char('|'));
    QVERIFY2(labels[0].startsWith(QStringLiteral("#%1 τ 0.7 β 3 seed 0").arg(a)), qPrintable(all));
    QVERIFY2(labels[1].startsWith(QStringLiteral("#%1 τ 0.9 β 3 seed 1").arg(b)), qPrintable(all));
    QVERIFY2(!all.contains(QStringLiteral("iql pendulum")), qPrintable(all));
  }

  // At the width the compare pane has in a 1100x700 window, every legend line fits the plot.
  void longLegendsWrapInsteadOfBeingCut() {
    auto store = std::make_shared<iql::RunStore>(dir_.filePath("wrap.db").toStdString());
    // runs that differ in six settings: every one is named, so the entries are long
    const qint64 a = addRun(*store, "a", 0.7, 3.0, 0, 2000, 256, 256);
    const qint64 b = addRun(*store, "b", 0.9, 10.0, 1, 30000, 1024, 64);
    CompareView view;
    view.setStore(store);
    view.resize(560, 500);  // the curve plot keeps about 320 px, as in a 1100x700 window
    view.setRuns({a, b});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.curvePlot()->width() <= 340);
    QCPLegend* legend = view.curvePlot()->legend;
    const QFontMetrics fm(legend->font());
    const int room = view.curvePlot()->width() - legend->iconSize().width() - legend->iconTextPadding();
    int wrapped = 0;
    for (int i = 0; i < legend->itemCount(); ++i) {
      auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
      QVERIFY(item);
      const QStringList lines = item->plottable()->name().split(QLatin1Char('\n'));
      wrapped += lines.size() > 1;
      for (const QString& line : lines) QVERIFY2(fm.horizontalAdvance(line) <= room, qPrintable(line));
    }
    QVERIFY(wrapped > 0);  // the one-line entries would not have fitted
    // the full text is still what legendLabels() reports
    QVERIFY2(view.legendLabels().at(0).contains(QStringLiteral("· final")), qPrintable(view.legendLabels().at(0)));
  }
};

QTEST_MAIN(TestCompareView)
#include "test_compare_view.moc"
