// Start and final values of the live hyperparameters (tau, beta) of a stored run, derived from its
// config_json (the start) and its "hyperparameter" events (every applied live change). The runs
// table, the compare view and the tau x beta map use it so a run tuned from beta 3 to 9.74 is never
// shown as "beta 3". A Qt face on iql::HyperparameterHistory: whether a value was tuned mid-run is
// decided there (core/store/hyperparameter_history.h), never here.
#pragma once
#include <QString>
#include <QVector>
#include <string>
#include <vector>

#include "core/store/hyperparameter_history.h"
#include "core/store/run_store.h"

namespace iqlui {

struct HyperHistory {
  double start = 0.0, final = 0.0;  // NaN when the config has no such key
  QVector<QPair<qint64, double>> changes;  // (step, new value) of each applied change, in order
  bool tuned = false;  // iql::HyperparameterHistory::tuned()
  bool changed() const { return tuned; }
  QString text() const;     // "3" or "3 → 9.74"
  QString tooltip(const QString& symbol) const;  // "β changed mid-run: 3 → 5 at step 1,200, ..."
};

HyperHistory hyperHistory(const iql::HyperparameterHistory& history);
// key: a name of live_hyperparameters(), e.g. "expectile" or "temperature".
HyperHistory hyperHistory(const std::string& configJson, const std::vector<iql::EventRecord>& events,
                          const char* key);

}  // namespace iqlui
