#include "ui/population/population_session.h"

#include <mutex>
#include <optional>

#include "core/train/population_run.h"
#include "core/train/run_control.h"
#include "core/util/errors.h"

namespace iqlui {

struct PopulationBuffer {
  std::mutex mutex;
  QVector<QVector<MetricSample>> metrics;  // per member
  std::optional<std::tuple<qint64, qint64, double>> progress;
};

PopulationSession::PopulationSession(QObject* parent)
    : QObject(parent), control_(std::make_shared<iql::RunControl>()), buffer_(std::make_shared<PopulationBuffer>()) {
  registerSessionMetaTypes();
  drainTimer_.setInterval(100);
  connect(&drainTimer_, &QTimer::timeout, this, &PopulationSession::drain);
}

PopulationSession::~PopulationSession() {
  control_->request_stop();
  if (thread_) {
    thread_->wait();
    delete thread_;
  }
}

void PopulationSession::start(const std::vector<iql::TrainConfig>& members, const QString& dbPath) {
  if (thread_) return;  // a session runs once
  members_ = members;
  {
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    buffer_->metrics.resize(static_cast<int>(members.size()));
  }
  active_ = true;
  auto control = control_;
  auto buffer = buffer_;
  iql::PopulationOptions opt;
  opt.db_path = dbPath.toStdString();
  thread_ = QThread::create([this, members, opt, control, buffer] {
    iql::PopulationCallbacks cb;
    cb.on_started = [this](const std::string& id, const std::vector<int64_t>& ids, const std::vector<iql::TrainConfig>&) {
      QVector<qint64> runs(ids.begin(), ids.end());
      const QString pid = QString::fromStdString(id);
      QMetaObject::invokeMethod(this, [this, pid, runs] {
        populationId_ = pid;
        runIds_ = runs;
        Q_EMIT started(pid, runs);
      }, Qt::QueuedConnection);
    };
    cb.on_metrics = [buffer](int64_t k, const iql::StepMetrics& m) {
      MetricSample s = toSample(m);
      std::lock_guard<std::mutex> lock(buffer->mutex);
      buffer->metrics[static_cast<int>(k)].append(std::move(s));
    };
    cb.on_progress = [buffer](int64_t step, int64_t total, double rate) {
      std::lock_guard<std::mutex> lock(buffer->mutex);
      buffer->progress = std::make_tuple(qint64(step), qint64(total), rate);
    };
    cb.on_evaluation = [this](int64_t k, const iql::EvalResult& e) {
      const EvalSample s = toSample(e);
      const int member = static_cast<int>(k);
      QMetaObject::invokeMethod(this, [this, member, s] { Q_EMIT evaluation(member, s); }, Qt::QueuedConnection);
    };
    QString status, error;
    try {
      status = QString::fromStdString(iql::run_population(members, opt, *control, cb).status);
    } catch (const iql::UserError& e) {
      error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
      error = QStringLiteral("Population training failed: ") + QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(this, [this, status, error] {
      onDone();
      if (error.isEmpty()) Q_EMIT finished(status);
      else Q_EMIT failed(error);
    }, Qt::QueuedConnection);
  });
  thread_->setObjectName(QStringLiteral("iql-population"));
  drainTimer_.start();
  thread_->start();
}

void PopulationSession::drain() {
  QVector<QVector<MetricSample>> metrics;
  std::optional<std::tuple<qint64, qint64, double>> prog;
  {
    std::lock_guard<std::mutex> lock(buffer_->mutex);
    metrics = buffer_->metrics;
    for (auto& m : buffer_->metrics) m.clear();
    prog = std::exchange(buffer_->progress, std::nullopt);
  }
  for (int k = 0; k < metrics.size(); ++k)
    if (!metrics[k].isEmpty()) Q_EMIT metricsBatch(k, metrics[k]);
  if (prog) Q_EMIT progress(std::get<0>(*prog), std::get<1>(*prog), std::get<2>(*prog));
}

void PopulationSession::onDone() {
  drain();  // the last metrics before the outcome
  drainTimer_.stop();
  active_ = false;
  if (thread_) thread_->wait();
}

void PopulationSession::pause() { control_->request_pause(); }
void PopulationSession::resume() { control_->request_resume(); }
void PopulationSession::stop() { control_->request_stop(); }
void PopulationSession::changeHyperparameter(const QString& name, double value, int member) {
  control_->request_change(name.toStdString(), value, member);
}

}  // namespace iqlui
