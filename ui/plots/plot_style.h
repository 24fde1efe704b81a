// Shared look of every QCustomPlot in the workbench: title row, fonts, grid, legend, palette.
#pragma once
#include <QColor>
#include <QString>

class QCustomPlot;

namespace iqlui {

void applyPlotStyle(QCustomPlot* plot, const QString& title);
// A colour-blind-friendly palette (Okabe-Ito), cycled by index.
QColor seriesColor(int index);
// Moves the legend out of the axis rect into a row under it (wrapping after `wrap` entries, 0 =
// never), so it never covers data.
void placeLegendBelow(QCustomPlot* plot, int wrap = 0);

}  // namespace iqlui
