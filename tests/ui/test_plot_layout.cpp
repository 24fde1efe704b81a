// Plot geometry, not pixels: an empty plot's axis rectangle fills most of its widget (an empty legend
// row below the axes once capped the whole column at the legend's few pixels, leaving a 50-pixel
// strip), so does a histogram with data; legends wrap into rows that fit the plot instead of running
// off its edge; neighbouring tick labels never touch, however narrow the plot; an exported title with
// the run's settings is wrapped to the image's width.
#include <QtTest/QtTest>

#include "ui/plots/beta_whatif_plot.h"
#include "ui/plots/histogram_plot.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/qcp.h"

using namespace iqlui;

namespace {
QString describe(const QCustomPlot* plot) {
  return QString("axis rect %1 px of a %2 px plot").arg(plot->axisRect()->width()).arg(plot->width());
}

// Every legend entry lies inside the plot and got at least the width its text needs.
void verifyLegendFits(QCustomPlot* plot) {
  QCPLegend* legend = plot->legend;
  QVERIFY(legend->itemCount() > 0);
  for (int i = 0; i < legend->itemCount(); ++i) {
    QCPAbstractLegendItem* item = legend->item(i);
    if (!item) continue;  // an empty cell of a wrapped legend's last row
    const QRect r = item->outerRect();
    const QString name = qobject_cast<QCPPlottableLegendItem*>(item)
                             ? qobject_cast<QCPPlottableLegendItem*>(item)->plottable()->name()
                             : QString::number(i);
    QVERIFY2(r.left() >= 0 && r.right() <= plot->width() - 1,
             qPrintable(QString("'%1' spans %2..%3 in a %4 px plot").arg(name).arg(r.left()).arg(r.right()).arg(plot->width())));
    QVERIFY2(r.width() >= item->minimumOuterSizeHint().width(),
             qPrintable(QString("'%1' got %2 px, needs %3").arg(name).arg(r.width()).arg(item->minimumOuterSizeHint().width())));
  }
}

// Adjacent tick labels are at least 4 px apart (widths along a horizontal axis, heights along a
// vertical one).
void verifyTickLabelsApart(QCPAxis* axis) {
  const QVector<double> ticks = axis->tickVector();
  const QVector<QString> labels = axis->tickVectorLabels();
  const QFontMetrics fm(axis->tickLabelFont());
  const bool horizontal = axis->orientation() == Qt::Horizontal;
  QVERIFY2(ticks.size() >= 2, qPrintable(QString("%1 ticks").arg(ticks.size())));
  for (int i = 0; i + 1 < ticks.size(); ++i) {
    const double gap = std::abs(axis->coordToPixel(ticks[i + 1]) - axis->coordToPixel(ticks[i]));
    const double need = horizontal ? 0.5 * (fm.horizontalAdvance(labels[i]) + fm.horizontalAdvance(labels[i + 1])) + 4
                                   : fm.height() + 4;
    QVERIFY2(gap >= need, qPrintable(QString("'%1' and '%2' are %3 px apart, need %4")
                                         .arg(labels[i], labels[i + 1]).arg(gap).arg(need)));
  }
}
}  // namespace

