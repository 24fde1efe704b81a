#include "ui/panels/sci_spin_box.h"

#include <QRegularExpression>
#include <cmath>

namespace iqlui {

SciSpinBox::SciSpinBox(double min, double max, QWidget* parent) : QDoubleSpinBox(parent) {
  setDecimals(12);
  setRange(min, max);
  setKeyboardTracking(false);
}

QString SciSpinBox::textFromValue(double value) const {
  if (value == 0.0) return QStringLiteral("0");
  return QString::number(value, 'e', 2).replace(QRegularExpression(QStringLiteral("\\.?0+e")), QStringLiteral("e"));
}

double SciSpinBox::valueFromText(const QString& text) const { return text.trimmed().toDouble(); }

QValidator::State SciSpinBox::validate(QString& text, int&) const {
  const QString t = text.trimmed();
  if (t.isEmpty()) return QValidator::Intermediate;
  bool ok = false;
  const double v = t.toDouble(&ok);
  if (ok) return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
  static const QRegularExpression partial(QStringLiteral("^[0-9]*\\.?[0-9]*([eE][-+]?[0-9]*)?$"));
  return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

void SciSpinBox::stepBy(int steps) {
  const double v = value() > 0 ? value() : minimum();
  setValue(v * std::pow(10.0, steps / 10.0));
}

}  // namespace iqlui
