#include "ui/plots/advantage_heatmap.h"

#include <QVBoxLayout>
#include <algorithm>
#include <limits>
#include "ui/plots/qcp.h"

#include "ui/plots/plot_export.h"
#include "ui/plots/plot_style.h"

namespace iqlui {

namespace {
constexpr int kRows = 60;

// The q-quantile of the pooled advantage distribution (every column weighted equally), interpolated
// linearly inside bins: a few extreme transitions must not stretch the axis until the bulk is a
// 3-pixel band.
double pooledQuantile(const QVector<AdvantageHeatmap::Column>& history, double q) {
  struct Piece {
    double a, z, mass;
  };
  QVector<Piece> pieces;
  for (const auto& c : history) {
    double total = 0.0;
    for (double n : c.hist.counts) total += n;
    if (total <= 0) continue;
    for (int b = 0; b < c.hist.counts.size(); ++b)
      if (c.hist.counts[b] > 0) pieces.append({c.hist.edges[b], c.hist.edges[b + 1], c.hist.counts[b] / total});
  }
  if (pieces.isEmpty()) return 0.0;
  std::sort(pieces.begin(), pieces.end(), [](const Piece& x, const Piece& y) { return x.a < y.a; });
  double all = 0.0;
  for (const Piece& p : pieces) all += p.mass;
  double target = q * all, seen = 0.0;
  for (const Piece& p : pieces) {
    if (seen + p.mass >= target) return p.a + (p.z - p.a) * ((target - seen) / p.mass);
    seen += p.mass;
  }
  return pieces.last().z;
}
}  // namespace

AdvantageHeatmap::AdvantageHeatmap(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(260, 140);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  const QString title = tr("Advantage A = Q − V over training");
  applyPlotStyle(plot_, title);
  plot_->xAxis->setLabel(tr("step"));
  plot_->yAxis->setLabel(tr("advantage (0.5–99.5%; outliers in edge rows)"));
  map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
  scale_ = new QCPColorScale(plot_);
  plot_->plotLayout()->addElement(1, 1, scale_);
  scale_->setType(QCPAxis::atRight);
  scale_->axis()->setLabel(tr("fraction of batch"));
  scale_->axis()->setTickLabelFont(plot_->font());
  scale_->axis()->setLabelFont(plot_->font());
  scale_->setBarWidth(10);
  map_->setColorScale(scale_);
  map_->setGradient(QCPColorGradient::gpThermal);
  map_->setInterpolate(false);
  auto* group = new QCPMarginGroup(plot_);
  plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
  scale_->setMarginGroup(QCP::msBottom | QCP::msTop, group);
  placeholder_ = addPlaceholder(plot_, tr("waiting for the first probe"));
  showEmpty(true);
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { rebuild(); });
  installExportMenu(plot_, title);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(plot_);
}

void AdvantageHeatmap::addHistogram(qint64 step, const HistogramSample& adv) {
  if (adv.counts.isEmpty() || adv.edges.size() != adv.counts.size() + 1) return;
  if (!history_.isEmpty() && history_.last().step >= step) {
    // A replay or a resumed run may repeat steps: keep columns ordered and unique.
    history_.erase(std::remove_if(history_.begin(), history_.end(), [&](const Column& c) { return c.step >= step; }),
                   history_.end());
  }
  history_.append({step, adv});
  rebuild();
}

void AdvantageHeatmap::clear() {
  history_.clear();
  map_->data()->clear();
  showEmpty(true);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void AdvantageHeatmap::showEmpty(bool empty) {
  // No map and no colour-scale numbers before the first probe: an empty map drew a dark block.
  placeholder_->setVisible(empty);
  map_->setVisible(!empty);
  scale_->axis()->setTickLabels(!empty);
  showTickLabels(plot_, !empty);
}

void AdvantageHeatmap::rebuild() {
  if (history_.isEmpty()) return;
  showEmpty(false);
  // Robust range: 0.5th to 99.5th percentile; the mass outside goes to the edge rows.
  double lo = pooledQuantile(history_, 0.005), hi = pooledQuantile(history_, 0.995);
  if (!(hi > lo)) {
    lo = std::numeric_limits<double>::max();
    hi = std::numeric_limits<double>::lowest();
    for (const Column& c : history_) {
      lo = std::min(lo, c.hist.edges.first());
      hi = std::max(hi, c.hist.edges.last());
    }
  }
  if (!(hi > lo)) hi = lo + 1.0;
  const int cols = history_.size();
  map_->data()->setSize(cols, kRows);
  const double x0 = history_.first().step, x1 = history_.last().step;
  map_->data()->setRange(QCPRange(x0, cols > 1 ? x1 : x0 + 1), QCPRange(lo, hi));
  map_->data()->fill(0.0);
  const double rowHeight = (hi - lo) / kRows;
  for (int c = 0; c < cols; ++c) {
    const HistogramSample& h = history_[c].hist;
    double total = 0.0;
    for (double n : h.counts) total += n;
    if (total <= 0) continue;
    QVector<double> cells(kRows, 0.0);
    // Spread each bin's mass over the rows it overlaps, so differing bin widths leave no gaps.
    for (int b = 0; b < h.counts.size(); ++b) {
      const double a = h.edges[b], z = h.edges[b + 1], mass = h.counts[b] / total;
      if (mass <= 0) continue;
      if (!(z > a)) {
        cells[std::clamp(static_cast<int>((a - lo) / rowHeight), 0, kRows - 1)] += mass;
        continue;
      }
      // Parts of the bin outside [lo, hi] are counted in the first / last row.
      if (a < lo) cells[0] += mass * (std::min(z, lo) - a) / (z - a);
      if (z > hi) cells[kRows - 1] += mass * (z - std::max(a, hi)) / (z - a);
      if (z <= lo || a >= hi) continue;
      const int r0 = std::clamp(static_cast<int>((a - lo) / rowHeight), 0, kRows - 1);
      const int r1 = std::clamp(static_cast<int>((z - lo) / rowHeight), 0, kRows - 1);
      for (int r = r0; r <= r1; ++r) {
        const double rl = lo + r * rowHeight, rh = rl + rowHeight;
        const double overlap = std::max(0.0, std::min(z, rh) - std::max(a, rl));
        cells[r] += mass * overlap / (z - a);
      }
    }
    for (int r = 0; r < kRows; ++r) map_->data()->setCell(c, r, cells[r]);
  }
  map_->rescaleDataRange(true);
  plot_->rescaleAxes();
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace iqlui
