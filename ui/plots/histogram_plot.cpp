#include "ui/plots/histogram_plot.h"

#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMenu>
#include <QTextStream>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include "ui/plots/qcp.h"

#include "ui/plots/plot_export.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/readable_ticker.h"

namespace iqlui {

HistogramPlot::HistogramPlot(const QString& title, const QString& xLabel, const QColor& color, QWidget* parent)
    : QWidget(parent), title_(title) {
  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(150, 140);
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
  placeLegendBelow(plot_);  // reference lines and bars stay uncovered
  // Narrow plots: few ticks, so labels never run into each other.
  plot_->xAxis->ticker()->setTickCount(3);
  plot_->yAxis->ticker()->setTickCount(4);
  placeholder_ = addPlaceholder(plot_, tr("waiting for\nthe first probe"));
  showEmpty(true);
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { rescale(); });
  installExportMenu(plot_, title);

  logBox_ = new QCheckBox(tr("log"), this);
  logBox_->setToolTip(tr("Logarithmic count axis: shows the sparse tails next to the bulk"));
  connect(logBox_, &QCheckBox::toggled, this, &HistogramPlot::setLogScale);
  auto* save = new QToolButton(this);
  save->setText(tr("Save"));
  save->setToolTip(tr("Export the histogram as PNG, PDF or CSV (bin edges and counts)"));
  save->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(save);
  for (const QString& suffix : {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("csv")})
    menu->addAction(suffix.toUpper() + QStringLiteral("…"), this, [this, suffix] {
      const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(title_),
                                                        exportFileStem(title_) + "." + suffix,
                                                        suffix.toUpper() + " (*." + suffix + ")");
      if (path.isEmpty()) return;
      if (suffix == QLatin1String("png")) plot_->savePng(path, 0, 0, 2.0);
      else if (suffix == QLatin1String("pdf")) plot_->savePdf(path);
      else exportCsv(path);
    });
  save->setMenu(menu);
  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 0, 4, 0);
  controls->addStretch(1);
  controls->addWidget(logBox_);
  controls->addWidget(save);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(1);
  layout->addWidget(plot_, 1);
  layout->addLayout(controls);
}

void HistogramPlot::setLogScale(bool on) {
  logScale_ = on;
  if (logBox_->isChecked() != on) logBox_->setChecked(on);
  plot_->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  else plot_->yAxis->setTicker(readableTicker(plot_->yAxis));
  plot_->yAxis->ticker()->setTickCount(4);
  bars_->setBaseValue(on ? 0.5 : 0.0);  // a log axis has no 0: bars start below one count
  for (QCPGraph* g : lines_) {
    if (g->data()->isEmpty()) continue;
    const double x = g->data()->constBegin()->key;
    g->setData({x, x}, {on ? 0.5 : 0.0, maxCount_ * (on ? 2.0 : 1.05)});
  }
  rescale();
}

bool HistogramPlot::exportCsv(const QString& path) const {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Text | QIODevice::Truncate)) return false;
  QTextStream out(&f);
  out << "# " << title_ << '\n' << "bin_low,bin_high,count\n";
  for (auto it = bars_->data()->constBegin(); it != bars_->data()->constEnd(); ++it)
    out << QString::number(it->key - bars_->width() / 2, 'g', 10) << ','
        << QString::number(it->key + bars_->width() / 2, 'g', 10) << ',' << QString::number(it->value, 'g', 10) << '\n';
  return out.status() == QTextStream::Ok;
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
  showEmpty(centres.isEmpty());
  maxCount_ = counts.isEmpty() ? 1.0 : std::max(1.0, *std::max_element(counts.begin(), counts.end()));
  // Reference lines span the bars' height.
  for (QCPGraph* g : lines_) {
    if (g->data()->isEmpty()) continue;
    const double x = g->data()->constBegin()->key;
    g->setData({x, x}, {logScale_ ? 0.5 : 0.0, maxCount_ * (logScale_ ? 2.0 : 1.05)});
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
  g->setData({x, x}, {logScale_ ? 0.5 : 0.0, maxCount_ * (logScale_ ? 2.0 : 1.05)});
  rescale();
}

void HistogramPlot::setSubtitle(const QString& text) {
  if (auto* t = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0)))
    t->setText(text.isEmpty() ? title_ : title_ + "\n" + text);  // two lines: fits a narrow plot
}

void HistogramPlot::setLegendAlignment(Qt::Alignment) {}  // the legend sits under the axes

void HistogramPlot::clear() {
  bars_->data()->clear();
  for (QCPGraph* g : lines_) plot_->removeGraph(g);
  lines_.clear();
  plot_->legend->setVisible(false);
  showEmpty(true);
  setSubtitle(QString());
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramPlot::showEmpty(bool empty) {
  placeholder_->setVisible(empty);
  showTickLabels(plot_, !empty);
}

bool HistogramPlot::hasData() const { return !bars_->data()->isEmpty(); }

void HistogramPlot::rescale() {
  plot_->rescaleAxes();
  const QCPRange x = plot_->xAxis->range();
  const double pad = std::max(x.size() * 0.04, 1e-6);
  plot_->xAxis->setRange(x.lower - pad, x.upper + pad);
  if (logScale_) plot_->yAxis->setRange(0.5, maxCount_ * 2.0);
  else plot_->yAxis->setRange(0.0, maxCount_ * 1.12);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace iqlui
