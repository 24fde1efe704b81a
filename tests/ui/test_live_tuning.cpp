// Live tuning and progress are honest, in the real window with a real training thread:
//  - one slider drag, however slow, is one stored hyperparameter event (with the released value),
//    and the banner then shows the current beta, not the starting one;
//  - pausing shows "paused" in the banner and the rate, with no ETA; after resuming the rate is
//    measured again from recent steps only.
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/panels/slider_spin.h"
#include "ui/status/run_banner.h"
#include "ui/status/run_status_bar.h"

using namespace iqlui;

class TestLiveTuning : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;

  // Starts a long run of a small network on pendulum-medium and waits for its first progress.
  void startRun(MainWindow& w, QSignalSpy& started) {
    QSignalSpy loaded(w.datasetPanel(), &DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset("pendulum-medium");
    QVERIFY(loaded.wait(60000));
    iql::TrainConfig cfg = w.hyperparameterPanel()->config();
    cfg.hidden = 32;
    cfg.batch_size = 64;
    cfg.steps = 1000000;  // stopped by the test
    cfg.eval_interval = 0;
    cfg.probe_interval = 0;
    cfg.log_interval = 10;
    w.hyperparameterPanel()->setConfig(cfg);
    w.trainAction()->trigger();
    QVERIFY(started.wait(60000));
    QSignalSpy progress(w.session(), &TrainingSession::progress);
    QVERIFY(progress.wait(60000));
  }

  void stopRun(MainWindow& w) {
    QSignalSpy finished(&w, &MainWindow::trainingFinished);
    w.stopAction()->trigger();
    QVERIFY(finished.wait(60000));
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void oneEventPerSliderDrag() {
    const QString db = dir_.filePath("drag.db");
    MainWindow w(db);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy started(&w, &MainWindow::trainingStarted);
    startRun(w, started);
    const qint64 runId = started.at(0).at(0).toLongLong();
    QSignalSpy events(w.session(), &TrainingSession::event);

    // A slow drag: the user holds the handle and moves it in four moves, resting longer than the
    // old 300 ms debounce between them (each rest used to send, apply and store a change).
    QSlider* slider = w.hyperparameterPanel()->temperatureControl()->slider();
    slider->setSliderDown(true);
    for (int pos : {200, 300, 420, 487}) {
      slider->setSliderPosition(pos);
      QTest::qWait(400);  // the user's pace, not a wait for the training thread
    }
    slider->setSliderDown(false);  // release: one decision
    const double released = w.hyperparameterPanel()->temperatureControl()->value();
    QVERIFY(qAbs(released - 9.74) < 1e-9);  // 487/1000 of the slider's 0..20
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.begin(), events.end(),
                                         [](const QList<QVariant>& a) {
                                           return a.at(0).value<EventSample>().kind == "hyperparameter";
                                         }),
                             60000);
    // The banner shows the value now in force.
    QVERIFY2(w.banner()->text().contains("β 3 → <b>9.74</b>"), qPrintable(w.banner()->text()));
    stopRun(w);

    iql::RunStore store(db.toStdString());
    int changes = 0;
    for (const auto& e : store.events(runId))
      if (e.kind == "hyperparameter") {
        ++changes;
        QVERIFY2(e.payload_json.find("\"new\":9.74") != std::string::npos, e.payload_json.c_str());
      }
    QCOMPARE(changes, 1);
  }

  void pausedStateAndRate() {
    MainWindow w(dir_.filePath("pause.db"));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy started(&w, &MainWindow::trainingStarted);
    startRun(w, started);
    QSignalSpy progress(w.session(), &TrainingSession::progress);
    QTRY_VERIFY_WITH_TIMEOUT(w.runStatus()->rateLabel()->text().endsWith("steps/s"), 60000);
    QVERIFY(w.banner()->text().contains("<b>training</b>"));

    QSignalSpy events(w.session(), &TrainingSession::event);
    w.pauseAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.begin(), events.end(),
                                         [](const QList<QVariant>& a) {
                                           return a.at(0).value<EventSample>().kind == "pause";
                                         }),
                             60000);
    QVERIFY2(w.banner()->text().contains("<b>paused</b>"), qPrintable(w.banner()->text()));
    QCOMPARE(w.runStatus()->rateLabel()->text(), QString("paused"));
    QCOMPARE(w.runStatus()->etaLabel()->text(), QString("ETA –"));
    QVERIFY(w.resumeAction()->isEnabled());
    const qint64 pausedAt = w.runStatus()->step();

    w.resumeAction()->trigger();
    QVERIFY(w.banner()->text().contains("<b>training</b>"));
    // Measured afresh: the rate reappears only once new steps arrive after the resume.
    QTRY_VERIFY_WITH_TIMEOUT(w.runStatus()->step() > pausedAt && w.runStatus()->rateLabel()->text().endsWith("steps/s"),
                             60000);
    QVERIFY(w.runStatus()->stepsPerSecond() > 0);
    QVERIFY(w.runStatus()->etaLabel()->text().startsWith("ETA "));
    QCOMPARE(w.runStatus()->nextEvalLabel()->text(), QString("eval at the end"));  // eval_interval 0
    stopRun(w);
  }
};

QTEST_MAIN(TestLiveTuning)
#include "test_live_tuning.moc"
