// One stored run driven from the GUI: a single run or a population (P members as one batched model).
// A worker object on its own QThread calls the stored-run loop (iql::run_stored); every control
// method forwards to a thread-safe iql::RunControl and returns at once, so the GUI thread never waits
// on training. Step metrics are coalesced: the worker appends them to a mutex-protected buffer that a
// GUI-side timer drains about ten times a second into one batch signal per member (with the latest
// progress and probe). Progress is the furthest step known: the loop's report or member 0's latest
// metric; a pause or stop reports the step the loop really reached (the event's), never an older one.
// The plain signals (started, metricsBatch, evaluation, probe, event) are member 0's, which is the
// whole run for a single run. Destruction stops the run and joins.
#pragma once
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QVector>
#include <memory>
#include <vector>

#include "core/train/stored_run/stored_run.h"
#include "core/config/train_config.h"
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
  // Starts a population: each member a stored run in dbPath, linked by a population id.
  void startPopulation(const std::vector<iql::TrainConfig>& members, const QString& dbPath);

  State state() const { return state_; }
  bool isActive() const;  // starting, running, paused or stopping
  qint64 runId() const { return runId_; }
  const iql::TrainConfig& config() const { return config_; }  // as started (updated on started)
  const std::vector<iql::TrainConfig>& members() const { return members_; }  // as asked for
  QString populationId() const { return populationId_; }  // empty for a single run
  QVector<qint64> runIds() const { return runIds_; }
  void setDrainIntervalMs(int ms) { drainTimer_.setInterval(ms); }

public Q_SLOTS:
  void pause();
  void resume();
  void stop();
  // Applied by the trainer at the next step boundary and stored as an event; member < 0: every member.
  void changeHyperparameter(const QString& name, double value, int member = -1);

Q_SIGNALS:
  void started(qint64 runId);
  void membersStarted(const QString& populationId, const QVector<qint64>& runIds);
  void memberMetricsBatch(int member, const QVector<iqlui::MetricSample>& batch);
  void memberEvaluation(int member, const iqlui::EvalSample& result);
  void metricsBatch(const QVector<iqlui::MetricSample>& batch);
  void evaluation(const iqlui::EvalSample& result);
  void probe(const iqlui::ProbeSample& snapshot);  // the latest one only
  void event(const iqlui::EventSample& event);
  void progress(qint64 step, qint64 total, double stepsPerSec);
  void stateChanged(iqlui::TrainingSession::State state);
  void finished(const QString& status, qint64 runId);  // "finished" or "stopped"
  void failed(const QString& message);

private:
  void launch(const iql::StoredRunRequest& request);
  void setState(State s);
  void drain();
  void onWorkerStarted(const QString& populationId, const QVector<qint64>& runIds, const QString& configJson);
  void onWorkerEvaluation(int member, const iqlui::EvalSample& result);
  void onWorkerEvent(int member, const iqlui::EventSample& event);
  void onWorkerFinished(const QString& status, qint64 runId);
  void onWorkerFailed(const QString& message);
  void reportReached(qint64 step);  // progress at the step a pause or stop took effect
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
  std::vector<iql::TrainConfig> members_;
  QString populationId_;
  QVector<qint64> runIds_;
  qint64 reportedStep_ = -1;  // the last step sent as progress (offline): never goes back
  qint64 lastTotal_ = 0;
  double lastRate_ = 0.0;
  bool online_ = false;  // after the 'phase' event progress counts environment steps, not updates
};

}  // namespace iqlui
