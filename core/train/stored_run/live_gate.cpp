#include "core/train/stored_run/live_gate.h"

#include <cmath>

#include "core/train/stored_run/run_recorder.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

namespace iql::stored_run {

void LiveGate::apply(int64_t k, const std::string& name, double value) {
  try {
    const double old = trainer_.set_hyperparameter(name, value, k);
    rec_.event(k, {trainer_.step_count(), "hyperparameter", name, old, value});
  } catch (const ConfigError&) {  // an invalid live value (or unknown name) is refused, the run goes on
    double current = std::nan("");
    try {
      current = trainer_.hyperparameter(name, k);
    } catch (const ConfigError&) {
    }
    rec_.event(k, {trainer_.step_count(), "hyperparameter_rejected", name, current, value});
  }
}

bool LiveGate::pass() {
  if (stopped_) return false;
  const int64_t P = rec_.members();
  for (auto& ch : control_.take_member_changes()) {
    // a one-member run takes every change, whatever member it named; a population ignores unknown members
    if (P > 1 && ch.member >= P) continue;
    for (int64_t k = 0; k < P; ++k)
      if (P == 1 || ch.member < 0 || ch.member == k) apply(k, ch.name, ch.value);
  }
  if (control_.pause_requested() && !control_.stop_requested()) {
    rec_.flush(trainer_.step_count());
    rec_.status("paused");
    rec_.event_all({trainer_.step_count(), "pause", "", 0, 0});
    control_.wait_while_paused();
    rec_.status("running");
    if (!control_.stop_requested()) rec_.event_all({trainer_.step_count(), "resume", "", 0, 0});
  }
  if (control_.stop_requested()) {
    rec_.event_all({trainer_.step_count(), "stop", "", 0, 0});
    stopped_ = true;
    return false;
  }
  return true;
}

}  // namespace iql::stored_run
