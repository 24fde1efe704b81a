// The object that lives on a TrainingSession's thread and runs iql::run_training there. Its callbacks
// convert core structs to Qt value types: metrics, progress and probes go into the shared buffer,
// rarer things (start, evaluation, events, the outcome) leave as queued signals.
#pragma once
#include <QObject>
#include <QString>
#include <QVector>
#include <memory>
#include <mutex>
#include <optional>

#include "core/train/train_config.h"
#include "core/train/training_run.h"
#include "ui/session/session_types.h"

namespace iqlui {

struct ProgressSample {
  qint64 step = 0, total = 0;
  double stepsPerSec = 0.0;
};

// Written by the worker thread, drained by the GUI thread.
struct SessionBuffer {
  std::mutex mutex;
  QVector<MetricSample> metrics;
  std::optional<ProbeSample> probe;
  std::optional<ProgressSample> progress;
};

class TrainingWorker : public QObject {
  Q_OBJECT
public:
  TrainingWorker(std::shared_ptr<iql::RunControl> control, std::shared_ptr<SessionBuffer> buffer);
  // Blocks the worker thread for the whole run.
  void run(const iql::TrainConfig& config, const iql::RunOptions& options);

Q_SIGNALS:
  void started(qint64 runId, const QString& configJson);
  void evaluation(const iqlui::EvalSample& result);
  void event(const iqlui::EventSample& event);
  void finished(const QString& status, qint64 runId);
  void failed(const QString& message);

private:
  iql::RunCallbacks callbacks();

  std::shared_ptr<iql::RunControl> control_;
  std::shared_ptr<SessionBuffer> buffer_;
};

}  // namespace iqlui
