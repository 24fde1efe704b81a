// The real MainWindow, offscreen: select a built-in dataset, press Train, change beta mid-run, stop;
// the plots have data, the change is a marker and a stored event, the run and its metrics are in the
// database, a stored run replays. Saves screenshots of the three tabs to $IQL_SCREENSHOT_DIR (default
// <build>/test-artifacts) and reports the event loop's lateness while training.
#include <QAction>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <algorithm>

#include "core/device/device_choice.h"
#include "core/store/run_store.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/panels/slider_spin.h"
#include "ui/plots/distribution_view.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/training_plots.h"

using namespace iqlui;

class TestMainWindow : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;
  QString shotDir_;

  void shoot(MainWindow& w, int tab, const QString& name) {
    w.tabs()->setCurrentIndex(tab);
    QCoreApplication::processEvents();
    w.trainingPlots()->flushNow();
    const QString path = QDir(shotDir_).filePath(name);
    QVERIFY2(w.grab().save(path), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    shotDir_ = qEnvironmentVariable("IQL_SCREENSHOT_DIR", QCoreApplication::applicationDirPath() + "/../test-artifacts");
    QDir().mkpath(shotDir_);
  }

  void badDatasetChangesNothing() {
    MainWindow w(dir_.filePath("runs.db"));
    QSignalSpy loaded(w.datasetPanel(), &DatasetPanel::datasetChanged);
    QSignalSpy failed(w.datasetPanel(), &DatasetPanel::loadFailed);
    w.datasetPanel()->selectDataset("pendulum-expert");
    QVERIFY(loaded.wait(60000));
    const QString bad = dir_.filePath("broken.hdf5");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not an hdf5 file");
    f.close();
    w.datasetPanel()->selectDataset(bad);
    QVERIFY(failed.wait(30000));
    QVERIFY2(w.datasetPanel()->errorText().contains("broken.hdf5"), qPrintable(w.datasetPanel()->errorText()));
    QCOMPARE(w.datasetPanel()->currentDataset(), QString("pendulum-expert"));
    QVERIFY(w.trainAction()->isEnabled());
  }

  void trainChangeBetaStopAndReplay() {
    const QString db = dir_.filePath("runs.db");
    MainWindow w(db);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.windowTitle(), QString("IQL Workbench — runs.db"));

    QSignalSpy loaded(w.datasetPanel(), &DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset("pendulum-medium");
    QVERIFY(loaded.wait(60000));
    QVERIFY(w.trainAction()->isEnabled());
    QVERIFY(!w.pauseAction()->isEnabled());
    QVERIFY(!w.stopAction()->isEnabled());

    iql::TrainConfig cfg = w.hyperparameterPanel()->config();
    cfg.hidden = 64;
    cfg.eval_interval = 100;
    cfg.eval_episodes = 2;
    cfg.probe_interval = 50;
    cfg.log_interval = 10;
    w.hyperparameterPanel()->setConfig(cfg);
    w.hyperparameterPanel()->stepsBox()->setValue(100000);  // stopped by the test after a few hundred steps

    // Event-loop lateness while training: a 10 ms timer records how late each tick is.
    QVector<double> lateMs;
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    QTimer probeTimer;
    probeTimer.setTimerType(Qt::PreciseTimer);
    probeTimer.setInterval(10);
    connect(&probeTimer, &QTimer::timeout, this, [&] {
      const qint64 now = clock.nsecsElapsed();
      if (last > 0) lateMs.append(std::max(0.0, (now - last) / 1e6 - 10.0));
      last = now;
    });

    QSignalSpy started(&w, &MainWindow::trainingStarted);
    QSignalSpy finished(&w, &MainWindow::trainingFinished);
    w.trainAction()->trigger();
    QVERIFY(started.wait(60000));
    probeTimer.start();
    const qint64 runId = started.at(0).at(0).toLongLong();
    // the status bar's runtime tooltip names the device the run recorded (the quick-start auto: the
    // CPU on a machine without CUDA)
    const auto* runtime = w.statusBar()->findChild<QLabel*>(QStringLiteral("runtimeInfo"));
    QVERIFY(runtime);
    const QString device = iql::device::cuda_usable() ? QStringLiteral("cuda") : QStringLiteral("cpu");
    QVERIFY2(runtime->toolTip().contains(QStringLiteral("; device: %1 (").arg(device)), qPrintable(runtime->toolTip()));
    QVERIFY(!w.trainAction()->isEnabled());
    QVERIFY(w.pauseAction()->isEnabled());
    QVERIFY(w.stopAction()->isEnabled());

    QSignalSpy progress(w.session(), &TrainingSession::progress);
    QSignalSpy events(w.session(), &TrainingSession::event);
    QVERIFY(progress.wait(60000));
    // Change beta mid-run through the spin box: debounced, sent, applied, stored, drawn.
    w.hyperparameterPanel()->temperatureControl()->spinBox()->setValue(5.0);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.begin(), events.end(),
                                         [](const QList<QVariant>& a) {
                                           return a.at(0).value<EventSample>().kind == "hyperparameter";
                                         }),
                             60000);
    // Train a few hundred steps past the change, then press Stop.
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() > 0 && progress.last().at(0).toLongLong() >= 400, 120000);
    w.stopAction()->trigger();
    if (finished.isEmpty()) QVERIFY(finished.wait(120000));
    probeTimer.stop();
    const QString status = finished.at(0).at(0).toString();
    QCOMPARE(status, QString("stopped"));
    QVERIFY(w.trainAction()->isEnabled());
    double stepsPerSec = 0;
    if (!progress.isEmpty()) stepsPerSec = progress.last().at(2).toDouble();

    std::sort(lateMs.begin(), lateMs.end());
    const auto pct = [&](double p) { return lateMs.isEmpty() ? 0.0 : lateMs[std::min<int>(lateMs.size() - 1, p * lateMs.size())]; };
    qInfo("event loop lateness while training (%d ticks): p50 %.2f ms, p99 %.2f ms, max %.2f ms", int(lateMs.size()),
          pct(0.5), pct(0.99), lateMs.isEmpty() ? 0.0 : lateMs.last());
    qInfo("GUI steps/s (last progress): %.1f", stepsPerSec);

    MetricPlot* losses = w.trainingPlots()->plot("Losses");
    QVERIFY(losses);
    QVERIFY(losses->pointCount("v_loss") > 0);
    QVERIFY(losses->markerCount() >= 1);
    QVERIFY(w.trainingPlots()->plot("Evaluation")->pointCount("eval_return") > 0);
    QVERIFY(w.distributionView()->hasProbe());

    iql::RunStore store(db.toStdString());
    const auto run = store.get_run(runId);
    QVERIFY(run.has_value());
    QVERIFY(!store.metrics(runId).empty());
    bool stored = false;
    for (const auto& e : store.events(runId))
      if (e.kind == "hyperparameter" && e.payload_json.find("\"new\":5") != std::string::npos) stored = true;
    QVERIFY(stored);

    shoot(w, 0, "training.png");
    shoot(w, 1, "distributions.png");
    shoot(w, 2, "runs.png");

    // Replay the stored run into the same plots.
    w.trainingPlots()->clear();
    QSignalSpy replayed(&w, &MainWindow::runReplayed);
    w.openRun(runId);
    QVERIFY(replayed.wait(30000));
    QVERIFY(losses->pointCount("v_loss") > 0);
    QVERIFY(losses->markerCount() >= 1);
    QCOMPARE(w.shownRunId(), runId);
    shoot(w, 1, "distributions-replay.png");
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
