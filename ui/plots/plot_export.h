// Right-click "Export PNG/PDF" for plots that have no toolbar of their own.
#pragma once
#include <QString>

class QCustomPlot;

namespace iqlui {

QString exportFileStem(const QString& title);  // "AWR weights" -> "awr-weights"
void installExportMenu(QCustomPlot* plot, const QString& title);

}  // namespace iqlui
