#include "ui/session/training_worker.h"

#include <exception>

#include "core/train/run_control.h"
#include "core/util/errors.h"

namespace iqlui {

TrainingWorker::TrainingWorker(std::shared_ptr<iql::RunControl> control, std::shared_ptr<SessionBuffer> buffer)
    : control_(std::move(control)), buffer_(std::move(buffer)) {}

iql::StoredRunCallbacks TrainingWorker::callbacks() {
  iql::StoredRunCallbacks cb;
  cb.on_started = [this](const std::string& pid, const std::vector<int64_t>& ids, const std::vector<iql::TrainConfig>& cfgs) {
    {
      std::lock_guard<std::mutex> lock(buffer_->mutex);
      buffer_->metrics.resize(static_cast<int>(ids.size()));
    }
    Q_EMIT started(QString::fromStdString(pid), QVector<qint64>(ids.begin(), ids.end()),
                   QString::fromStdString(cfgs[0].to_json()));
  };
  cb.on_metrics = [this](int64_t k, const iql::StepMetrics& m) {
    MetricSample s = toSample(m);
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    buffer_->metrics[static_cast<int>(k)].append(std::move(s));
  };
  cb.on_probe = [this](int64_t k, const iql::ProbeSnapshot& p) {
    if (k != 0) return;  // the distributions view shows one run
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
    buffer_->metrics[0].append(std::move(s));
  };
  cb.on_evaluation = [this](int64_t k, const iql::EvalResult& e) { Q_EMIT evaluation(static_cast<int>(k), toSample(e)); };
  cb.on_event = [this](int64_t k, const iql::RunEvent& e) { Q_EMIT event(static_cast<int>(k), toSample(e)); };
  return cb;
}

void TrainingWorker::run(const iql::StoredRunRequest& request) {
  try {
    const iql::StoredRunOutcome out = iql::run_stored(request, *control_, callbacks());
    Q_EMIT finished(QString::fromStdString(out.status), out.members.empty() ? 0 : out.members[0].run_id);
  } catch (const iql::UserError& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  } catch (const std::exception& e) {
    Q_EMIT failed(QStringLiteral("Training failed: ") + QString::fromStdString(e.what()));
  } catch (...) {
    Q_EMIT failed(QStringLiteral("Training failed with an unknown error"));
  }
}

}  // namespace iqlui
