// MetricPlot on its own: the legend lists only series that have points, the smoothed curve is the
// debiased EMA of the raw one, log scale and markers, and clear() empties all of it.
#include <QtTest/QtTest>

#include "ui/plots/metric_plot.h"
#include "ui/plots/qcp.h"

using namespace iqlui;

namespace {
QStringList legendNames(const MetricPlot& p) {
  QStringList names;
  QCPLegend* legend = p.plot()->legend;
  for (int i = 0; i < legend->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) names << item->plottable()->name();
  return names;
}
}  // namespace

class TestMetricPlot : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void legendListsOnlySeriesWithPoints() {
    MetricPlot p(QStringLiteral("Evaluation"), QStringLiteral("return"));
    p.addSeries(QStringLiteral("eval_return"), QStringLiteral("return"), Qt::blue, MetricPlot::Axis::Left, false);
    p.addSeries(QStringLiteral("online_episode_return"), QStringLiteral("online episode return"), Qt::red);
    p.flushNow();
    QVERIFY(legendNames(p).isEmpty());
    QVERIFY(!p.plot()->legend->visible());

    p.appendPoint(QStringLiteral("eval_return"), 1000, -150.0);
    p.flushNow();
    QCOMPARE(legendNames(p), QStringList{QStringLiteral("return")});
    QVERIFY(p.plot()->legend->visible());

    p.appendPoint(QStringLiteral("online_episode_return"), 1200, -300.0);
    p.flushNow();
    QCOMPARE(legendNames(p), (QStringList{QStringLiteral("return"), QStringLiteral("online episode return")}));

    p.clear();
    p.flushNow();
    QVERIFY(legendNames(p).isEmpty());
    QCOMPARE(p.pointCount(QStringLiteral("eval_return")), 0);
  }

  void smoothedCurveIsDebiasedEma() {
    MetricPlot p(QStringLiteral("Losses"), QStringLiteral("loss"));
    p.addSeries(QStringLiteral("v_loss"), QStringLiteral("V loss"), Qt::blue);
    p.setSmoothing(0.5);
    for (double v : {1.0, 3.0, 2.0}) p.appendPoint(QStringLiteral("v_loss"), p.pointCount(QStringLiteral("v_loss")), v);
    p.flushNow();
    // Graph 0 is the raw curve, graph 1 the smoothed one. With weight w = 0.5:
    // e1 = 0.5, e2 = 1.75, e3 = 1.875; debiased by 1 - w^n: 1, 7/3, 15/7.
    QCPGraph* raw = p.plot()->graph(0);
    QCPGraph* smooth = p.plot()->graph(1);
    QCOMPARE(raw->data()->size(), 3);
    QCOMPARE(smooth->data()->size(), 3);
    QCOMPARE(raw->data()->at(1)->value, 3.0);
    QVERIFY(qAbs(smooth->data()->at(0)->value - 1.0) < 1e-12);
    QVERIFY(qAbs(smooth->data()->at(1)->value - 7.0 / 3.0) < 1e-12);
    QVERIFY(qAbs(smooth->data()->at(2)->value - 15.0 / 7.0) < 1e-12);
    QCOMPARE(legendNames(p), QStringList{QStringLiteral("V loss")});

    // Smoothing off: the raw curve carries the legend entry and the smoothed one is hidden.
    p.setSmoothing(0.0);
    p.flushNow();
    QVERIFY(!smooth->visible());
    QCOMPARE(legendNames(p), QStringList{QStringLiteral("V loss")});
    QVERIFY(p.plot()->legend->hasItemWithPlottable(raw));
  }

  void markersAndLogScale() {
    MetricPlot p(QStringLiteral("Losses"), QStringLiteral("loss"));
    p.addSeries(QStringLiteral("q_loss"), QStringLiteral("Q loss"), Qt::blue);
    for (int i = 1; i <= 10; ++i) p.appendPoint(QStringLiteral("q_loss"), i, std::pow(10.0, -i / 2.0));
    p.addMarker(5, QStringLiteral("beta 3→10"));
    p.setLogScale(true);
    p.flushNow();
    QCOMPARE(p.markerCount(), 1);
    QCOMPARE(p.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    // The fitted log range covers the data 10^-5 .. 10^-0.5.
    QVERIFY(p.plot()->yAxis->range().lower <= 1e-5);
    QVERIFY(p.plot()->yAxis->range().upper >= std::pow(10.0, -0.5));
    p.clear();
    QCOMPARE(p.markerCount(), 0);
  }
};

QTEST_MAIN(TestMetricPlot)
#include "test_metric_plot.moc"
