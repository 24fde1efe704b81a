#include "ui/plots/smoothing.h"

#include <cmath>

namespace iqlui {

double EmaSmoother::add(double value) {
  if (!std::isfinite(value)) return value;
  if (weight_ <= 0.0) return value;
  ema_ = weight_ * ema_ + (1.0 - weight_) * value;
  correction_ *= weight_;
  return ema_ / (1.0 - correction_);
}

QVector<double> emaSmooth(const QVector<double>& values, double weight) {
  EmaSmoother s(weight);
  QVector<double> out;
  out.reserve(values.size());
  for (double v : values) out.append(s.add(v));
  return out;
}

}  // namespace iqlui
