// The Distributions tab's statistics (ui/plots/distribution_math) against closed forms: samples from
// raw values and from histograms (bin centres weighted by counts), the weighted mean, expectiles of
// two-point distributions (m = tau w1 / (tau w1 + (1 - tau) w0) for points 0 and 1), and the AWR weight
// effective sample size (sum w)^2 / (n sum w^2) and clipped fraction, alone and along a beta sweep.
#include <QtTest/QtTest>

#include <cmath>
#include <limits>

#include "ui/plots/distribution_math.h"

using namespace iqlui;

namespace {

WeightedSamples weighted(QVector<double> values, QVector<double> weights) {
  WeightedSamples s;
  s.values = std::move(values);
  s.weights = std::move(weights);
  return s;
}

bool near(double a, double b) { return std::abs(a - b) < 1e-9; }

}  // namespace

class TestDistributionMath : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void rawSamplesDropNonFinite() {
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    const WeightedSamples s = samplesFrom(QVector<float>{1.0f, nan, 3.0f, -inf, 8.0f});
    QCOMPARE(s.values, (QVector<double>{1.0, 3.0, 8.0}));
    QCOMPARE(s.weights, (QVector<double>{1.0, 1.0, 1.0}));
    QCOMPARE(weightedMean(s), 4.0);
    QVERIFY(samplesFrom(QVector<float>{nan}).isEmpty());
  }

  // Bins [0, 1), [1, 2), [2, 4) with counts 2, 0, 3: the empty bin is left out, the others sit at
  // their centres 0.5 and 3 with weights 2 and 3, so the mean is (2 * 0.5 + 3 * 3) / 5 = 2.
  void histogramSamplesAtBinCentres() {
    HistogramSample h;
    h.edges = {0.0, 1.0, 2.0, 4.0};
    h.counts = {2.0, 0.0, 3.0};
    const WeightedSamples s = samplesFrom(h);
    QCOMPARE(s.values, (QVector<double>{0.5, 3.0}));
    QCOMPARE(s.weights, (QVector<double>{2.0, 3.0}));
    QCOMPARE(weightedMean(s), 2.0);
    h.counts = {1.0, 1.0, 1.0, 7.0};  // one count too many for the edges: the extra one has no bin
    QCOMPARE(samplesFrom(h).values, (QVector<double>{0.5, 1.5, 3.0}));
    QCOMPARE(weightedMean(WeightedSamples{}), 0.0);
  }

  void expectilesOfTwoPoints() {
    const WeightedSamples even = weighted({0.0, 1.0}, {1.0, 1.0});
    for (double tau : {0.1, 0.5, 0.7, 0.9}) QVERIFY2(near(expectile(even, tau), tau), qPrintable(QString::number(tau)));
    // weights 3 at 0, 1 at 1: tau (1 - m) = 3 (1 - tau) m -> m = tau / (tau + 3 (1 - tau))
    const WeightedSamples skew = weighted({0.0, 1.0}, {3.0, 1.0});
    QVERIFY(near(expectile(skew, 0.5), 0.25));  // the weighted mean
    QVERIFY(near(expectile(skew, 0.75), 0.5));
    QVERIFY(near(expectile(skew, 0.9), 0.9 / 1.2));
    // tau 0.5 of raw samples is their mean; a single value is its own expectile
    QVERIFY(near(expectile(samplesFrom(QVector<float>{1, 2, 3, 10}), 0.5), 4.0));
    QVERIFY(near(expectile(weighted({2.5}, {1.0}), 0.9), 2.5));
    QCOMPARE(expectile(WeightedSamples{}, 0.7), 0.0);
  }

  // Advantages 0 and ln 2 at beta 1 give weights 1 and 2: ESS/n = 3^2 / (2 * 5) = 0.9, none clipped.
  void awrWeightEssAndClipping() {
    const WeightedSamples adv = weighted({0.0, std::log(2.0)}, {1.0, 1.0});
    WeightStats st = awrWeightStats(adv, 1.0);
    QVERIFY(near(st.essFraction, 0.9));
    QCOMPARE(st.clipFraction, 0.0);
    // max weight 1.5 clips the second: weights 1, 1.5 -> 2.5^2 / (2 * 3.25), half the mass clipped
    st = awrWeightStats(adv, 1.0, 1.5);
    QVERIFY(near(st.essFraction, 6.25 / 6.5));
    QCOMPARE(st.clipFraction, 0.5);
    // counts 3 and 1: n = 4, sum w = 3 + 2 = 5, sum w^2 = 3 + 4 = 7 -> 25 / 28
    st = awrWeightStats(weighted({0.0, std::log(2.0)}, {3.0, 1.0}), 1.0);
    QVERIFY(near(st.essFraction, 25.0 / 28.0));
    // beta 0: every weight 1, full ESS
    QVERIFY(near(awrWeightStats(adv, 0.0).essFraction, 1.0));
    // nothing to weigh, or no room for any weight: zeros
    QCOMPARE(awrWeightStats(WeightedSamples{}, 1.0).essFraction, 0.0);
    QCOMPARE(awrWeightStats(adv, 1.0, 0.0).essFraction, 0.0);
  }

  // beta 0, 1, 2 over advantages 0 and ln 2: weights (1, 1), (1, 2), (1, 4) -> ESS/n 1, 0.9, 25/34.
  void betaSweep() {
    const WeightedSamples adv = weighted({0.0, std::log(2.0)}, {1.0, 1.0});
    const BetaCurve c = betaWhatIf(adv, 2.0, 3);
    QCOMPARE(c.beta, (QVector<double>{0.0, 1.0, 2.0}));
    QCOMPARE(c.essFraction.size(), 3);
    QVERIFY(near(c.essFraction[0], 1.0));
    QVERIFY(near(c.essFraction[1], 0.9));
    QVERIFY(near(c.essFraction[2], 25.0 / 34.0));
    QCOMPARE(c.clipFraction, (QVector<double>{0.0, 0.0, 0.0}));
    // fewer than two points still spans 0..betaMax
    QCOMPARE(betaWhatIf(adv, 5.0, 1).beta, (QVector<double>{0.0, 5.0}));
  }
};

QTEST_GUILESS_MAIN(TestDistributionMath)
#include "test_distribution_math.moc"
