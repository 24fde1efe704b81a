// TrainingSession through its real worker thread: start, pause, resume, a live hyperparameter
// change stored as an event, stop; a bad dataset path; metrics coalesced to about 10 Hz.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "core/config/train_config.h"
#include "ui/session/training_session.h"

using iqlui::EventSample;
using iqlui::TrainingSession;

class TestTrainingSession : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;
  QString db() const { return dir_.filePath("runs.db"); }
  static iql::TrainConfig smallConfig() {
    iql::TrainConfig c;
    c.dataset = "pendulum-medium";
    c.hidden = 32;
    c.steps = 2000;
    c.eval_interval = 500;
    c.eval_episodes = 2;
    c.probe_interval = 250;
    c.log_interval = 1;  // a metric every step: the GUI must still get about ten batches a second
    return c;
  }
  // Waits until `spy` holds an event of `kind`; returns it.
  static std::optional<EventSample> waitForEvent(QSignalSpy& spy, const QString& kind, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    int seen = 0;
    while (t.elapsed() < timeoutMs) {
      for (; seen < spy.count(); ++seen) {
        const auto e = spy.at(seen).at(0).value<EventSample>();
        if (e.kind == kind) return e;
      }
      spy.wait(200);
    }
    return std::nullopt;
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  // A finished offline run, fine-tuned online: a new run linked to it, with the phase switch as an
  // event and online episode returns reaching the GUI and the store.
  void fineTuneOnline() {
    qint64 parent = 0;
    {
      TrainingSession s;
      QSignalSpy finished(&s, &TrainingSession::finished);
      auto c = smallConfig();
      c.steps = 200;
      c.log_interval = 10;
      s.start(c, db());
      QVERIFY(finished.wait(120000));
      parent = finished.at(0).at(1).toLongLong();
    }
    TrainingSession s;
    QSignalSpy events(&s, &TrainingSession::event);
    QSignalSpy batches(&s, &TrainingSession::metricsBatch);
    QSignalSpy finished(&s, &TrainingSession::finished);
    s.fineTune(parent, db(), 450);
    QVERIFY(waitForEvent(events, "phase").has_value());
    if (finished.isEmpty()) QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toString(), QString("finished"));
    const qint64 child = finished.at(0).at(1).toLongLong();
    QVERIFY(child != parent);
    int onlineReturns = 0;
    for (const auto& b : batches)
      for (const auto& m : b.at(0).value<QVector<iqlui::MetricSample>>())
        for (const auto& kv : m.values) onlineReturns += kv.first == "online_episode_return";
    QCOMPARE(onlineReturns, 2);  // 450 env steps of 200-step Pendulum episodes

    iql::RunStore store(db().toStdString());
    auto run = store.get_run(child);
    QVERIFY(run.has_value());
    QCOMPARE(run->parent_run_id.value_or(-1), parent);
    QCOMPARE(QString::fromStdString(run->phase), QString("online"));
    QCOMPARE(int(store.metric_series(child, "online_episode_return").size()), 2);
  }

  void lifecycle() {
    TrainingSession s;
    QSignalSpy started(&s, &TrainingSession::started);
    QSignalSpy events(&s, &TrainingSession::event);
    QSignalSpy batches(&s, &TrainingSession::metricsBatch);
    QSignalSpy finished(&s, &TrainingSession::finished);
    QSignalSpy failed(&s, &TrainingSession::failed);

    auto config = smallConfig();
    config.steps = 10000000;  // ended by stop() below, never by running out of steps
    s.start(config, db());
    QCOMPARE(s.state(), TrainingSession::State::Starting);
    QVERIFY(started.wait(60000));
    const qint64 runId = started.at(0).at(0).toLongLong();
    QVERIFY(runId > 0);
    QCOMPARE(s.runId(), runId);

    // Let metrics flow for a while and count the batches the GUI receives.
    QElapsedTimer clock;
    clock.start();
    const int batchesBefore = batches.count();
    QTest::qWait(1500);  // not a sleep: the event loop runs and delivers signals meanwhile
    const double seconds = clock.elapsed() / 1000.0;
    const int batchCount = batches.count() - batchesBefore;
    int samples = 0;
    for (const auto& args : batches) samples += args.at(0).value<QVector<iqlui::MetricSample>>().size();
    qInfo("metricsBatch: %d signals in %.2f s (%.1f/s), %d metric samples in all", batchCount, seconds,
          batchCount / seconds, samples);
    QVERIFY(batchCount / seconds <= 12.0);
    QVERIFY(samples >= batches.count());

    s.pause();
    QCOMPARE(s.state(), TrainingSession::State::Paused);
    QVERIFY(waitForEvent(events, "pause").has_value());
    s.resume();
    QVERIFY(waitForEvent(events, "resume").has_value());
    QCOMPARE(s.state(), TrainingSession::State::Running);

    s.changeHyperparameter("temperature", 5.0);
    const auto change = waitForEvent(events, "hyperparameter");
    QVERIFY(change.has_value());
    QCOMPARE(change->name, QString("temperature"));
    QCOMPARE(change->oldValue, 3.0);
    QCOMPARE(change->newValue, 5.0);

    s.stop();
    QCOMPARE(s.state(), TrainingSession::State::Stopping);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toString(), QString("stopped"));
    QCOMPARE(finished.at(0).at(1).toLongLong(), runId);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(s.state(), TrainingSession::State::Finished);

    iql::RunStore store(db().toStdString());
    bool stored = false;
    for (const auto& e : store.events(runId))
      if (e.kind == "hyperparameter" && e.payload_json.find("\"new\":5") != std::string::npos &&
          e.payload_json.find("\"old\":3") != std::string::npos)
        stored = true;
    QVERIFY(stored);
    QCOMPARE(QString::fromStdString(store.get_run(runId)->status), QString("stopped"));
    QVERIFY(!store.metrics(runId).empty());
  }

  void invalidDatasetFails() {
    TrainingSession s;
    QSignalSpy failed(&s, &TrainingSession::failed);
    QSignalSpy started(&s, &TrainingSession::started);
    iql::TrainConfig c = smallConfig();
    const QString path = dir_.filePath("no-such-dataset.hdf5");
    c.dataset = path.toStdString();
    s.start(c, db());
    QVERIFY(failed.wait(30000));
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(path), qPrintable(message));
    QCOMPARE(started.count(), 0);
    QCOMPARE(s.state(), TrainingSession::State::Failed);
  }

  void destructionStopsARunningSession() {
    QElapsedTimer t;
    t.start();
    {
      TrainingSession s;
      QSignalSpy started(&s, &TrainingSession::started);
      iql::TrainConfig c = smallConfig();
      c.steps = 1000000;
      s.start(c, db());
      QVERIFY(started.wait(60000));
    }  // stops and joins here
    QVERIFY(t.elapsed() < 120000);
  }
};

QTEST_MAIN(TestTrainingSession)
#include "test_training_session.moc"
