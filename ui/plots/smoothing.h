// TensorBoard-style exponential moving average: weight 0 is no smoothing, 0.99 is heavy. The first
// values are debiased (divided by 1 - weight^n) so the curve does not start at zero. NaN values are
// passed through and do not disturb the average.
#pragma once
#include <QVector>

namespace iqlui {

class EmaSmoother {
public:
  explicit EmaSmoother(double weight = 0.0) : weight_(weight) {}
  double add(double value);
  void reset() { ema_ = 0.0; correction_ = 1.0; }
  double weight() const { return weight_; }

private:
  double weight_;
  double ema_ = 0.0;
  double correction_ = 1.0;  // weight^n
};

QVector<double> emaSmooth(const QVector<double>& values, double weight);

}  // namespace iqlui
