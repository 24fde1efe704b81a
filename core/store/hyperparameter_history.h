// What a stored run's "hyperparameter" events (live changes the trainer applied, payload
// {"name", "old", "new"}) say about its live hyperparameters, and the one rule for "tuned mid-run"
// that the score curves, the compare view, the runs table and the tau x beta map all use:
//
//   A run is tuned mid-run when some applied change set a hyperparameter to a value other than its
//   start (the value in config_json).
//
// So beta 3 -> 5 -> 3 is tuned (it trained for a while at 5: not a seed of "beta 3", though it ends
// there), while a change to the value it already had is not. A "hyperparameter" event without a
// readable name or numeric "new" cannot be shown to be harmless and counts as a change.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/store/run_store.h"

namespace iql {

struct HyperparameterHistory {
  std::string name;
  double start = 0.0, final = 0.0;  // config_json's value and the last applied one; NaN without either
  std::vector<std::pair<std::int64_t, double>> changes;  // (step, new value) of each applied change
  bool unreadable_change = false;  // an event named it without a numeric "new" value
  // The rule above, for this hyperparameter.
  bool tuned() const;
};

HyperparameterHistory hyperparameter_history(const std::string& config_json, const std::vector<EventRecord>& events,
                                             const std::string& name);

// The histories of every hyperparameter the events touch, in the order first touched; only the tuned
// ones when tuned_only. A nameless "hyperparameter" event is kept under the name "?".
std::vector<HyperparameterHistory> hyperparameter_histories(const std::string& config_json,
                                                            const std::vector<EventRecord>& events,
                                                            bool tuned_only = false);

// The rule above, for the whole run: any of its hyperparameters tuned.
bool tuned_mid_run(const std::string& config_json, const std::vector<EventRecord>& events);

}  // namespace iql
