#include "ui/population/grid_colour_scale.h"

#include <QLinearGradient>
#include <QPainter>
#include <cmath>

#include "ui/population/member_palette.h"

namespace iqlui {

GridColourScale::GridColourScale(QWidget* parent) : QWidget(parent), lo_(std::nan("")), hi_(std::nan("")) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void GridColourScale::setRange(double lo, double hi) {
  lo_ = lo;
  hi_ = hi;
  update();
}

QSize GridColourScale::sizeHint() const {
  const int h = fontMetrics().height();
  return {160, h + 16};
}

void GridColourScale::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const QFontMetrics fm = fontMetrics();
  const bool have = std::isfinite(lo_) && std::isfinite(hi_);
  const QString lo = have ? QString::number(lo_, 'f', 1) : tr("low");
  const QString hi = have ? QString::number(hi_, 'f', 1) : tr("high");
  const int pad = 4, barH = 12;
  const int left = fm.horizontalAdvance(lo) + 2 * pad, right = width() - fm.horizontalAdvance(hi) - 2 * pad;
  const QRect bar(left, (height() - barH) / 2, std::max(10, right - left), barH);
  QLinearGradient g(bar.topLeft(), bar.topRight());
  g.setColorAt(0.0, gridCellColor(0.0));
  g.setColorAt(1.0, gridCellColor(1.0));
  p.fillRect(bar, g);
  p.setPen(palette().color(QPalette::Mid));
  p.drawRect(bar.adjusted(0, 0, -1, -1));
  p.setPen(palette().color(QPalette::WindowText));
  p.drawText(QRect(0, 0, left - pad, height()), Qt::AlignRight | Qt::AlignVCenter, lo);
  p.drawText(QRect(bar.right() + pad, 0, width() - bar.right() - pad, height()), Qt::AlignLeft | Qt::AlignVCenter, hi);
}

}  // namespace iqlui
