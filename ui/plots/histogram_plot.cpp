#include "ui/plots/histogram_plot.h"

#include <QVBoxLayout>
#include <algorithm>
#include "ui/plots/qcp.h"

#include "ui/plots/plot_export.h"
#include "ui/plots/plot_style.h"

namespace iqlui {

HistogramPlot::HistogramPlot(const QString& title, const QString& xLabel, const QColor& color, QWidget* parent)
    : QWidget(parent), title_(title) {
  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(220, 160);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  applyPlotStyle(plot_, title);
  plot_->xAxis->setLabel(xLabel);
  plot_->yAxis->setLabel(tr("count"));
  bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
  bars_->setName(tr("probe batch"));
  QColor fill = color;
  fill.setAlpha(150);
  bars_->setBrush(fill);
  bars_->setPen(QPen(color.darker(130), 0.6));
  bars_->setWidthType(QCPBars::wtPlotCoords);
  bars_->removeFromLegend();
  plot_->legend->setVisible(false);
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { rescale(); });
  installExportMenu(plot_, title);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(plot_);
}

void HistogramPlot::setHistogram(const HistogramSample& h) {
  QVector<double> centres, counts;
  double width = 1.0;
  for (int i = 0; i < h.counts.size() && i + 1 < h.edges.size(); ++i) {
    centres.append(0.5 * (h.edges[i] + h.edges[i + 1]));
    counts.append(h.counts[i]);
    width = h.edges[i + 1] - h.edges[i];
  }
  bars_->setWidth(width > 0 ? width : 1.0);
  bars_->setData(centres, counts, true);
  maxCount_ = counts.isEmpty() ? 1.0 : std::max(1.0, *std::max_element(counts.begin(), counts.end()));
  // Reference lines span the bars' height.
  for (QCPGraph* g : lines_) {
    if (g->data()->isEmpty()) continue;
    const double x = g->data()->constBegin()->key;
    g->setData({x, x}, {0.0, maxCount_ * 1.05});
  }
  rescale();
}

void HistogramPlot::setVerticalLine(const QString& id, double x, const QString& label, const QColor& color,
                                    Qt::PenStyle style) {
  QCPGraph* g = lines_.value(id);
  if (!g) {
    g = plot_->addGraph();
    g->setPen(QPen(color, 2.0, style));
    lines_.insert(id, g);
    plot_->legend->setVisible(true);
  }
  g->setName(label);
  g->setData({x, x}, {0.0, maxCount_ * 1.05});
  rescale();
}

void HistogramPlot::setSubtitle(const QString& text) {
  if (auto* t = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0)))
    t->setText(text.isEmpty() ? title_ : title_ + "  ·  " + text);
}

void HistogramPlot::setLegendAlignment(Qt::Alignment a) {
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, a);
}

void HistogramPlot::clear() {
  bars_->data()->clear();
  for (QCPGraph* g : lines_) plot_->removeGraph(g);
  lines_.clear();
  plot_->legend->setVisible(false);
  setSubtitle(QString());
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

bool HistogramPlot::hasData() const { return !bars_->data()->isEmpty(); }

void HistogramPlot::rescale() {
  plot_->rescaleAxes();
  const QCPRange x = plot_->xAxis->range();
  const double pad = std::max(x.size() * 0.04, 1e-6);
  plot_->xAxis->setRange(x.lower - pad, x.upper + pad);
  plot_->yAxis->setRange(0.0, maxCount_ * 1.12);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace iqlui
