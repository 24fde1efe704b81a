#include "ui/session/session_types.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "core/store/run_store.h"
#include "core/train/training_types.h"

namespace iqlui {

namespace {
QVector<double> toQVector(const std::vector<double>& v) { return QVector<double>(v.begin(), v.end()); }
QVector<float> toQVector(const std::vector<float>& v) { return QVector<float>(v.begin(), v.end()); }

QString formatValue(double v) { return QString::number(v, 'g', 4); }

// The fields a live EvalResult and a stored EvaluationRecord share.
template <class Evaluation>
EvalSample evalSummary(const Evaluation& e) {
  EvalSample s;
  s.step = e.step;
  s.returnMean = e.return_mean;
  s.returnStd = e.return_std;
  s.hasScore = e.normalized_score.has_value();
  s.score = e.normalized_score.value_or(0.0);
  return s;
}
}  // namespace

double MetricSample::value(const QString& key, double fallback) const {
  for (const auto& kv : values)
    if (kv.first == key) return kv.second;
  return fallback;
}

const HistogramSample* ProbeSample::histogram(const QString& name) const {
  for (const auto& h : histograms)
    if (h.name == name) return &h;
  return nullptr;
}

MetricSample toSample(const iql::StepMetrics& m) {
  MetricSample s;
  s.step = m.step;
  s.values.reserve(static_cast<int>(m.values.size()));
  for (const auto& [k, v] : m.values) s.values.append({QString::fromStdString(k), v});
  return s;
}

EvalSample toSample(const iql::EvalResult& e) {
  EvalSample s = evalSummary(e);
  s.returns = toQVector(e.returns);  // live results carry per-episode returns; stored ones do not
  return s;
}

HistogramSample toSample(const iql::Histogram& h) {
  return {QString::fromStdString(h.name), toQVector(h.edges), toQVector(h.counts)};
}

ProbeSample toSample(const iql::ProbeSnapshot& p) {
  ProbeSample s;
  s.step = p.step;
  s.expectile = p.expectile;
  s.temperature = p.temperature;
  s.maxWeight = p.max_weight;
  s.v = toQVector(p.v);
  s.q = toQVector(p.q);
  s.adv = toQVector(p.adv);
  s.weights = toQVector(p.weights);
  for (const auto& h : p.histograms) s.histograms.append(toSample(h));
  return s;
}

EventSample toSample(const iql::RunEvent& e) {
  return {e.step, QString::fromStdString(e.kind), QString::fromStdString(e.name), e.old_value, e.new_value};
}

EvalSample toSample(const iql::EvaluationRecord& e) { return evalSummary(e); }

EventSample toSample(const iql::EventRecord& e) {
  EventSample s;
  s.step = e.step;
  s.kind = QString::fromStdString(e.kind);
  const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(e.payload_json)).object();
  s.name = o.value("name").toString();
  s.oldValue = o.value("old").toDouble();
  s.newValue = o.value("new").toDouble();
  return s;
}

HistogramSample toSample(const iql::HistogramRecord& h) {
  return {QString::fromStdString(h.name), toQVector(h.edges), toQVector(h.counts)};
}

QString displayName(const QString& name) {
  if (name == "temperature") return QStringLiteral("beta");
  if (name == "expectile") return QStringLiteral("tau");
  if (name == "discount") return QStringLiteral("gamma");
  QString n = name;
  return n.replace('_', ' ');
}

QString markerLabel(const EventSample& e) {
  if (e.kind == "hyperparameter")
    return displayName(e.name) + " " + formatValue(e.oldValue) + QStringLiteral("→") + formatValue(e.newValue);
  if (e.kind == "phase") return QStringLiteral("offline → online");
  return e.kind;
}

QString compactMarkerLabel(const EventSample& e) {
  if (e.kind == "hyperparameter") {
    const QString symbol = e.name == QLatin1String("expectile")     ? QStringLiteral("τ")
                           : e.name == QLatin1String("temperature") ? QStringLiteral("β")
                                                                    : displayName(e.name);
    return symbol + QLatin1Char(' ') + formatValue(e.newValue);
  }
  if (e.kind == "phase") return QStringLiteral("online");
  return e.kind;
}

void registerSessionMetaTypes() {
  qRegisterMetaType<iqlui::MetricSample>();
  qRegisterMetaType<iqlui::EvalSample>();
  qRegisterMetaType<iqlui::ProbeSample>();
  qRegisterMetaType<iqlui::EventSample>();
  qRegisterMetaType<QVector<iqlui::MetricSample>>();
}

}  // namespace iqlui
