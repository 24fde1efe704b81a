// One training run driven from the GUI. A worker object on its own QThread calls iql::run_training;
// every control method forwards to a thread-safe iql::RunControl and returns at once, so the GUI
// thread never waits on training. Step metrics are coalesced: the worker appends them to a
// mutex-protected buffer that a GUI-side timer drains about ten times a second into one
// metricsBatch signal (with the latest progress and probe). Destruction stops the run and joins.
#pragma once
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QVector>
#include <memory>

#include "core/train/train_config.h"
#include "core/train/training_run.h"
#include "ui/session/session_types.h"

namespace iql {
class RunControl;
}

namespace iqlui {

class TrainingWorker;
struct SessionBuffer;

class TrainingSession : public QObject {
  Q_OBJECT
public:
  enum class State { Idle, Starting, Running, Paused, Stopping, Finished, Failed };
  Q_ENUM(State)

  explicit TrainingSession(QObject* parent = nullptr);
  ~TrainingSession() override;

  // Starts a new stored run in dbPath (empty: the default store). A session runs once.
  void start(const iql::TrainConfig& config, const QString& dbPath);
  // Continues stored run runId from its latest checkpoint (to `steps` if > 0).
  void continueRun(qint64 runId, const QString& dbPath, qint64 steps = 0);
  // Fine-tunes stored offline run parentRunId online for onlineSteps environment steps, as a new run
  // linked to it (phase 'online'). Throws iql::UserError if the run is unknown.
  void fineTune(qint64 parentRunId, const QString& dbPath, qint64 onlineSteps);

  State state() const { return state_; }
  bool isActive() const;  // starting, running, paused or stopping
  qint64 runId() const { return runId_; }
  const iql::TrainConfig& config() const { return config_; }  // as started (updated on started)
  void setDrainIntervalMs(int ms) { drainTimer_.setInterval(ms); }

public Q_SLOTS:
  void pause();
  void resume();
  void stop();
  // Applied by the trainer at the next step boundary and stored as an event.
  void changeHyperparameter(const QString& name, double value);

Q_SIGNALS:
  void started(qint64 runId);
  void metricsBatch(const QVector<iqlui::MetricSample>& batch);
  void evaluation(const iqlui::EvalSample& result);
  void probe(const iqlui::ProbeSample& snapshot);  // the latest one only
  void event(const iqlui::EventSample& event);
  void progress(qint64 step, qint64 total, double stepsPerSec);
  void stateChanged(iqlui::TrainingSession::State state);
  void finished(const QString& status, qint64 runId);  // "finished" or "stopped"
  void failed(const QString& message);

private:
  void launch(const iql::TrainConfig& config, const QString& dbPath, qint64 resumeRunId, qint64 steps);
  void launch(const iql::TrainConfig& config, const iql::RunOptions& options);
  void setState(State s);
  void drain();
  void onWorkerStarted(qint64 runId);
  void onWorkerEvent(const iqlui::EventSample& e);
  void onWorkerFinished(const QString& status, qint64 runId);
  void onWorkerFailed(const QString& message);
  void shutdownThread();

  QThread thread_;
  std::unique_ptr<TrainingWorker> worker_;
  std::shared_ptr<iql::RunControl> control_;
  std::shared_ptr<SessionBuffer> buffer_;
  QTimer drainTimer_;
  State state_ = State::Idle;
  qint64 runId_ = 0;
  bool startedSeen_ = false;
  iql::TrainConfig config_;
};

}  // namespace iqlui
