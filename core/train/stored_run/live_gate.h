// The live gate a stored run passes between steps: hyperparameter changes requested through RunControl
// are applied (or refused, when invalid) and recorded as events of the member they target; a pause
// flushes metrics, marks the runs 'paused' and blocks until resumed; a stop is recorded and ends the loop.
#pragma once
#include "core/train/run_control.h"

namespace iql {
class Trainer;
namespace stored_run {
class RunRecorder;

class LiveGate {
public:
  LiveGate(RunControl& control, Trainer& trainer, RunRecorder& recorder)
      : control_(control), trainer_(trainer), rec_(recorder) {}
  // false when the run must stop (the stop is recorded once).
  bool pass();
  bool stopped() const { return stopped_; }

private:
  void apply(int64_t member, const std::string& name, double value);
  RunControl& control_;
  Trainer& trainer_;
  RunRecorder& rec_;
  bool stopped_ = false;
};

}  // namespace stored_run
}  // namespace iql
