#include "ui/session/training_worker.h"

#include <exception>

#include "core/train/run_control.h"
#include "core/util/errors.h"

namespace iqlui {

TrainingWorker::TrainingWorker(std::shared_ptr<iql::RunControl> control, std::shared_ptr<SessionBuffer> buffer)
    : control_(std::move(control)), buffer_(std::move(buffer)) {}

iql::RunCallbacks TrainingWorker::callbacks() {
  iql::RunCallbacks cb;
  cb.on_started = [this](int64_t runId, const iql::TrainConfig& cfg) {
    Q_EMIT started(runId, QString::fromStdString(cfg.to_json()));
  };
  cb.on_metrics = [this](const iql::StepMetrics& m) {
    MetricSample s = toSample(m);
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    buffer_->metrics.append(std::move(s));
  };
  cb.on_probe = [this](const iql::ProbeSnapshot& p) {
    ProbeSample s = toSample(p);
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    buffer_->probe = std::move(s);
  };
  cb.on_progress = [this](int64_t step, int64_t total, double rate) {
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    buffer_->progress = ProgressSample{step, total, rate};
  };
  cb.on_online_progress = cb.on_progress;
  cb.on_online_episode = [this](int64_t step, const iql::OnlineStepInfo& info) {
    MetricSample s;
    s.step = step;
    s.values.append({QStringLiteral("online_episode_return"), info.episode_return});
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    buffer_->metrics.append(std::move(s));
  };
  cb.on_evaluation = [this](const iql::EvalResult& e) { Q_EMIT evaluation(toSample(e)); };
  cb.on_event = [this](const iql::RunEvent& e) { Q_EMIT event(toSample(e)); };
  return cb;
}

void TrainingWorker::run(const iql::TrainConfig& config, const iql::RunOptions& options) {
  try {
    const iql::RunOutcome out = iql::run_training(config, options, *control_, callbacks());
    Q_EMIT finished(QString::fromStdString(out.status), out.run_id);
  } catch (const iql::UserError& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  } catch (const std::exception& e) {
    Q_EMIT failed(QStringLiteral("Training failed: ") + QString::fromStdString(e.what()));
  } catch (...) {
    Q_EMIT failed(QStringLiteral("Training failed with an unknown error"));
  }
}

}  // namespace iqlui
