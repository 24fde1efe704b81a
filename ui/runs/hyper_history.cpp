#include "ui/runs/hyper_history.h"

#include <QLocale>
#include <QObject>
#include <QStringList>
#include <cmath>

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

HyperHistory hyperHistory(const iql::HyperparameterHistory& core) {
  HyperHistory h;
  h.start = core.start;
  h.final = core.final;
  for (const auto& [step, value] : core.changes) h.changes.append({step, value});
  h.tuned = core.tuned();
  return h;
}

HyperHistory hyperHistory(const std::string& configJson, const std::vector<iql::EventRecord>& events,
                          const char* key) {
  return hyperHistory(iql::hyperparameter_history(configJson, events, key));
}

}  // namespace iqlui
