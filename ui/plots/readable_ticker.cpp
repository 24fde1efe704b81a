#include "ui/plots/readable_ticker.h"

#include <QFontMetrics>
#include <algorithm>
#include <cmath>

namespace iqlui {

namespace {
// The smallest of 1, 2, 2.5, 5 x 10^k that is >= s.
double niceAtLeast(double s) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(s)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= s * (1 - 1e-9)) return m * magnitude;
  return 10.0 * magnitude;
}
}  // namespace

void ReadableTicker::generate(const QCPRange& range, const QLocale& locale, QChar formatChar, int precision,
                              QVector<double>& ticks, QVector<double>* subTicks, QVector<QString>* tickLabels) {
  locale_ = locale;
  formatChar_ = formatChar;
  precision_ = precision;
  QCPAxisTicker::generate(range, locale, formatChar, precision, ticks, subTicks, tickLabels);
}

int ReadableTicker::axisPixels() const {
  return axis_->orientation() == Qt::Horizontal ? axis_->axisRect()->width() : axis_->axisRect()->height();
}

bool ReadableTicker::stale() const { return usedPixels_ >= 0 && usedPixels_ != axisPixels(); }

bool ReadableTicker::labelsFit(double step, const QCPRange& range, int pixels) const {
  const QFontMetrics fm(axis_->tickLabelFont());
  const double spacing = step / range.size() * pixels;
  if (axis_->orientation() == Qt::Vertical) return spacing >= fm.height() + 6;
  QVector<double> ticks = const_cast<ReadableTicker*>(this)->createTickVector(step, range);
  ticks.erase(std::remove_if(ticks.begin(), ticks.end(), [&](double t) { return !range.contains(t); }), ticks.end());
  const QVector<QString> labels =
      const_cast<ReadableTicker*>(this)->createLabelVector(ticks, locale_, formatChar_, precision_);
  const int gap = fm.horizontalAdvance(QStringLiteral("00"));
  for (int i = 0; i + 1 < labels.size(); ++i)
    if (spacing < 0.5 * (fm.horizontalAdvance(labels[i]) + fm.horizontalAdvance(labels[i + 1])) + gap) return false;
  return true;
}

double ReadableTicker::getTickStep(const QCPRange& range) {
  const double wanted = QCPAxisTicker::getTickStep(range);  // what the tick count asks for
  const int pixels = axisPixels();
  usedPixels_ = pixels;
  if (pixels <= 0 || !(range.size() > 0) || !std::isfinite(range.size())) return wanted;
  const QFontMetrics fm(axis_->tickLabelFont());
  // Start no denser than one short label per step, then widen until the real labels fit.
  const double minSpacing = axis_->orientation() == Qt::Horizontal ? fm.horizontalAdvance(QStringLiteral("000"))
                                                                   : fm.height();
  double step = niceAtLeast(range.size() * minSpacing / pixels);
  for (int i = 0; i < 40 && !labelsFit(step, range, pixels); ++i) step = niceAtLeast(step * 1.0001);
  return std::max(step, wanted);
}

void installReadableTicks(QCustomPlot* plot) {
  for (QCPAxis* axis : {plot->xAxis, plot->yAxis, plot->xAxis2, plot->yAxis2}) axis->setTicker(readableTicker(axis));
  QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
    for (QCPAxis* axis : plot->axisRect()->axes()) {
      auto* t = dynamic_cast<ReadableTicker*>(axis->ticker().data());
      if (axis->visible() && t && t->stale()) {
        plot->replot(QCustomPlot::rpQueuedReplot);
        return;
      }
    }
  });
}

QSharedPointer<QCPAxisTicker> readableTicker(QCPAxis* axis, int tickCount) {
  QSharedPointer<QCPAxisTicker> t(new ReadableTicker(axis));
  t->setTickCount(tickCount);
  return t;
}

}  // namespace iqlui
