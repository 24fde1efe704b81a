#include "ui/status/rate_meter.h"

namespace iqlui {

void RateMeter::add(qint64 timeMs, qint64 step) {
  if (!samples_.isEmpty() && step < samples_.last().second) samples_.clear();  // a new run or phase
  samples_.append({timeMs, step});
  // Keep the newest sample older than the window, so the span covers the whole window.
  while (samples_.size() > 2 && timeMs - samples_[1].first >= windowMs_) samples_.removeFirst();
}

bool RateMeter::hasRate() const {
  return samples_.size() >= 2 && samples_.last().first > samples_.first().first;
}

double RateMeter::stepsPerSecond() const {
  if (!hasRate()) return 0.0;
  const double seconds = (samples_.last().first - samples_.first().first) / 1000.0;
  return (samples_.last().second - samples_.first().second) / seconds;
}

double RateMeter::etaSeconds(qint64 total) const {
  const double rate = stepsPerSecond();
  if (!(rate > 0) || samples_.isEmpty()) return -1.0;
  return (total - samples_.last().second) / rate;
}

}  // namespace iqlui
