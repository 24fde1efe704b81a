// Offline-selection statistics (core/stats/selection_stats.h) against values worked out by hand:
// average ranks with ties, Spearman's rho with ties (the Pearson correlation of average ranks) and its
// NaN cases, regret@k with the exact expectation over a tie straddling the k-th place, and the bootstrap
// intervals' degenerate cases (a perfect estimate) and seeded reproducibility.
#include <QtTest/QtTest>

#include <cmath>
#include <vector>

#include "core/stats/selection_stats.h"

using namespace iql::stats;

namespace {
using V = std::vector<double>;
bool near(double a, double b, double tol = 1e-12) { return std::abs(a - b) <= tol * std::max(1.0, std::abs(b)); }
}  // namespace

class TestSelectionStats : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void averageRanksShareTies() {
    QCOMPARE(average_ranks({10, 20, 20, 30}), (V{1, 2.5, 2.5, 4}));
    QCOMPARE(average_ranks({3, 1, 3, 3}), (V{3, 1, 3, 3}));  // ranks 2, 3, 4 averaged
    QCOMPARE(average_ranks({}), V{});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, average_ranks({1, NAN}));
  }

  void spearmanWithTies() {
    // ranks x {1..5}; y {5,6,7,8,7} -> {1, 2, 3.5, 5, 3.5}; deviations from 3: x {-2,-1,0,1,2},
    // y {-2,-1,0.5,2,0.5}: sxy = 4+1+0+2+1 = 8, sxx = 10, syy = 4+1+0.25+4+0.25 = 9.5 -> 8 / sqrt(95)
    QVERIFY(near(spearman({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}), 8.0 / std::sqrt(95.0)));
    QVERIFY(near(spearman({1, 2, 3}, {10, 200, 3000}), 1.0));    // monotone, not linear
    QVERIFY(near(spearman({1, 2, 3}, {3, 2, 1}), -1.0));
    QVERIFY(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));          // constant estimate: no ordering
    QVERIFY(std::isnan(spearman({1}, {2})));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spearman({1, 2}, {1}));
  }

  void regretWithoutTies() {
    // best truth 90 (member 3). Top-1 by estimate: member 0 (50) -> 40. Top-3: members 0, 2, 1 -> 80 -> 10.
    const V est{0.9, 0.5, 0.7, 0.1}, truth{50, 80, 60, 90};
    QCOMPARE(regret_at_k(est, truth, 1), 40.0);
    QCOMPARE(regret_at_k(est, truth, 3), 10.0);
    QCOMPARE(regret_at_k(est, truth, 4), 0.0);
    QCOMPARE(regret_at_k(truth, truth, 1), 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, regret_at_k(est, truth, 0));
  }

  void regretTieStraddlingTheKthPlace() {
    // All of the first three tie: k = 1 picks one of {10, 20, 30} at random -> E = 20, regret 40 - 20.
    const V est{1, 1, 1, 0}, truth{10, 20, 30, 40};
    QVERIFY(near(regret_at_k(est, truth, 1), 20.0));
    // k = 2: pairs {10,20}->20, {10,30}->30, {20,30}->30: E = 80/3, regret 40 - 80/3
    QVERIFY(near(regret_at_k(est, truth, 2), 40.0 - 80.0 / 3.0));
    // A sure member above the tie: est {5, 3, 3, 3, 1}, truth {10, 50, 20, 30, 60}, best 60.
    // k = 2: member 0 (10) plus one of {50, 20, 30}: E = (50 + 20 + 30) / 3 -> regret 60 - 100/3
    const V est2{5, 3, 3, 3, 1}, truth2{10, 50, 20, 30, 60};
    QVERIFY(near(regret_at_k(est2, truth2, 2), 60.0 - 100.0 / 3.0));
    // k = 3: member 0 plus two of {20, 30, 50}: {20,30}->30, {20,50}->50, {30,50}->50: E = 130/3
    QVERIFY(near(regret_at_k(est2, truth2, 3), 60.0 - 130.0 / 3.0));
    // A constant estimate is random selection: k = 1 on {0, 0, 0, 9} -> E = 9/4, regret 9 - 2.25
    QVERIFY(near(regret_at_k({7, 7, 7, 7}, {0, 0, 0, 9}, 1), 6.75));
  }

  void bootstrapIntervals() {
    BootstrapSettings bs;
    bs.resamples = 500;
    bs.seed = 11;
    // A perfect estimate: every resample with two distinct members has rho 1 and regret 0.
    const V truth{10, 20, 30, 40, 50, 60, 70, 80, 90};
    V est;
    for (double t : truth) est.push_back(t / 10.0 + 0.5);
    auto s = selection_stats(est, truth, bs);
    QCOMPARE(s.members, size_t(9));
    QCOMPARE(s.spearman.point, 1.0);
    QVERIFY(near(s.spearman.low, 1.0) && near(s.spearman.high, 1.0));
    QCOMPARE(s.regret_at_1.point, 0.0);
    QCOMPARE(s.regret_at_1.high, 0.0);
    QCOMPARE(s.regret_at_3.high, 0.0);
    // A noisy estimate: interval brackets the point; same seed, same interval.
    const V noisy{3, 1, 2, 6, 4, 5, 9, 7, 8};
    auto a = selection_stats(noisy, truth, bs), b = selection_stats(noisy, truth, bs);
    QVERIFY(a.spearman.low <= a.spearman.point && a.spearman.point <= a.spearman.high);
    QVERIFY(a.spearman.low < a.spearman.high);
    QCOMPARE(a.spearman.low, b.spearman.low);
    QCOMPARE(a.regret_at_1.high, b.regret_at_1.high);
    QCOMPARE(a.regret_at_1.point, 20.0);  // picks member 6 (truth 70) over 90
    QVERIFY(a.regret_at_1.low >= 0.0);
  }
};

QTEST_GUILESS_MAIN(TestSelectionStats)
#include "test_selection_stats.moc"
