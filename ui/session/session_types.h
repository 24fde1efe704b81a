// Plain Qt value types that carry training data from a worker thread to the GUI in queued signals.
// They mirror core/train/training_types.h (and the store's records for replay) but hold only Qt
// containers, never tensors, so they are cheap to copy across threads.
#pragma once
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QVector>
#include <cmath>
#include <limits>

namespace iql {
struct StepMetrics;
struct EvalResult;
struct ProbeSnapshot;
struct RunEvent;
struct Histogram;
struct EvaluationRecord;
struct EventRecord;
struct HistogramRecord;
}  // namespace iql

namespace iqlui {

struct MetricSample {
  qint64 step = 0;
  QVector<QPair<QString, double>> values;
  double value(const QString& key, double fallback = std::numeric_limits<double>::quiet_NaN()) const;
};

struct EvalSample {
  qint64 step = 0;
  double returnMean = 0.0;
  double returnStd = 0.0;
  bool hasScore = false;
  double score = 0.0;  // D4RL-normalised score (0..100) when hasScore
  QVector<double> returns;
};

struct HistogramSample {
  QString name;  // "v", "q", "adv", "weights"
  QVector<double> edges;   // bins + 1
  QVector<double> counts;  // bins
};

// Latest probe: per-transition values (empty when replayed from the store) and histograms.
struct ProbeSample {
  qint64 step = 0;
  double expectile = 0.0;
  double temperature = 0.0;
  double maxWeight = 100.0;
  QVector<float> v, q, adv, weights;
  QVector<HistogramSample> histograms;
  const HistogramSample* histogram(const QString& name) const;
};

struct EventSample {
  qint64 step = 0;
  QString kind;  // "hyperparameter", "pause", "resume", "stop", ...
  QString name;  // hyperparameter name
  double oldValue = 0.0;
  double newValue = 0.0;
};

MetricSample toSample(const iql::StepMetrics& m);
EvalSample toSample(const iql::EvalResult& e);
HistogramSample toSample(const iql::Histogram& h);
ProbeSample toSample(const iql::ProbeSnapshot& p);
EventSample toSample(const iql::RunEvent& e);
EvalSample toSample(const iql::EvaluationRecord& e);
EventSample toSample(const iql::EventRecord& e);  // parses the payload JSON
HistogramSample toSample(const iql::HistogramRecord& h);

// Short display name of a hyperparameter: "temperature" -> "beta", "expectile" -> "tau".
QString displayName(const QString& hyperparameter);
// Marker label of a hyperparameter event, e.g. "beta 3→5".
QString markerLabel(const EventSample& e);
// The compact form drawn on plots: the symbol and the new value, e.g. "β 5".
QString compactMarkerLabel(const EventSample& e);

// Registers the types above for queued connections (idempotent).
void registerSessionMetaTypes();

}  // namespace iqlui

Q_DECLARE_METATYPE(iqlui::MetricSample)
Q_DECLARE_METATYPE(iqlui::EvalSample)
Q_DECLARE_METATYPE(iqlui::ProbeSample)
Q_DECLARE_METATYPE(iqlui::EventSample)
Q_DECLARE_METATYPE(QVector<iqlui::MetricSample>)
