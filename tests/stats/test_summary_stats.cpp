// The shared statistics (core/stats/summary_stats.h) against values worked out by hand: mean, both
// std conventions (n and n - 1) on the same data, a two-pass std that survives a large offset, the
// count/mean/std/min/max summary, and numpy's linear quantiles on odd and even counts, one value, no
// values, q outside [0, 1] and NaN input.
#include <QtTest/QtTest>

#include <cmath>
#include <vector>

#include "core/stats/summary_stats.h"

using namespace iql::stats;

namespace {
using V = std::vector<double>;  // mean() also takes floats: braces alone would be ambiguous
bool near(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }
}  // namespace

class TestSummaryStats : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void meanAndBothStdConventions() {
    // {2, 4, 4, 4, 5, 5, 7, 9}: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32
    const std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};
    QCOMPARE(mean(v), 5.0);
    QCOMPARE(std_dev(v, StdConvention::Population), 2.0);  // sqrt(32 / 8)
    QVERIFY(near(std_dev(v, StdConvention::Sample), std::sqrt(32.0 / 7.0)));
    // {1, 2, 3, 4}: mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5
    const std::vector<double> w{1, 2, 3, 4};
    QCOMPARE(mean(w), 2.5);
    QVERIFY(near(std_dev(w, StdConvention::Population), std::sqrt(5.0 / 4.0)));
    QVERIFY(near(std_dev(w, StdConvention::Sample), std::sqrt(5.0 / 3.0)));
    // floats sum in double: (0.5 + 1.5 + 2) / 3
    QVERIFY(near(mean(std::vector<float>{0.5f, 1.5f, 2.0f}), 4.0 / 3.0));
  }

  void stdEdgeCases() {
    QVERIFY(std::isnan(mean(V{})));
    QVERIFY(std::isnan(mean(std::vector<float>{})));
    QVERIFY(std::isnan(std_dev({}, StdConvention::Population)));
    QVERIFY(std::isnan(std_dev({}, StdConvention::Sample)));
    // one value: no spread under either convention (Sample: 0 by choice, where numpy says nan)
    QCOMPARE(mean(V{7.0}), 7.0);
    QCOMPARE(std_dev({7.0}, StdConvention::Population), 0.0);
    QCOMPARE(std_dev({7.0}, StdConvention::Sample), 0.0);
    // two-pass: deviations -1, 0, 1 around 1e9 + 2 are exact, sample std exactly 1
    QCOMPARE(std_dev({1e9 + 1, 1e9 + 2, 1e9 + 3}, StdConvention::Sample), 1.0);
    // NaN propagates
    QVERIFY(std::isnan(mean(V{1.0, std::nan(""), 3.0})));
    QVERIFY(std::isnan(std_dev({1.0, std::nan(""), 3.0}, StdConvention::Sample)));
  }

  void summary() {
    // {3, -1, 8}: mean 10/3, deviations -1/3, -13/3, 14/3, squares sum to 366/9
    const Summary s = summarize({3, -1, 8}, StdConvention::Sample);
    QCOMPARE(s.count, std::size_t(3));
    QVERIFY(near(s.mean, 10.0 / 3.0));
    QVERIFY(near(s.std, std::sqrt(366.0 / 9.0 / 2.0)));
    QCOMPARE(s.min, -1.0);
    QCOMPARE(s.max, 8.0);
    QVERIFY(s.convention == StdConvention::Sample);
    const Summary p = summarize({3, -1, 8}, StdConvention::Population);
    QVERIFY(near(p.std, std::sqrt(366.0 / 9.0 / 3.0)));
    QVERIFY(p.convention == StdConvention::Population);

    const Summary empty = summarize({}, StdConvention::Sample);
    QCOMPARE(empty.count, std::size_t(0));
    QVERIFY(std::isnan(empty.mean) && std::isnan(empty.std) && std::isnan(empty.min) && std::isnan(empty.max));
    const Summary one = summarize({-2.5}, StdConvention::Sample);
    QCOMPARE(one.count, std::size_t(1));
    QCOMPARE(one.mean, -2.5);
    QCOMPARE(one.std, 0.0);
    QCOMPARE(one.min, -2.5);
    QCOMPARE(one.max, -2.5);
  }

  void quantilesInterpolateLinearly() {
    // even count {1, 2, 3, 4} (given unsorted): position q * 3
    const std::vector<double> even{4, 1, 3, 2};
    QCOMPARE(quantile(even, 0.0), 1.0);
    QCOMPARE(quantile(even, 0.25), 1.75);  // position 0.75
    QCOMPARE(median(even), 2.5);           // position 1.5: mean of the middle two
    QCOMPARE(quantile(even, 0.75), 3.25);  // position 2.25
    QCOMPARE(quantile(even, 1.0), 4.0);
    // odd count {1, 2, 3}: the median is the middle value
    QCOMPARE(median({3, 1, 2}), 2.0);
    QVERIFY(near(quantile({3, 1, 2}, 0.1), 1.2));  // position 0.2
    // {10, 20, 30, 40, 50}: 95% at position 3.8 -> 40 + 0.8 * 10
    const std::vector<double> sorted{10, 20, 30, 40, 50};
    QVERIFY(near(quantile_sorted(sorted, 0.95), 48.0));
    QVERIFY(near(quantile_sorted(sorted, 0.05), 12.0));  // position 0.2
    QCOMPARE(quantile_sorted(sorted, 0.5), 30.0);
  }

  void quantileEdgeCases() {
    QCOMPARE(quantile({5.0}, 0.0), 5.0);  // one value is every quantile of itself
    QCOMPARE(quantile({5.0}, 0.37), 5.0);
    QCOMPARE(median({5.0}), 5.0);
    QVERIFY(std::isnan(quantile({}, 0.5)));
    QVERIFY(std::isnan(median({})));
    QVERIFY(std::isnan(quantile_sorted({}, 0.5)));
    QCOMPARE(quantile({1, 2, 3}, -0.5), 1.0);  // q clamped to [0, 1]
    QCOMPARE(quantile({1, 2, 3}, 1.5), 3.0);
    QVERIFY(std::isnan(quantile({1, 2, 3}, std::nan(""))));
    QVERIFY(std::isnan(quantile({1, std::nan(""), 3}, 0.5)));
    QVERIFY(std::isnan(median({2, std::nan("")})));
  }
};

QTEST_GUILESS_MAIN(TestSummaryStats)
#include "test_summary_stats.moc"
