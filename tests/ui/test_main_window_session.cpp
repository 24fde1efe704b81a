// MainWindow's toolbar and status bar follow whichever session trains. A population started from the
// Population tab disables Train, and the toolbar's Pause, Resume and Stop drive it; the status bar
// shows its progress, none of an earlier run's. A pause or a stop reports one step everywhere: the
// step label, the status message, the banner and the stored event all read the step the loop
// reached. Pause, Resume and Stop have shortcuts that no other action of the window uses.
#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/population/population_view.h"
#include "ui/status/run_banner.h"
#include "ui/status/run_status_bar.h"

using namespace iqlui;

namespace {
// Waits until spy has an event of kind (after the first `from` entries); returns it.
std::optional<EventSample> waitForEvent(QSignalSpy& spy, const QString& kind, int from = 0) {
  for (int tries = 0; tries < 600; ++tries) {
    for (int i = from; i < spy.count(); ++i) {
      const auto e = spy.at(i).at(0).value<EventSample>();
      if (e.kind == kind) return e;
    }
    spy.wait(200);
  }
  return std::nullopt;
}
QString stepText(qint64 step) { return QLocale().toString(step); }
}  // namespace

class TestMainWindowSession : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  // A window with pendulum-medium loaded and small, fast settings that never run out of steps.
  void prepare(MainWindow& w) {
    QSignalSpy loaded(w.datasetPanel(), &DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset("pendulum-medium");
    QVERIFY(loaded.wait(60000));
    iql::TrainConfig cfg = w.hyperparameterPanel()->config();
    cfg.hidden = 32;
    cfg.steps = 10000000;  // ended by Stop
    cfg.eval_interval = 100000;
    cfg.eval_episodes = 1;
    cfg.probe_interval = 0;
    cfg.log_interval = 10;
    cfg.threads = 1;
    w.hyperparameterPanel()->setConfig(cfg);
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void shortcutsAreStandardAndUnique() {
    MainWindow w(dir_.filePath("runs.db"));
    QCOMPARE(w.pauseAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_P));
    QCOMPARE(w.resumeAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    QCOMPARE(w.stopAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Period));
    QCOMPARE(w.trainAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Return));
    for (QAction* a : {w.trainAction(), w.pauseAction(), w.resumeAction(), w.stopAction()}) {
      QVERIFY2(a->toolTip().contains(a->shortcut().toString(QKeySequence::NativeText)), qPrintable(a->toolTip()));
      for (QAction* other : w.findChildren<QAction*>())
        if (other != a)
          for (const QKeySequence& k : other->shortcuts())
            QVERIFY2(k != a->shortcut(), qPrintable(other->text() + " also uses " + k.toString()));
      QVERIFY(!QKeySequence::keyBindings(QKeySequence::Refresh).contains(a->shortcut()));
    }
  }

  void populationDrivenFromTheToolbar() {
    const QString db = dir_.filePath("population.db");
    MainWindow w(db);
    w.show();
    prepare(w);
    w.runStatus()->onProgress(2469, 3000);  // what an earlier run left in the status bar
    QVERIFY(w.trainAction()->isEnabled());

    w.populationView()->setVaryLists("0.7", "1, 3", "0");
    w.populationView()->startPopulation();
    TrainingSession* s = w.populationView()->session();
    QVERIFY(s);
    QCOMPARE(w.followedSession(), s);
    QVERIFY(!w.trainAction()->isEnabled());
    QVERIFY(w.pauseAction()->isEnabled());
    QVERIFY(w.stopAction()->isEnabled());
    QVERIFY2(!w.runStatus()->stepLabel()->text().contains("2,469"), qPrintable(w.runStatus()->stepLabel()->text()));

    QSignalSpy progress(s, &TrainingSession::progress);
    QSignalSpy events(s, &TrainingSession::event);
    QSignalSpy finished(s, &TrainingSession::finished);
    QVERIFY(progress.wait(120000));
    const qint64 step = progress.last().at(0).toLongLong();
    QCOMPARE(w.runStatus()->stepLabel()->text(), QString("step %1 / %2").arg(stepText(step), stepText(10000000)));
    QVERIFY(w.runStatus()->progressVisible());

    w.pauseAction()->trigger();
    QCOMPARE(s->state(), TrainingSession::State::Paused);
    const auto paused = waitForEvent(events, "pause");
    QVERIFY(paused.has_value());
    QVERIFY(!w.pauseAction()->isEnabled());
    QVERIFY(w.resumeAction()->isEnabled());
    QVERIFY(w.stopAction()->isEnabled());
    QVERIFY(!w.trainAction()->isEnabled());
    QCOMPARE(w.runStatus()->rateLabel()->text(), QString("paused"));
    QCOMPARE(w.runStatus()->stepLabel()->text(), QString("step %1 / %2").arg(stepText(paused->step), stepText(10000000)));
    QVERIFY2(w.banner()->text().contains("paused"), qPrintable(w.banner()->text()));

    const int seen = events.count();
    w.resumeAction()->trigger();
    QVERIFY(waitForEvent(events, "resume", seen).has_value());
    QCOMPARE(s->state(), TrainingSession::State::Running);
    QVERIFY(w.pauseAction()->isEnabled());

    w.stopAction()->trigger();
    QVERIFY(!w.stopAction()->isEnabled());  // stopping
    const auto stopped = waitForEvent(events, "stop", seen);
    QVERIFY(stopped.has_value());
    if (finished.isEmpty()) QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toString(), QString("stopped"));
    QVERIFY(w.trainAction()->isEnabled());
    QVERIFY(!w.stopAction()->isEnabled());
    QVERIFY(!w.pauseAction()->isEnabled());
    QCOMPARE(w.runStatus()->step(), stopped->step);
    QVERIFY2(w.banner()->text().contains(QString("stopped at step %1").arg(stepText(stopped->step))),
             qPrintable(w.banner()->text()));
    iql::RunStore store(db.toStdString());
    for (qint64 id : s->runIds()) QCOMPARE(QString::fromStdString(store.get_run(id)->status), QString("stopped"));
  }

  void pauseAndStopReportOneStep() {
    const QString db = dir_.filePath("run.db");
    MainWindow w(db);
    w.show();
    prepare(w);
    QSignalSpy started(&w, &MainWindow::trainingStarted);
    QSignalSpy finished(&w, &MainWindow::trainingFinished);
    w.trainAction()->trigger();
    QVERIFY(started.wait(120000));
    const qint64 runId = started.at(0).at(0).toLongLong();
    TrainingSession* s = w.session();
    QSignalSpy progress(s, &TrainingSession::progress);
    QSignalSpy events(s, &TrainingSession::event);
    QVERIFY(progress.wait(60000));
    QVERIFY(progress.wait(60000));  // a second report: the rate-limited progress is now behind the loop

    w.pauseAction()->trigger();
    const auto paused = waitForEvent(events, "pause");
    QVERIFY(paused.has_value());
    const QString pausedAt = stepText(paused->step);
    QCOMPARE(w.runStatus()->stepLabel()->text(), QString("step %1 / %2").arg(pausedAt, stepText(10000000)));
    QCOMPARE(w.statusBar()->currentMessage(), QString("Paused at step %1").arg(pausedAt));
    QCOMPARE(progress.last().at(0).toLongLong(), paused->step);

    const int seen = events.count();
    w.resumeAction()->trigger();
    QVERIFY(waitForEvent(events, "resume", seen).has_value());
    const int progressAtResume = progress.count();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > progressAtResume + 1, 60000);
    w.stopAction()->trigger();
    const auto stopped = waitForEvent(events, "stop", seen);
    QVERIFY(stopped.has_value());
    if (finished.isEmpty()) QVERIFY(finished.wait(120000));
    const QString stoppedAt = stepText(stopped->step);
    QCOMPARE(w.runStatus()->stepLabel()->text(), QString("step %1 / %2").arg(stoppedAt, stepText(10000000)));
    QVERIFY2(w.banner()->text().contains(QString("stopped at step %1").arg(stoppedAt)), qPrintable(w.banner()->text()));
    for (const auto& args : progress) QVERIFY(args.at(0).toLongLong() <= stopped->step);

    // The store says the same: the pause and stop events at those steps, the run ended at the stop.
    iql::RunStore store(db.toStdString());
    bool pauseStored = false, stopStored = false;
    for (const auto& e : store.events(runId)) {
      pauseStored = pauseStored || (e.kind == "pause" && e.step == paused->step);
      stopStored = stopStored || (e.kind == "stop" && e.step == stopped->step);
    }
    QVERIFY(pauseStored);
    QVERIFY(stopStored);
    QCOMPARE(store.get_run(runId)->steps, stopped->step);
  }
};

QTEST_MAIN(TestMainWindowSession)
#include "test_main_window_session.moc"
