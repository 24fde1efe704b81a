#include "ui/population/member_palette.h"

#include <algorithm>

namespace iqlui {

QColor memberPaletteColor(int index) {
  static const QColor colors[] = {
      QColor(0, 114, 178),   QColor(213, 94, 0),   QColor(0, 158, 115), QColor(204, 121, 167),
      QColor(230, 159, 0),   QColor(86, 180, 233), QColor(51, 34, 136), QColor(136, 34, 85),
      QColor(153, 153, 51),  QColor(40, 40, 40),   QColor(140, 90, 40), QColor(68, 170, 153)};
  constexpr int n = sizeof colors / sizeof colors[0];
  if (index >= 0 && index < n) return colors[index];
  const int k = std::max(0, index - n);
  return QColor::fromHsv(static_cast<int>(k * 137.508) % 360, 200, k % 2 ? 150 : 210);
}

QColor gridCellColor(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(1.0 - 0.55 * t), static_cast<float>(1.0 - 0.2 * t),
                          static_cast<float>(1.0 - 0.55 * t));
}

}  // namespace iqlui
