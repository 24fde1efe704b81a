// Tick steps chosen from the axis's pixel length and the width of its labels, so neighbouring tick
// labels never run together ("5001000150002000") however narrow the plot: the ticker takes the
// densest "nice" step (1, 2, 2.5, 5 x 10^k) at which every pair of adjacent labels keeps a gap, but
// never a denser one than its tick count asks for.
#pragma once
#include "ui/plots/qcp.h"

namespace iqlui {

class ReadableTicker : public QCPAxisTicker {
public:
  explicit ReadableTicker(QCPAxis* axis) : axis_(axis) {}
  void generate(const QCPRange& range, const QLocale& locale, QChar formatChar, int precision,
                QVector<double>& ticks, QVector<double>* subTicks, QVector<QString>* tickLabels) override;
  // The axis length changed since the ticks were made (they were laid out for the old one).
  bool stale() const;

protected:
  double getTickStep(const QCPRange& range) override;

private:
  int axisPixels() const;
  bool labelsFit(double step, const QCPRange& range, int pixels) const;

  QCPAxis* axis_;
  QLocale locale_;
  QChar formatChar_ = QLatin1Char('g');
  int precision_ = 6;
  int usedPixels_ = -1;
};

// Gives the plot's four axes readable tickers and replots once more when a layout change made the
// ticks stale (the ticks are made before the layout settles the axis lengths).
void installReadableTicks(QCustomPlot* plot);
// A fresh readable ticker for `axis` (after a log-scale ticker is switched off, say).
QSharedPointer<QCPAxisTicker> readableTicker(QCPAxis* axis, int tickCount = 5);

}  // namespace iqlui
