// The Evaluation plot is readable: its x range holds every point with a margin (one point, or a
// marker left of the first evaluation), the normalised-score axis is the env's normalisation of the
// return axis (one evaluation, one height; hidden for an env without reference returns), a second
// run's plot shows that run's ranges only, the latest and best scores are shown as numbers, an empty
// plot says it is waiting, and marker labels never overlap.
#include <QtTest/QtTest>

#include <algorithm>

#include "core/env/normalized_score.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcp.h"
#include "ui/plots/training_plots.h"

using namespace iqlui;

namespace {
EvalSample evalNoScore(qint64 step, double ret) {
  EvalSample e;
  e.step = step;
  e.returnMean = ret;
  return e;
}
EvalSample eval(qint64 step, double ret, double score) {
  EvalSample e;
  e.step = step;
  e.returnMean = ret;
  e.hasScore = true;
  e.score = score;
  return e;
}
// Strictly inside, with at least 1% of the range to spare on each side.
bool inside(const QCPRange& r, double v) { return v > r.lower + 0.01 * r.size() && v < r.upper - 0.01 * r.size(); }
}  // namespace

class TestTrainingPlots : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void evaluationRangeHoldsEveryPoint() {
    TrainingPlots plots;
    plots.resize(1100, 600);
    plots.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plots));
    MetricPlot* p = plots.evaluationPlot();
    plots.flushNow();
    QVERIFY(p->showsWaitingText());

    plots.addEvaluation(eval(1000, 1500.0, 45.0));
    plots.flushNow();
    QVERIFY(!p->showsWaitingText());
    const QCPRange one = p->plot()->xAxis->range();
    QVERIFY2(inside(one, 1000), qPrintable(QString("%1..%2").arg(one.lower).arg(one.upper)));
    QVERIFY2(one.lower >= 0, qPrintable(QString::number(one.lower)));  // never "starts at -500"
    QVERIFY2(p->summary().startsWith("score <b>45.0</b>"), qPrintable(p->summary()));

    // A marker before the first evaluation and two more points: all inside, none on an edge.
    EventSample change;
    change.step = 200;
    change.kind = "hyperparameter";
    change.name = "temperature";
    change.oldValue = 3;
    change.newValue = 9.74;
    plots.addEvent(change);
    plots.addEvaluation(eval(2000, 3000.0, 95.8));
    plots.addEvaluation(eval(3000, 2500.0, 74.0));
    plots.flushNow();
    const QCPRange x = p->plot()->xAxis->range();
    for (double step : {200.0, 1000.0, 2000.0, 3000.0})
      QVERIFY2(inside(x, step), qPrintable(QString("%1 not inside %2..%3").arg(step).arg(x.lower).arg(x.upper)));
    const QCPRange left = p->plot()->yAxis->range();
    for (double r : {1500.0, 3000.0, 2500.0}) QVERIFY(inside(left, r));
    QVERIFY2(p->summary().startsWith("score <b>74.0</b>") && p->summary().contains("best <b>95.8</b> (step 2,000)"), qPrintable(p->summary()));
    QCOMPARE(p->markerCount(), 1);
  }

  // Hopper's D4RL reference returns map return to score; the score axis is that map of the return
  // axis, through fits, zooms and drags alike, so both points of an evaluation sit at one height.
  void evaluationAxesAreTied() {
    const auto ref = iql::reference_returns("hopper");
    QVERIFY(ref.has_value());
    const auto score = [&](double ret) { return 100.0 * (ret - ref->min) / (ref->max - ref->min); };
    TrainingPlots plots;
    plots.resize(1100, 600);
    plots.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plots));
    plots.setEnvironment(QStringLiteral("hopper"));
    MetricPlot* p = plots.evaluationPlot();
    QCPAxis* left = p->plot()->yAxis;
    QCPAxis* right = p->plot()->yAxis2;
    for (auto [step, ret] : {std::pair{1000, 900.0}, {2000, 1700.0}, {3000, 1500.0}})
      plots.addEvaluation(eval(step, ret, score(ret)));
    plots.flushNow();
    QVERIFY(right->visible());
    const auto verifyTied = [&](const char* when) {
      const QCPRange l = left->range(), r = right->range();
      QVERIFY2(std::abs(r.lower - score(l.lower)) < 1e-9 && std::abs(r.upper - score(l.upper)) < 1e-9,
               qPrintable(QString("%1: return %2..%3, score %4..%5, expected score %6..%7")
                              .arg(when).arg(l.lower).arg(l.upper).arg(r.lower).arg(r.upper)
                              .arg(score(l.lower)).arg(score(l.upper))));
    };
    verifyTied("fitted");
    const double yReturn = left->coordToPixel(1500.0), yScore = right->coordToPixel(score(1500.0));
    QVERIFY2(std::abs(yReturn - yScore) < 0.5, qPrintable(QString("%1 vs %2 px").arg(yReturn).arg(yScore)));
    left->setRange(-200.0, 4000.0);  // what a drag or a wheel zoom does to the left axis
    verifyTied("after a zoom");
    p->flushNow();
    verifyTied("after a replot");
  }

  // A replayed run names no env: two scored evaluations with different returns give the map.
  void evaluationAxesTiedFromScoredEvaluations() {
    TrainingPlots plots;
    MetricPlot* p = plots.evaluationPlot();
    plots.addEvaluation(eval(1000, -800.0, 40.0));
    plots.flushNow();
    QVERIFY(!p->rightAxisShown());  // one evaluation does not fix the map
    plots.addEvaluation(eval(2000, -400.0, 80.0));  // score = 0.1 * return + 120
    plots.flushNow();
    QVERIFY(p->rightAxisShown());
    const QCPRange l = p->plot()->yAxis->range(), r = p->plot()->yAxis2->range();
    QVERIFY(std::abs(r.lower - (0.1 * l.lower + 120)) < 1e-9 && std::abs(r.upper - (0.1 * l.upper + 120)) < 1e-9);
  }

  // Run 1 on hopper (scored, steps to 30,000, returns near 3,000); run 2 on an env without reference
  // returns (steps to 300, returns near -250): run 2's plot holds nothing of run 1's ranges and no
  // score axis.
  void secondRunRangesComeFromTheNewRunOnly() {
    const auto ref = iql::reference_returns("hopper");
    TrainingPlots plots;
    plots.resize(1100, 600);
    plots.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plots));
    MetricPlot* p = plots.evaluationPlot();
    plots.setEnvironment(QStringLiteral("hopper"));
    for (int k = 1; k <= 3; ++k) {
      const double ret = 2800.0 + 100 * k;
      plots.addEvaluation(eval(10000 * k, ret, 100.0 * (ret - ref->min) / (ref->max - ref->min)));
    }
    plots.flushNow();
    QVERIFY(p->plot()->yAxis2->visible());

    plots.clear();
    plots.setEnvironment(QStringLiteral("no-such-env"));
    plots.flushNow();
    QVERIFY(p->showsWaitingText());
    QVERIFY(!p->plot()->yAxis2->visible());
    QVERIFY(!p->plot()->xAxis->range().contains(10000) && !p->plot()->yAxis->range().contains(2900));

    for (auto [step, ret] : {std::pair{100, -300.0}, {200, -250.0}, {300, -200.0}}) plots.addEvaluation(evalNoScore(step, ret));
    plots.flushNow();
    const QCPRange x = p->plot()->xAxis->range(), y = p->plot()->yAxis->range();
    QVERIFY2(x.lower > 0 && x.upper < 400, qPrintable(QString("x %1..%2").arg(x.lower).arg(x.upper)));
    QVERIFY2(y.lower > -400 && y.upper < -100, qPrintable(QString("y %1..%2").arg(y.lower).arg(y.upper)));
    QVERIFY(!p->plot()->yAxis2->visible());
    QVERIFY2(p->summary().startsWith("return <b>-200.0</b>"), qPrintable(p->summary()));
  }

  void markerLabelsDoNotOverlap() {
    MetricPlot p(QStringLiteral("Losses"), QStringLiteral("loss"));
    p.resize(400, 300);
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    p.addSeries(QStringLiteral("v_loss"), QStringLiteral("V loss"), Qt::blue);
    for (int i = 0; i <= 100; ++i) p.appendPoint(QStringLiteral("v_loss"), i * 100, 1.0 / (1 + i));
    // Four changes within a few pixels of each other (one slider drag used to make these).
    for (int k = 0; k < 4; ++k) p.addMarker(5000 + 20 * k, QStringLiteral("β %1").arg(3 + 2 * k), QStringLiteral("full"));
    p.flushNow();
    const auto rects = p.markers().labelRects();
    QVERIFY(rects.size() >= 2);
    for (size_t i = 0; i < rects.size(); ++i)
      for (size_t j = i + 1; j < rects.size(); ++j)
        QVERIFY2(!rects[i].intersects(rects[j]), qPrintable(QString("labels %1 and %2 overlap").arg(i).arg(j)));
  }

  // A change at the latest step (the common case: the user just moved a slider) is labelled left of
  // its line, so the label ends inside the plot instead of being cut at its right edge.
  void markerLabelAtRightEdgeStaysInside() {
    MetricPlot p(QStringLiteral("Losses"), QStringLiteral("loss"));
    p.resize(400, 300);
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    p.addSeries(QStringLiteral("v_loss"), QStringLiteral("V loss"), Qt::blue);
    for (int i = 0; i <= 100; ++i) p.appendPoint(QStringLiteral("v_loss"), i * 100, 1.0 / (1 + i));
    p.addMarker(9990, QStringLiteral("β 9.74"), QStringLiteral("beta 3→9.74 at step 9,990"));
    p.addMarker(2000, QStringLiteral("τ 0.8"), QStringLiteral("tau 0.7→0.8 at step 2,000"));
    p.flushNow();
    const QRect axis = p.plot()->axisRect()->rect();
    const auto rects = p.markers().labelRects();
    QCOMPARE(int(rects.size()), 2);
    for (const auto& r : rects)
      QVERIFY2(r.left() >= axis.left() && r.right() <= axis.right() + 1,
               qPrintable(QString("label %1..%2 outside the plot %3..%4").arg(r.left()).arg(r.right()).arg(axis.left()).arg(axis.right())));
    const double line = p.plot()->xAxis->coordToPixel(9990);
    const double early = p.plot()->xAxis->coordToPixel(2000);
    QVERIFY(std::any_of(rects.begin(), rects.end(), [&](const QRectF& r) { return r.right() <= line; }));
    QVERIFY(std::any_of(rects.begin(), rects.end(), [&](const QRectF& r) { return r.left() >= early; }));
  }
};

QTEST_MAIN(TestTrainingPlots)
#include "test_training_plots.moc"
