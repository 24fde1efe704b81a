// Screenshots of the real window for review, at 1100x700 and 1600x1000: a run in progress, after a
// live beta change, paused, the Distributions tab, and the Runs tab comparing two runs (one tuned
// mid-run). Written to $IQL_SCREENSHOT_DIR (default <build>/test-artifacts). The checks are the ones a
// reviewer needs to trust the pictures: the window has the asked size, the run really trained, the
// change is one event and the compare view shows both runs. With IQL_DOCS_IMAGES=DIR the 1100x700
// shots are also saved there without their size prefix: the user guide's pictures
// (packaging/gen-docs-images.sh regenerates docs/images/ this way, never by hand).
#include <QDir>
#include <QSignalSpy>
#include <QSlider>
#include <QStatusBar>
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
#include <unistd.h>

#include <QProgressBar>
#include <QPushButton>

#include "core/sweep/sweep_folder.h"
#include "core/sweep/synthetic_sweep.h"
#include "core/train/antmaze_generator.h"
#include "ui/plots/maze_view.h"
#include "ui/population/population_view.h"
#include "ui/sweeps/sweeps_view.h"

using namespace iqlui;

class TestScreenshots : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;
  QString shotDir_;
  QString docsDir_;

  // Saves `image` as `name` in the screenshot folder and, for the docs' size, in the docs folder.
  bool save(const QPixmap& image, const QString& name) {
    const QString path = QDir(shotDir_).filePath(name);
    if (!image.save(path)) return false;
    qInfo("screenshot: %s", qPrintable(path));
    const QString docsPrefix = QStringLiteral("1100x700-");
    if (!docsDir_.isEmpty() && name.startsWith(docsPrefix))
      return image.save(QDir(docsDir_).filePath(name.mid(docsPrefix.size())));
    return true;
  }

  void shoot(MainWindow& w, int tab, const QString& name) {
    w.tabs()->setCurrentIndex(tab);
    QCoreApplication::processEvents();
    w.trainingPlots()->flushNow();
    QVERIFY2(save(w.grab(), name), qPrintable(name));
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
    docsDir_ = qEnvironmentVariable("IQL_DOCS_IMAGES");
    if (!docsDir_.isEmpty()) QVERIFY(QDir().mkpath(docsDir_));
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
    // Long enough to be paused after the fourth evaluation even on a fast, idle machine; then stopped.
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
    // the loop confirms the pause (its event names the step reached; the step label shows the same)
    QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().startsWith("Paused at step"), 60000);
    shoot(w, 0, tag + "-4-paused.png");
    // Stopped, not run to its end: 20,000 steps would make the test's length follow the machine's load.
    QSignalSpy finished(&w, &MainWindow::trainingFinished);
    w.stopAction()->trigger();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("stopped"));

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

  // The Population tab after 12 members (one beta shared by six), the Sweeps tab on a synthetic
  // sweep, and an AntMaze file (its summary, its maze window with the planner busy and done).
  void populationSweepsMaze_data() { views_data(); }
  void populationSweepsMaze() {
    QFETCH(QSize, size);
    const QString tag = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
    qputenv("XDG_CACHE_HOME", dir_.filePath("cache-" + tag).toUtf8());
    MainWindow w(dir_.filePath(tag + "-pop.db"));
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy loaded(w.datasetPanel(), &DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset("pendulum-medium");
    QVERIFY(loaded.wait(60000));
    iql::TrainConfig cfg = w.hyperparameterPanel()->config();
    cfg.hidden = 32;
    cfg.steps = 600;
    cfg.eval_interval = 200;
    cfg.eval_episodes = 1;
    cfg.probe_interval = 0;
    cfg.log_interval = 20;
    w.hyperparameterPanel()->setConfig(cfg);
    PopulationView* pop = w.populationView();
    w.tabs()->setCurrentWidget(pop);
    pop->setVaryLists("0.5, 0.7, 0.9", "3, 10", "0, 1");
    QSignalSpy popDone(pop, &PopulationView::populationFinished);
    pop->trainButton()->click();
    QVERIFY(popDone.wait(300000));
    pop->metricPlot()->flushNow();
    pop->scorePlot()->flushNow();
    shoot(w, w.tabs()->indexOf(pop), tag + "-6-population.png");

    const std::string sweepDir = dir_.filePath("sweep-" + tag).toStdString();
    iql::SyntheticSweepOptions o;
    o.shards = 6;
    o.steps = 1000;
    o.eval_interval = 250;
    iql::make_synthetic_sweep(sweepDir, o);
    iql::SweepFolder folder(sweepDir);
    for (int i = 0; i < 6; ++i) {
      iql::TaskRecord r;
      r.index = i;
      r.state = i < 5 ? "finished" : "running";
      r.attempts = 1;
      r.pid = getpid();
      char host[256] = {0};
      gethostname(host, sizeof host - 1);
      r.host = host;
      folder.write_record(r);
    }
    SweepsView* sweeps = w.sweepsView();
    w.tabs()->setCurrentWidget(sweeps);
    QSignalSpy refreshed(sweeps, &SweepsView::refreshed);
    QVERIFY(sweeps->openSweep(QString::fromStdString(sweepDir)));
    QVERIFY(refreshed.wait(30000));
    shoot(w, w.tabs()->indexOf(sweeps), tag + "-7-sweeps.png");

    iql::AntMazeGenOptions g;
    g.transitions = 3000;
    g.seed = 5;
    const QString data = dir_.filePath("maze-data-" + tag + ".hdf5");  // a name that says nothing of AntMaze
    iql::write_antmaze_hdf5(iql::generate_antmaze(g), data.toStdString());
    QSignalSpy loaded2(w.datasetPanel(), &DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset(data);
    QVERIFY(loaded2.wait(60000));
    shoot(w, 0, tag + "-8-antmaze-dataset.png");
    QWidget* maze = MazeView::openForDataset(data, &w);
    maze->resize(size.width() / 2, size.height() * 2 / 3);
    auto* view = maze->findChild<MazeView*>();
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->coveragePoints() == 3000, 30000);
    auto* planner = maze->findChild<QPushButton*>();
    for (auto* b : maze->findChildren<QPushButton*>())
      if (b->text().contains("planner")) planner = b;
    planner->click();
    QCoreApplication::processEvents();
    QVERIFY(save(maze->grab(), tag + "-9-maze-busy.png"));
    QTRY_VERIFY_WITH_TIMEOUT(planner->isEnabled(), 300000);
    QVERIFY(save(maze->grab(), tag + "-9-maze-planner.png"));
    delete maze;
  }
};

QTEST_MAIN(TestScreenshots)
#include "test_screenshots.moc"
