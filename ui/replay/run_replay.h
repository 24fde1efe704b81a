// Everything stored about one run, read from the run store and converted to the GUI's value types,
// so the Training and Distributions tabs can replay it. Safe to call on any thread: it opens its
// own store connection.
#pragma once
#include <QString>
#include <QVector>

#include "ui/session/session_types.h"

namespace iqlui {

struct RunReplay {
  qint64 runId = 0;
  QString error;  // non-empty when the run could not be read
  QString name, status, dataset, algorithm;
  qint64 steps = 0;
  double expectile = 0.7, temperature = 3.0, maxWeight = 100.0;  // as configured at the start
  QVector<MetricSample> metrics;  // one sample per step
  QVector<EvalSample> evaluations;
  QVector<EventSample> events;
  QVector<ProbeSample> probes;  // histograms only, with tau/beta in force at each probe step
};

RunReplay loadRunReplay(const QString& dbPath, qint64 runId);

}  // namespace iqlui
