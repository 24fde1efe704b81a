// Training speed over a recent window, for the status bar's steps/s and ETA. The core reports a rate
// averaged from the start of the run, paused time included; this one keeps the last few seconds of
// (time, step) samples and is cleared on pause, so a paused run shows no rate and a resumed run's
// rate is measured from the resume on. Time is passed in (milliseconds) so tests can drive it.
#pragma once
#include <QPair>
#include <QVector>

namespace iqlui {

class RateMeter {
public:
  explicit RateMeter(qint64 windowMs = 5000) : windowMs_(windowMs) {}
  void add(qint64 timeMs, qint64 step);
  void clear() { samples_.clear(); }
  bool hasRate() const;
  double stepsPerSecond() const;  // 0 without two samples spanning some time
  // Seconds to reach `total` at the current rate; negative when unknown.
  double etaSeconds(qint64 total) const;

private:
  qint64 windowMs_;
  QVector<QPair<qint64, qint64>> samples_;  // (time ms, step), oldest first
};

}  // namespace iqlui
