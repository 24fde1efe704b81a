// Screenshots of the real window for review, at 1100x700 and 1600x1000: a run in progress, after a
// live beta change, paused, the Distributions tab, and the Runs tab comparing two runs (one tuned
// mid-run). Written to $IQL_SCREENSHOT_DIR (default <build>/test-artifacts). The checks are the ones a
// reviewer needs to trust the pictures: the window has the asked size, the run really trained, the
// change is one event and the compare view shows both runs.
#include <QDir>
#include <QSignalSpy>
#include <QSlider>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/panels/slider_spin.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/training_plots.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/runs_browser.h"

using namespace iqlui;

class TestScreenshots : public QObject {
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

  qint64 train(MainWindow& w, qint64 steps, double beta) {
    iql::TrainConfig cfg = w.hyperparameterPanel()->config();
    cfg.hidden = 32;
    cfg.steps = steps;
    cfg.eval_interval = 200;
    cfg.eval_episodes = 1;
    cfg.probe_interval = 100;
    cfg.log_interval = 20;
    cfg.temperature = beta;
    w.hyperparameterPanel()->setConfig(cfg);
    QSignalSpy started(&w, &MainWindow::trainingStarted);
    w.trainAction()->trigger();
    if (!started.wait(60000)) return -1;
    return started.at(0).at(0).toLongLong();
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    shotDir_ = qEnvironmentVariable("IQL_SCREENSHOT_DIR", QCoreApplication::applicationDirPath() + "/../test-artifacts");
    QDir().mkpath(shotDir_);
  }

  void views_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("1100x700") << QSize(1100, 700);
    QTest::newRow("1600x1000") << QSize(1600, 1000);
  }
  void views() {
    QFETCH(QSize, size);
    const QString tag = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
    const QString db = dir_.filePath(tag + ".db");
    MainWindow w(db);
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY2(w.size() == size, qPrintable(QString("window %1x%2, minimum size hint %3x%4")
                                              .arg(w.width()).arg(w.height())
                                              .arg(w.minimumSizeHint().width()).arg(w.minimumSizeHint().height())));
    QSignalSpy loaded(w.datasetPanel(), &DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset("pendulum-medium");
    QVERIFY(loaded.wait(60000));
    shoot(w, 0, tag + "-0-ready.png");

    // Run 1: a tuned run. Wait for two evaluations, then one slider drag of beta 3 -> 9.74.
    // Long enough to be paused after the fourth evaluation even on a fast, idle machine.
    const qint64 first = train(w, 20000, 3.0);
    QVERIFY(first > 0);
    MetricPlot* eval = w.trainingPlots()->evaluationPlot();
    QTRY_VERIFY_WITH_TIMEOUT(eval->pointCount("eval_return") >= 2, 300000);
    shoot(w, 0, tag + "-1-training.png");
    QSignalSpy events(w.session(), &TrainingSession::event);
    QSlider* slider = w.hyperparameterPanel()->temperatureControl()->slider();
    slider->setSliderDown(true);
    for (int pos : {250, 400, 487}) slider->setSliderPosition(pos);
    slider->setSliderDown(false);
    QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(eval->pointCount("eval_return") >= 4, 300000);
    shoot(w, 0, tag + "-2-after-live-change.png");
    shoot(w, 1, tag + "-3-distributions.png");
    w.pauseAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(w.resumeAction()->isEnabled(), 10000);
    shoot(w, 0, tag + "-4-paused.png");
    w.resumeAction()->trigger();
    QSignalSpy finished(&w, &MainWindow::trainingFinished);
    QVERIFY(finished.wait(300000));

    // Run 2: untuned, beta 10, for the comparison.
    const qint64 second = train(w, 400, 10.0);
    QVERIFY(second > 0);
    QSignalSpy finished2(&w, &MainWindow::trainingFinished);
    QVERIFY(finished2.wait(300000));

    auto* browser = qobject_cast<RunsBrowser*>(w.runsBrowserWidget());
    QVERIFY(browser);
    w.tabs()->setCurrentWidget(browser);
    browser->refresh();
    browser->selectRuns({first, second});
    browser->compareAction()->trigger();
    auto* compare = browser->findChild<CompareView*>();
    QVERIFY(compare && compare->isVisible());
    compare->setMetric(CompareView::kEvalReturn);
    QCOMPARE(compare->runIds().size(), 2);
    shoot(w, 2, tag + "-5-compare.png");

    iql::RunStore store(db.toStdString());
    int changes = 0;
    for (const auto& e : store.events(first)) changes += e.kind == "hyperparameter";
    QCOMPARE(changes, 1);
  }
};

QTEST_MAIN(TestScreenshots)
#include "test_screenshots.moc"
