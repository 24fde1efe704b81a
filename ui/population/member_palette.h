// Colours of a population's members and of its score grid. Members get a qualitative palette by
// index (not a gradient by beta, which gave members of equal beta near-identical colours): the first
// 12 are hand-picked to stay apart on white and for colour-blind readers (Okabe-Ito, then Tol's
// darker hues); later members step round the hue circle by the golden angle.
#pragma once
#include <QColor>

namespace iqlui {

QColor memberPaletteColor(int index);
// The grid's colour for a cell at fraction t of the shown range: white (lowest) to green (highest).
QColor gridCellColor(double t);

}  // namespace iqlui
