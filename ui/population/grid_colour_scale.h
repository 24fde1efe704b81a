// The colour key under the population's tau x beta grid: a white-to-green bar with the lowest and
// highest cell values at its ends, so a cell's shade reads as a value (the grid scales its colours to
// the cells it shows).
#pragma once
#include <QWidget>

namespace iqlui {

class GridColourScale : public QWidget {
  Q_OBJECT
public:
  explicit GridColourScale(QWidget* parent = nullptr);
  void setRange(double lo, double hi);  // NaN: no values yet
  double low() const { return lo_; }
  double high() const { return hi_; }

protected:
  void paintEvent(QPaintEvent*) override;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override { return sizeHint(); }

private:
  double lo_, hi_;
};

}  // namespace iqlui
