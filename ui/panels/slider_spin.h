// A slider and a spin box showing one value, kept in sync. The slider covers the usual range; the
// spin box may allow more (the slider then rests at its end). valueChanged fires on every change
// (live previews follow a drag); valueCommitted fires once per user decision: on slider release, a
// keyboard/wheel/page step of the slider, or a spin box edit (Enter, focus out or an arrow click).
#pragma once
#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace iqlui {

class SliderSpin : public QWidget {
  Q_OBJECT
public:
  SliderSpin(double spinMin, double spinMax, double sliderMin, double sliderMax, int decimals, double step,
             QWidget* parent = nullptr);
  double value() const;
  void setValue(double v);
  QDoubleSpinBox* spinBox() const { return spin_; }
  QSlider* slider() const { return slider_; }

Q_SIGNALS:
  void valueChanged(double value);
  void valueCommitted(double value);

private:
  int toSlider(double v) const;
  double fromSlider(int pos) const;

  QSlider* slider_;
  QDoubleSpinBox* spin_;
  double sliderMin_, sliderMax_;
  bool syncing_ = false;
};

}  // namespace iqlui
