// Right-click "Export PNG/PDF" for plots that have no toolbar of their own.
#pragma once
#include <QString>

class QCustomPlot;
class QFont;

namespace iqlui {

QString exportFileStem(const QString& title);  // "AWR weights" -> "awr-weights"
void installExportMenu(QCustomPlot* plot, const QString& title);
// Breaks `text` into lines no wider than `width` pixels in `font`, between " · " separated parts
// (or, for a part wider than a line, between words), so an exported title with the run's settings
// is never cut at the image's edges.
QString wrapToWidth(const QString& text, const QFont& font, int width);

}  // namespace iqlui
