// rliable's aggregates (core/stats/aggregate_metrics.h) against values worked out by hand: the IQM's
// trimming for counts divisible by 4 and not (scipy trim_mean(0.25): floor(n/4) cut from each end),
// ties, the mean and median of task means (not of runs), the optimality gap with scores above gamma,
// the strict "above tau" of a profile, and the Mann-Whitney probability with ties counting one half,
// averaged over tasks; then the intervals: point = the plain function, degenerate where every
// resample agrees, and profiles that never rise with tau.
#include <QtTest/QtTest>

#include <cmath>
#include <vector>

#include "core/stats/aggregate_metrics.h"

using namespace iql::stats;

namespace {
using V = std::vector<double>;
bool near(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }
}  // namespace

class TestAggregateMetrics : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void interquartileMeanTrimsAQuarterEachEnd() {
    QCOMPARE(interquartile_mean({8, 1, 7, 2, 6, 3, 5, 4}), 4.5);            // n=8: cut 2+2, mean(3,4,5,6)
    QVERIFY(near(interquartile_mean({5, 1, 100, 3, 2}), 10.0 / 3.0));       // n=5: cut 1+1, mean(2,3,5)
    QCOMPARE(interquartile_mean({1, 2, 3, 4, 5, 600}), 3.5);               // n=6: cut 1+1, mean(2,3,4,5)
    QCOMPARE(interquartile_mean({-50, 1, 2, 3, 4, 5, 600}), 3.0);          // n=7: cut 1+1, mean(1..5)
    QVERIFY(near(interquartile_mean({9, 2, 2, 9, 2}), 13.0 / 3.0));         // ties: 2,2,2,9,9 -> mean(2,2,9)
    QVERIFY(near(interquartile_mean({1, 2, 10}), 13.0 / 3.0));              // n=3: nothing cut, the mean
    QCOMPARE(interquartile_mean({7}), 7.0);
    QVERIFY(std::isnan(interquartile_mean({})));
    QVERIFY(std::isnan(interquartile_mean({1, std::nan(""), 3, 4})));
    // flattened over tasks: 1,2,3,10,20,30 -> cut 1+1 -> (2+3+10+20)/4
    QCOMPARE(aggregate_iqm({{1, 2, 3}, {30, 10, 20}}), 8.75);
  }

  void meanAndMedianAreOfTaskMeans() {
    QCOMPARE(aggregate_mean({{1, 2, 3}, {10, 20}}), 8.5);  // task means 2 and 15 (the runs' mean is 7.2)
    QCOMPARE(aggregate_median({{1, 2, 3}, {10, 20}, {4}}), 4.0);  // median of 2, 15, 4
    QCOMPARE(aggregate_median({{1, 2, 3}, {10, 20}}), 8.5);       // two tasks: the mean of both
    QCOMPARE(aggregate_median({{1, 2, 3}, {}, {10, 20}, {4}, {6}}), 5.0);  // 2, 15, 4, 6 -> (4+6)/2; empty task skipped
    QVERIFY(std::isnan(aggregate_mean({})));
    QVERIFY(std::isnan(aggregate_mean({{}, {}})));
    QVERIFY(std::isnan(aggregate_median({})));
  }

  void optimalityGapAndProfilePoint() {
    const TaskScores s{{50, 120, 100}, {0, 90}};
    QCOMPARE(optimality_gap(s), 32.0);           // gaps 50, 0, 0, 100, 10 over 5 runs
    QCOMPARE(optimality_gap(s, 1.0), 0.2);        // gamma 1: only the 0 falls short, by 1, over 5
    QCOMPARE(fraction_above(s, 90.0), 0.4);       // 120 and 100; 90 itself is not above
    QCOMPARE(fraction_above(s, -1.0), 1.0);
    QCOMPARE(fraction_above(s, 120.0), 0.0);
    QVERIFY(std::isnan(optimality_gap({})));
    QVERIFY(std::isnan(fraction_above({{}}, 0.0)));
  }

  void mannWhitneyCountsTiesAsHalf() {
    // x {1,2,3} over y {2,2}: 1<2 twice (0), 2=2 twice (1/2 each), 3>2 twice (1 each): 3 of 6
    QCOMPARE(mann_whitney_probability({1, 2, 3}, {2, 2}), 0.5);
    // x {3,5,5} over y {1,5}: 3>1 1, 3<5 0, 5>1 1, 5=5 1/2, 5>1 1, 5=5 1/2: 4 of 6
    QVERIFY(near(mann_whitney_probability({3, 5, 5}, {1, 5}), 4.0 / 6.0));
    QCOMPARE(mann_whitney_probability({4, 4, 4}, {4, 4, 4}), 0.5);  // identical: a coin flip
    QCOMPARE(mann_whitney_probability({9}, {1, 2}), 1.0);
    QCOMPARE(mann_whitney_probability({1, 2}, {9}), 0.0);
    QVERIFY(std::isnan(mann_whitney_probability({}, {1})));
    // averaged over the tasks both have: 1/2 and 2/3 -> 7/12; the third task (y has no runs) skipped
    QVERIFY(near(probability_of_improvement({{1, 2, 3}, {3, 5, 5}, {100}}, {{2, 2}, {1, 5}, {}}), 7.0 / 12.0));
    // P(X > Y) + P(Y > X) = 1 task by task
    QVERIFY(near(probability_of_improvement({{2, 2}, {1, 5}}, {{1, 2, 3}, {3, 5, 5}}), 1.0 - 7.0 / 12.0));
    QVERIFY(std::isnan(probability_of_improvement({{1}}, {{}})));
  }

  void intervalsAroundThePlainFunctions() {
    const TaskScores s{{12, 40, 35, 80, 55}, {90, 101, 70, 88}};
    const BootstrapSettings settings{1000, 5, 0.95};
    const AggregateIntervals a = aggregate_intervals(s, settings);
    QCOMPARE(a.mean.point, aggregate_mean(s));
    QCOMPARE(a.median.point, aggregate_median(s));
    QCOMPARE(a.iqm.point, aggregate_iqm(s));
    QCOMPARE(a.optimality_gap.point, optimality_gap(s));
    for (const Interval& i : {a.mean, a.median, a.iqm, a.optimality_gap}) {
      QVERIFY(i.low <= i.point && i.point <= i.high);
      QVERIFY(i.low < i.high);
    }
    // one run per task: every resample is the data itself, the interval a point
    const AggregateIntervals one = aggregate_intervals({{30}, {60}}, settings);
    QCOMPARE(one.iqm.low, 45.0);
    QCOMPARE(one.iqm.high, 45.0);
    QCOMPARE(one.optimality_gap.point, 55.0);
  }

  void profileNeverRisesWithTau() {
    const TaskScores s{{12, 40, 35, 80, 55}, {90, 101, 70, 88}};
    const auto taus = threshold_grid(0, 100, 11);
    QCOMPARE(taus.size(), std::size_t(11));
    QCOMPARE(taus[3], 30.0);
    QCOMPARE(taus.back(), 100.0);
    const auto profile = performance_profile(s, taus, {500, 1, 0.95});
    QCOMPARE(profile.size(), taus.size());
    QCOMPARE(profile[0].fraction.point, 1.0);  // every run is above 0 ...
    QCOMPARE(profile[0].fraction.low, 1.0);    // ... in every resample
    QVERIFY(near(profile[4].fraction.point, 6.0 / 9.0));  // above 40: 80, 55, 90, 101, 70, 88
    QVERIFY(near(profile[10].fraction.point, 1.0 / 9.0));  // above 100: 101
    for (std::size_t i = 1; i < profile.size(); ++i) QVERIFY(profile[i].fraction.point <= profile[i - 1].fraction.point);
  }

  void improvementIntervalResamplesBothGroups() {
    // disjoint: every x above every y on both tasks, in every resample
    const Interval sure = probability_of_improvement_interval({{10, 11}, {50, 60, 70}}, {{1, 2, 3}, {40}}, {300, 2, 0.95});
    QCOMPARE(sure.point, 1.0);
    QCOMPARE(sure.low, 1.0);
    QCOMPARE(sure.high, 1.0);
    // overlapping: a real interval around the hand-computed 7/12
    const Interval r = probability_of_improvement_interval({{1, 2, 3}, {3, 5, 5}}, {{2, 2}, {1, 5}}, {1000, 2, 0.95});
    QVERIFY(near(r.point, 7.0 / 12.0));
    QVERIFY(r.low < r.point && r.point < r.high);
    QVERIFY(r.low >= 0.0 && r.high <= 1.0);
  }

  void iqmCurveStepByStep() {
    const std::vector<StepScores> steps{{1000, {{1, 2, 3}, {30, 10, 20}}}, {2000, {{5}, {}}}};
    const auto curve = iqm_curve(steps, {200, 0, 0.95});
    QCOMPARE(curve.size(), std::size_t(2));
    QCOMPARE(curve[0].step, std::int64_t(1000));
    QCOMPARE(curve[0].runs, 6);
    QCOMPARE(curve[0].iqm.point, 8.75);
    QCOMPARE(curve[1].runs, 1);
    QCOMPARE(curve[1].iqm.point, 5.0);
    QCOMPARE(curve[1].iqm.low, 5.0);
  }
};

QTEST_GUILESS_MAIN(TestAggregateMetrics)
#include "test_aggregate_metrics.moc"
