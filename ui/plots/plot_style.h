// Shared look of every QCustomPlot in the workbench: title row, fonts, grid, legend, palette, and
// tick steps that keep labels apart (readable_ticker.h).
#pragma once
#include <QColor>
#include <QString>

class QCustomPlot;
class QCPItemText;

namespace iqlui {

void applyPlotStyle(QCustomPlot* plot, const QString& title);
// A grey note centred in the axis rect ("waiting for the first probe"); callers hide it with data.
QCPItemText* addPlaceholder(QCustomPlot* plot, const QString& text);
// An empty plot's axes keep their names but show no made-up numbers.
void showTickLabels(QCustomPlot* plot, bool on);
// A colour-blind-friendly palette (Okabe-Ito), cycled by index.
QColor seriesColor(int index);
// Moves the legend out of the axis rect into a row under it, so it never covers data; before each
// replot its entries wrap into as many rows as the plot's width needs (fitLegendToWidth).
void placeLegendBelow(QCustomPlot* plot);
// As many legend entries per row as fit the plot's width, never an entry cut at the edge.
void fitLegendToWidth(QCustomPlot* plot);

}  // namespace iqlui
