#include "ui/session/training_session.h"

#include <QDebug>
#include <algorithm>

#include "core/store/run_store.h"
#include "core/train/run_control.h"
#include "core/util/errors.h"
#include "ui/session/session_launches.h"
#include "ui/session/training_worker.h"

namespace iqlui {

TrainingSession::TrainingSession(QObject* parent)
    : QObject(parent),
      control_(std::make_shared<iql::RunControl>()),
      buffer_(std::make_shared<SessionBuffer>()) {
  registerSessionMetaTypes();
  drainTimer_.setInterval(100);  // 10 Hz
  connect(&drainTimer_, &QTimer::timeout, this, &TrainingSession::drain);
  thread_.setObjectName(QStringLiteral("iql-training"));
}

TrainingSession::~TrainingSession() {
  // Stop and join: the loop notices the request at the next step boundary (a paused run wakes up).
  control_->request_stop();
  shutdownThread();
}

bool TrainingSession::isActive() const {
  return state_ == State::Starting || state_ == State::Running || state_ == State::Paused ||
         state_ == State::Stopping;
}

void TrainingSession::start(const iql::TrainConfig& config, const QString& dbPath) {
  iql::StoredRunRequest rq;
  rq.members = {config};
  rq.db_path = dbPath.toStdString();
  launch(rq);
}

void TrainingSession::startPopulation(const std::vector<iql::TrainConfig>& members, const QString& dbPath) {
  iql::StoredRunRequest rq;
  rq.members = members;
  rq.population = true;
  rq.db_path = dbPath.toStdString();
  launch(rq);
}

void TrainingSession::continueRun(qint64 runId, const QString& dbPath, qint64 steps) {
  iql::StoredRunRequest rq;
  rq.db_path = dbPath.toStdString();
  rq.resume_run_id = runId;
  if (steps > 0) rq.steps_override = steps;
  launch(rq);
}

void TrainingSession::fineTune(qint64 parentRunId, const QString& dbPath, qint64 onlineSteps) {
  iql::RunStore store(dbPath.isEmpty() ? iql::RunStore::default_path() : dbPath.toStdString());
  auto parent = store.get_run(parentRunId);
  if (!parent) throw iql::ConfigError("no run " + std::to_string(parentRunId) + " in " + store.path());
  iql::TrainConfig config = iql::TrainConfig::from_json(parent->config_json);
  config.online_steps = onlineSteps;
  iql::StoredRunRequest rq;
  rq.members = {config};
  rq.db_path = dbPath.toStdString();
  rq.finetune_run_id = parentRunId;
  launch(rq);
}

void TrainingSession::launch(const iql::StoredRunRequest& request) {
  if (state_ != State::Idle) {
    qWarning() << "TrainingSession: a session runs once; create a new one for another run";
    return;
  }
  members_ = request.members;
  config_ = members_.empty() ? iql::TrainConfig{} : members_[0];

  worker_ = std::make_unique<TrainingWorker>(control_, buffer_);
  worker_->moveToThread(&thread_);
  connect(worker_.get(), &TrainingWorker::started, this, &TrainingSession::onWorkerStarted);
  connect(worker_.get(), &TrainingWorker::evaluation, this, &TrainingSession::onWorkerEvaluation);
  connect(worker_.get(), &TrainingWorker::event, this, &TrainingSession::onWorkerEvent);
  connect(worker_.get(), &TrainingWorker::finished, this, &TrainingSession::onWorkerFinished);
  connect(worker_.get(), &TrainingWorker::failed, this, &TrainingSession::onWorkerFailed);
  thread_.start();
  TrainingWorker* worker = worker_.get();
  QMetaObject::invokeMethod(worker, [worker, request] { worker->run(request); }, Qt::QueuedConnection);
  setState(State::Starting);
  Q_EMIT SessionLaunches::instance()->launched(this);
}

void TrainingSession::pause() {
  if (state_ != State::Running && state_ != State::Starting) return;
  control_->request_pause();
  setState(State::Paused);
}

void TrainingSession::resume() {
  if (state_ != State::Paused) return;
  control_->request_resume();
  setState(startedSeen_ ? State::Running : State::Starting);
}

void TrainingSession::stop() {
  if (!isActive() || state_ == State::Stopping) return;
  control_->request_stop();
  setState(State::Stopping);
}

void TrainingSession::changeHyperparameter(const QString& name, double value, int member) {
  if (!isActive() || state_ == State::Stopping) return;
  control_->request_change(name.toStdString(), value, member);
}

void TrainingSession::setState(State s) {
  if (s == state_) return;
  state_ = s;
  Q_EMIT stateChanged(s);
}

void TrainingSession::drain() {
  if (!startedSeen_) return;  // keep metrics behind the started signal
  QVector<QVector<MetricSample>> metrics;
  std::optional<ProbeSample> latestProbe;
  std::optional<ProgressSample> latestProgress;
  {
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    metrics = buffer_->metrics;
    for (auto& m : buffer_->metrics) m.clear();
    latestProbe.swap(buffer_->probe);
    latestProgress.swap(buffer_->progress);
  }
  for (int k = 0; k < metrics.size(); ++k) {
    if (metrics[k].isEmpty()) continue;
    Q_EMIT memberMetricsBatch(k, metrics[k]);
    if (k == 0) Q_EMIT metricsBatch(metrics[k]);
  }
  if (latestProbe) Q_EMIT probe(*latestProbe);
  if (latestProgress) {
    lastTotal_ = latestProgress->total;
    lastRate_ = latestProgress->stepsPerSec;
  }
  // The loop reports progress twice a second, metrics ten times: the step label follows whichever is
  // further, so it never trails the plots or a pause/stop (offline; online progress counts env steps).
  qint64 step = latestProgress ? latestProgress->step : -1;
  if (!online_ && !metrics.isEmpty() && !metrics[0].isEmpty()) step = std::max(step, metrics[0].last().step);
  if (step >= 0 && (online_ || step > reportedStep_)) {
    reportedStep_ = step;
    Q_EMIT progress(step, lastTotal_ > 0 ? lastTotal_ : config_.steps, lastRate_);
  }
}

void TrainingSession::reportReached(qint64 step) {
  drain();  // what the loop produced before it paused or stopped goes out first
  reportedStep_ = step;
  Q_EMIT progress(step, lastTotal_ > 0 ? lastTotal_ : config_.steps, lastRate_);
}

void TrainingSession::onWorkerStarted(const QString& populationId, const QVector<qint64>& runIds,
                                      const QString& configJson) {
  try {
    config_ = iql::TrainConfig::from_json(configJson.toStdString());
  } catch (const iql::UserError&) {
  }
  populationId_ = populationId;
  runIds_ = runIds;
  const qint64 runId = runIds.value(0);
  runId_ = runId;
  startedSeen_ = true;
  if (state_ == State::Starting) setState(State::Running);
  drainTimer_.start();
  Q_EMIT membersStarted(populationId, runIds);
  Q_EMIT started(runId);
}

void TrainingSession::onWorkerEvaluation(int member, const EvalSample& e) {
  Q_EMIT memberEvaluation(member, e);
  if (member == 0) Q_EMIT evaluation(e);
}

void TrainingSession::onWorkerEvent(int member, const EventSample& e) {
  if (member != 0) return;  // pause, resume and stop are every member's; hyperparameter events are stored
  if (e.kind == "phase") online_ = true;
  // Progress is sent twice a second at most: the step label would otherwise stay behind the event's step.
  if ((e.kind == "pause" || e.kind == "stop") && !online_ && startedSeen_) reportReached(e.step);
  // The loop confirms pause/resume itself; keep the state in step with what really happened.
  if (e.kind == "pause" && state_ == State::Running) setState(State::Paused);
  if (e.kind == "resume" && state_ == State::Paused && !control_->pause_requested()) setState(State::Running);
  Q_EMIT event(e);
}

void TrainingSession::onWorkerFinished(const QString& status, qint64 runId) {
  drainTimer_.stop();
  startedSeen_ = true;
  drain();  // everything the worker produced before it returned
  runId_ = runId;
  thread_.quit();  // the worker's run has returned: the thread ends at once, nothing to wait for
  setState(State::Finished);
  Q_EMIT finished(status, runId);
}

void TrainingSession::onWorkerFailed(const QString& message) {
  drainTimer_.stop();
  if (startedSeen_) drain();
  thread_.quit();
  setState(State::Failed);
  Q_EMIT failed(message);
}

void TrainingSession::shutdownThread() {
  if (thread_.isRunning()) {
    thread_.quit();
    thread_.wait();
  }
  worker_.reset();
}

}  // namespace iqlui
