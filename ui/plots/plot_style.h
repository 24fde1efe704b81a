// Shared look of every QCustomPlot in the workbench: title row, fonts, grid, legend, palette.
#pragma once
#include <QColor>
#include <QString>

class QCustomPlot;

namespace iqlui {

void applyPlotStyle(QCustomPlot* plot, const QString& title);
// A colour-blind-friendly palette (Okabe-Ito), cycled by index.
QColor seriesColor(int index);

}  // namespace iqlui
