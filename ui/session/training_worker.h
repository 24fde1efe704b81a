// The object that lives on a TrainingSession's thread and runs the stored-run loop
// (iql::run_stored) there, for one run or a population. Its callbacks convert core structs to Qt
// value types: metrics, progress and probes go into the shared buffer, rarer things (start,
// evaluations, events, the outcome) leave as queued signals.
#pragma once
#include <QObject>
#include <QString>
#include <QVector>
#include <memory>
#include <mutex>
#include <optional>

#include "core/train/stored_run/stored_run.h"
#include "ui/session/session_types.h"

namespace iqlui {

struct ProgressSample {
  qint64 step = 0, total = 0;
  double stepsPerSec = 0.0;
};

// Written by the worker thread, drained by the GUI thread.
struct SessionBuffer {
  std::mutex mutex;
  QVector<QVector<MetricSample>> metrics;  // per member
  std::optional<ProbeSample> probe;        // member 0's latest
  std::optional<ProgressSample> progress;
};

class TrainingWorker : public QObject {
  Q_OBJECT
public:
  TrainingWorker(std::shared_ptr<iql::RunControl> control, std::shared_ptr<SessionBuffer> buffer);
  // Blocks the worker thread for the whole run.
  void run(const iql::StoredRunRequest& request);

Q_SIGNALS:
  // configJson: member 0's configuration as the run uses it.
  void started(const QString& populationId, const QVector<qint64>& runIds, const QString& configJson);
  void evaluation(int member, const iqlui::EvalSample& result);
  void event(int member, const iqlui::EventSample& event);
  void finished(const QString& status, qint64 runId);  // member 0's run
  void failed(const QString& message);

private:
  iql::StoredRunCallbacks callbacks();

  std::shared_ptr<iql::RunControl> control_;
  std::shared_ptr<SessionBuffer> buffer_;
};

}  // namespace iqlui
