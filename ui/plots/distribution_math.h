// Plain statistics for the Distributions tab, computed in the GUI from a probe (per-transition values)
// or, for stored runs, from histograms (bin centres weighted by counts).
#pragma once
#include <QVector>

#include "ui/session/session_types.h"

namespace iqlui {

struct WeightedSamples {
  QVector<double> values;
  QVector<double> weights;  // same size; all 1 for raw samples
  bool isEmpty() const { return values.isEmpty(); }
};

WeightedSamples samplesFrom(const QVector<float>& values);
WeightedSamples samplesFrom(const HistogramSample& histogram);

double weightedMean(const WeightedSamples& s);
// The tau-expectile m: tau * E[(x-m)+] = (1-tau) * E[(m-x)+], found by bisection. tau 0.5 = mean.
double expectile(const WeightedSamples& s, double tau);

// AWR weights w = min(exp(beta * adv), maxWeight) over the samples:
// effective sample size fraction ESS/n = (sum w)^2 / (n sum w^2), and the fraction clipped.
struct WeightStats {
  double essFraction = 0.0;
  double clipFraction = 0.0;
};
WeightStats awrWeightStats(const WeightedSamples& adv, double beta, double maxWeight = 100.0);

struct BetaCurve {
  QVector<double> beta, essFraction, clipFraction;
};
BetaCurve betaWhatIf(const WeightedSamples& adv, double betaMax = 20.0, int points = 201, double maxWeight = 100.0);

}  // namespace iqlui
