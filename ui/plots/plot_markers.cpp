#include "ui/plots/plot_markers.h"

#include <QFontMetricsF>
#include <QRectF>
#include <QStringList>
#include <cmath>
#include <algorithm>

#include "ui/plots/qcp.h"

namespace iqlui {

namespace {
constexpr int kRows = 4;
const QColor kMarkerColor(200, 60, 60);
}  // namespace

void PlotMarkers::add(double step, const QString& compact, const QString& full) {
  auto* line = new QCPItemStraightLine(plot_);
  for (QCPItemPosition* p : {line->point1, line->point2}) {
    p->setTypeX(QCPItemPosition::ptPlotCoords);
    p->setTypeY(QCPItemPosition::ptAxisRectRatio);
  }
  line->point1->setCoords(step, 0.0);
  line->point2->setCoords(step, 1.0);
  line->setPen(QPen(kMarkerColor, 1.2, Qt::DashLine));
  line->setSelectable(false);

  auto* text = new QCPItemText(plot_);
  text->position->setTypeX(QCPItemPosition::ptPlotCoords);
  text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  text->setText(compact);
  text->setColor(kMarkerColor);
  QFont f = plot_->font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  text->setFont(f);
  text->setPadding(QMargins(2, 0, 2, 0));
  text->setBrush(QBrush(QColor(255, 255, 255, 210)));
  text->setSelectable(false);
  text->setClipToAxisRect(true);
  markers_.push_back({step, full, line, text});
  std::stable_sort(markers_.begin(), markers_.end(), [](const Marker& a, const Marker& b) { return a.step < b.step; });
}

void PlotMarkers::clear() {
  for (auto& m : markers_) {
    plot_->removeItem(m.line);
    plot_->removeItem(m.text);
  }
  markers_.clear();
}

void PlotMarkers::layout() {
  const QRect rect = plot_->axisRect()->rect();
  if (rect.height() <= 0) return;
  double rowRight[kRows];
  std::fill(std::begin(rowRight), std::end(rowRight), -1e300);
  for (auto& m : markers_) {
    const QFontMetricsF fm(m.text->font());
    const double width = fm.horizontalAdvance(m.text->text()) + 6;
    const double rowHeight = (fm.height() + 2) / rect.height();
    const double lineX = plot_->xAxis->coordToPixel(m.step);
    // Right of its line, unless that would run past the plot's right edge (a change at the latest
    // step, where the user is looking): then left of it, so the value is never cut.
    const bool leftOfLine = lineX + 2 + width > rect.right() && lineX - 2 - width >= rect.left();
    const double left = leftOfLine ? lineX - 2 - width : lineX + 2;
    int row = 0;
    while (row < kRows && rowRight[row] > left) ++row;
    m.text->setVisible(row < kRows);
    if (row == kRows) continue;
    rowRight[row] = left + width;
    m.text->setPositionAlignment((leftOfLine ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
    m.text->position->setCoords(m.step, 0.01 + row * rowHeight);  // the padding keeps it off the line
  }
}

QString PlotMarkers::fullTextNear(double pixelX, double pixels) const {
  QStringList hits;
  for (const auto& m : markers_)
    if (std::abs(plot_->xAxis->coordToPixel(m.step) - pixelX) <= pixels) hits << m.full;
  return hits.join(QStringLiteral("; "));
}

std::vector<QRectF> PlotMarkers::labelRects() const {
  std::vector<QRectF> rects;
  for (const auto& m : markers_) {
    if (!m.text->visible()) continue;
    const QPointF tl = m.text->topLeft->pixelPosition(), br = m.text->bottomRight->pixelPosition();
    rects.push_back(QRectF(tl, br).normalized());
  }
  return rects;
}

}  // namespace iqlui
