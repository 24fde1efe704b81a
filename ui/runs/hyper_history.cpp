#include "ui/runs/hyper_history.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QObject>
#include <QStringList>
#include <cmath>

#include "ui/runs/run_table_model.h"

namespace iqlui {

namespace {
QString number(double v) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'g', 4); }
}  // namespace

QString HyperHistory::text() const {
  return changed() ? QStringLiteral("%1 → %2").arg(number(start), number(final)) : number(start);
}

QString HyperHistory::tooltip(const QString& symbol) const {
  if (!changed()) return QString();
  QStringList steps;
  double previous = start;
  const QLocale locale;
  for (const auto& [step, value] : changes) {
    steps << QObject::tr("%1 → %2 at step %3").arg(number(previous), number(value), locale.toString(step));
    previous = value;
  }
  return QObject::tr("%1 changed mid-run: %2").arg(symbol, steps.join(QStringLiteral(", ")));
}

HyperHistory hyperHistory(const std::string& configJson, const std::vector<iql::EventRecord>& events,
                          const char* key) {
  HyperHistory h;
  h.start = h.final = configNumber(configJson, key);
  for (const auto& e : events) {
    if (e.kind != "hyperparameter") continue;
    const QJsonObject p = QJsonDocument::fromJson(QByteArray::fromStdString(e.payload_json)).object();
    if (p.value(QStringLiteral("name")).toString() != QLatin1String(key)) continue;
    const QJsonValue v = p.value(QStringLiteral("new"));
    if (!v.isDouble()) continue;
    h.changes.append({e.step, v.toDouble()});
    h.final = v.toDouble();
  }
  return h;
}

}  // namespace iqlui
