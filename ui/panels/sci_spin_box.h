// A spin box for learning rates and similar small positive numbers: shows "3e-04", accepts any
// number notation, and steps multiplicatively (ten clicks per decade).
#pragma once
#include <QDoubleSpinBox>

namespace iqlui {

class SciSpinBox : public QDoubleSpinBox {
  Q_OBJECT
public:
  SciSpinBox(double min, double max, QWidget* parent = nullptr);
  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;
  void stepBy(int steps) override;
};

}  // namespace iqlui
