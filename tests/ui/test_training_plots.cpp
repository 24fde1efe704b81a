// The Evaluation plot is readable: its x range holds every point with a margin (one point, or a
// marker left of the first evaluation), the score axis is pinned to include 0..100 so the return
// line does not hide exactly under the score line, the latest and best scores are shown as numbers,
// an empty plot says it is waiting, and marker labels never overlap.
#include <QtTest/QtTest>

#include "ui/plots/metric_plot.h"
#include "ui/plots/qcp.h"
#include "ui/plots/training_plots.h"

using namespace iqlui;

namespace {
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
    QVERIFY(p->summary().startsWith("score: <b>latest 45.0</b>"));

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
    const QCPRange left = p->plot()->yAxis->range(), right = p->plot()->yAxis2->range();
    for (double r : {1500.0, 3000.0, 2500.0}) QVERIFY(inside(left, r));
    QVERIFY(right.lower <= 0.0 && right.upper >= 100.0);
    // The two lines do not coincide: the last point's pixels differ on the two axes.
    const double yReturn = p->plot()->yAxis->coordToPixel(2500.0), yScore = p->plot()->yAxis2->coordToPixel(74.0);
    QVERIFY2(std::abs(yReturn - yScore) > 5, qPrintable(QString("%1 vs %2").arg(yReturn).arg(yScore)));
    QVERIFY2(p->summary().startsWith("score: <b>latest 74.0</b>") && p->summary().contains("<b>best 95.8</b> (step 2,000)"), qPrintable(p->summary()));
    QCOMPARE(p->markerCount(), 1);
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
};

QTEST_MAIN(TestTrainingPlots)
#include "test_training_plots.moc"
