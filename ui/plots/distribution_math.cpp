#include "ui/plots/distribution_math.h"

#include <algorithm>
#include <cmath>

namespace iqlui {

WeightedSamples samplesFrom(const QVector<float>& values) {
  WeightedSamples s;
  s.values.reserve(values.size());
  for (float v : values)
    if (std::isfinite(v)) s.values.append(v);
  s.weights = QVector<double>(s.values.size(), 1.0);
  return s;
}

WeightedSamples samplesFrom(const HistogramSample& h) {
  WeightedSamples s;
  for (int i = 0; i < h.counts.size() && i + 1 < h.edges.size(); ++i) {
    if (h.counts[i] <= 0) continue;
    s.values.append(0.5 * (h.edges[i] + h.edges[i + 1]));
    s.weights.append(h.counts[i]);
  }
  return s;
}

double weightedMean(const WeightedSamples& s) {
  double sw = 0.0, swx = 0.0;
  for (int i = 0; i < s.values.size(); ++i) {
    sw += s.weights[i];
    swx += s.weights[i] * s.values[i];
  }
  return sw > 0 ? swx / sw : 0.0;
}

double expectile(const WeightedSamples& s, double tau) {
  if (s.isEmpty()) return 0.0;
  double lo = *std::min_element(s.values.begin(), s.values.end());
  double hi = *std::max_element(s.values.begin(), s.values.end());
  // g(m) = tau * sum w (x-m)+ - (1-tau) * sum w (m-x)+ decreases in m; find its root.
  auto g = [&](double m) {
    double up = 0.0, down = 0.0;
    for (int i = 0; i < s.values.size(); ++i) {
      const double d = s.values[i] - m;
      if (d > 0) up += s.weights[i] * d;
      else down -= s.weights[i] * d;
    }
    return tau * up - (1.0 - tau) * down;
  };
  for (int it = 0; it < 100 && hi - lo > 1e-12 * (1.0 + std::abs(hi) + std::abs(lo)); ++it) {
    const double mid = 0.5 * (lo + hi);
    (g(mid) > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

WeightStats awrWeightStats(const WeightedSamples& adv, double beta, double maxWeight) {
  WeightStats out;
  if (adv.isEmpty() || maxWeight <= 0) return out;
  const double logMax = std::log(maxWeight);
  double n = 0.0, sw = 0.0, sw2 = 0.0, clipped = 0.0;
  for (int i = 0; i < adv.values.size(); ++i) {
    const double c = adv.weights[i];
    const double e = beta * adv.values[i];
    const double w = e >= logMax ? maxWeight : std::exp(e);
    if (e >= logMax) clipped += c;
    n += c;
    sw += c * w;
    sw2 += c * w * w;
  }
  if (n <= 0 || sw2 <= 0) return out;
  out.essFraction = sw * sw / (n * sw2);
  out.clipFraction = clipped / n;
  return out;
}

BetaCurve betaWhatIf(const WeightedSamples& adv, double betaMax, int points, double maxWeight) {
  BetaCurve c;
  if (points < 2) points = 2;
  for (int i = 0; i < points; ++i) {
    const double beta = betaMax * i / (points - 1);
    const WeightStats st = awrWeightStats(adv, beta, maxWeight);
    c.beta.append(beta);
    c.essFraction.append(st.essFraction);
    c.clipFraction.append(st.clipFraction);
  }
  return c;
}

}  // namespace iqlui
