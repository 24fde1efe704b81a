#include "ui/panels/slider_spin.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSlider>
#include <algorithm>
#include <cmath>

namespace iqlui {

namespace {
constexpr int kSliderSteps = 1000;
}

SliderSpin::SliderSpin(double spinMin, double spinMax, double sliderMin, double sliderMax, int decimals, double step,
                       QWidget* parent)
    : QWidget(parent), sliderMin_(sliderMin), sliderMax_(sliderMax) {
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setRange(0, kSliderSteps);
  slider_->setPageStep(kSliderSteps / 20);
  spin_ = new QDoubleSpinBox(this);
  spin_->setRange(spinMin, spinMax);
  spin_->setDecimals(decimals);
  spin_->setSingleStep(step);
  spin_->setKeyboardTracking(false);
  spin_->setMinimumWidth(72);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(slider_, 1);
  row->addWidget(spin_);

  connect(slider_, &QSlider::valueChanged, this, [this](int pos) {
    if (syncing_) return;
    syncing_ = true;
    spin_->setValue(fromSlider(pos));
    syncing_ = false;
    Q_EMIT valueChanged(spin_->value());
    if (!slider_->isSliderDown()) Q_EMIT valueCommitted(spin_->value());  // not a drag: a decision
  });
  connect(slider_, &QSlider::sliderReleased, this, [this] { Q_EMIT valueCommitted(spin_->value()); });
  connect(spin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double v) {
    if (syncing_) return;
    syncing_ = true;
    slider_->setValue(toSlider(v));
    syncing_ = false;
    Q_EMIT valueChanged(v);
    Q_EMIT valueCommitted(v);
  });
}

double SliderSpin::value() const { return spin_->value(); }

void SliderSpin::setValue(double v) { spin_->setValue(v); }

int SliderSpin::toSlider(double v) const {
  const double t = (v - sliderMin_) / (sliderMax_ - sliderMin_);
  return static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * kSliderSteps));
}

double SliderSpin::fromSlider(int pos) const {
  return sliderMin_ + (sliderMax_ - sliderMin_) * pos / static_cast<double>(kSliderSteps);
}

}  // namespace iqlui