class TestPlotLayout : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void emptyMetricPlotFillsItsWidget() {
    MetricPlot p(QStringLiteral("AWR weights"), QStringLiteral("fraction of batch"));
    p.addSeries(QStringLiteral("clip"), QStringLiteral("clipped"), Qt::blue);
    p.addSeries(QStringLiteral("w"), QStringLiteral("mean weight"), Qt::red, MetricPlot::Axis::Right);
    p.setRightAxisLabel(QStringLiteral("mean weight"));
    p.resize(400, 300);
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    p.flushNow();
    QVERIFY(p.showsWaitingText());
    QVERIFY2(p.plot()->axisRect()->width() >= 0.7 * p.plot()->width(), qPrintable(describe(p.plot())));
    QVERIFY2(p.plot()->axisRect()->height() >= 0.5 * p.plot()->height(), qPrintable(describe(p.plot())));
  }

  void histogramWithDataFillsItsWidget() {
    HistogramPlot h(QStringLiteral("V(s)"), QStringLiteral("value V(s)"), Qt::blue);
    h.resize(400, 300);
    h.show();
    QVERIFY(QTest::qWaitForWindowExposed(&h));
    h.plot()->replot();
    QVERIFY2(h.plot()->axisRect()->width() >= 0.7 * h.plot()->width(), qPrintable("empty: " + describe(h.plot())));
    HistogramSample s;
    s.name = QStringLiteral("v");
    s.edges = {-30, -20, -10, 0};
    s.counts = {5, 40, 300};
    h.setHistogram(s);
    h.plot()->replot();
    QVERIFY(h.hasData());
    QVERIFY2(h.plot()->axisRect()->width() >= 0.7 * h.plot()->width(), qPrintable("with data: " + describe(h.plot())));
  }

  void legendsWrapToFitANarrowPlot() {
    MetricPlot p(QStringLiteral("AWR weights"), QStringLiteral("fraction of batch"));
    p.addSeries(QStringLiteral("clip"), QStringLiteral("clipped"), Qt::blue);
    p.addSeries(QStringLiteral("ess"), QStringLiteral("ESS / n"), Qt::green);
    p.addSeries(QStringLiteral("w"), QStringLiteral("mean weight"), Qt::red, MetricPlot::Axis::Right);
    p.resize(200, 300);
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    for (int i = 0; i < 10; ++i)
      for (const char* key : {"clip", "ess", "w"}) p.appendPoint(QString::fromLatin1(key), i * 100, 0.1 * i);
    p.flushNow();
    p.plot()->replot();
    verifyLegendFits(p.plot());

    BetaWhatIfPlot beta;
    beta.resize(200, 300);
    beta.show();
    QVERIFY(QTest::qWaitForWindowExposed(&beta));
    WeightedSamples adv;
    for (int i = 0; i < 200; ++i) adv.values.push_back(-1.0 + 0.01 * i);
    adv.weights = QVector<double>(adv.values.size(), 1.0);
    beta.setAdvantages(adv, 100.0);
    beta.setCurrentBeta(3.0);
    QCustomPlot* plot = beta.plot();
    QVERIFY(plot);
    plot->replot();
    verifyLegendFits(plot);
  }

  void tickLabelsNeverRunTogether() {
    MetricPlot p(QStringLiteral("Losses"), QStringLiteral("loss"));
    p.addSeries(QStringLiteral("v_loss"), QStringLiteral("V loss"), Qt::blue);
    p.resize(190, 220);
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    for (int i = 0; i <= 200; ++i) p.appendPoint(QStringLiteral("v_loss"), i * 100, 1500.0 + 10 * i);
    p.flushNow();
    p.plot()->replot();
    verifyTickLabelsApart(p.plot()->xAxis);
    verifyTickLabelsApart(p.plot()->yAxis);
    p.resize(600, 400);  // wider: still apart, and more than the bare two ticks
    QCoreApplication::processEvents();
    p.plot()->replot();
    verifyTickLabelsApart(p.plot()->xAxis);
    QVERIFY(p.plot()->xAxis->tickVector().size() >= 4);
  }

  void exportTitleWrapsToTheImageWidth() {
    const QString context = QStringLiteral(
        "Run #12 · iql on /home/user/datasets/hopper-medium-replay-v2.hdf5 · env hopper (mujoco) · τ 0.7 · β 3 · "
        "seed 0 · 3000 steps");
    QFont font;
    font.setPointSizeF(9.5);
    const QFontMetrics fm(font);
    const QString wrapped = wrapToWidth(context, font, 260);
    const QStringList lines = wrapped.split('\n');
    QVERIFY(lines.size() >= 3);
    for (const QString& line : lines)
      QVERIFY2(fm.horizontalAdvance(line) <= 260, qPrintable(QString("'%1' is %2 px").arg(line).arg(fm.horizontalAdvance(line))));
    const auto bare = [](QString t) { return t.remove(QStringLiteral("·")).remove(QRegularExpression(QStringLiteral("\\s"))); };
    QCOMPARE(bare(lines.join(' ')), bare(context));  // nothing lost but separators and spaces
    QCOMPARE(wrapToWidth(QStringLiteral("short · title"), font, 400), QStringLiteral("short · title"));
  }
};

QTEST_MAIN(TestPlotLayout)
#include "test_plot_layout.moc"
