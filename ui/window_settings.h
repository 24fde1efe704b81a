// What the workbench remembers between starts: the window's geometry and dock layout, the last
// dataset and the last sweep folder. One INI file in the user's config folder
// (~/.config/iql-workbench/IQL Workbench.ini); tests point it elsewhere with
// QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir).
#pragma once
#include <QByteArray>
#include <QString>

namespace iqlui {

struct WindowSettings {
  QByteArray geometry, state;  // QMainWindow::saveGeometry / saveState
  QString dataset;             // a built-in name or a file or folder path
  QString sweepDir;

  static WindowSettings load();
  void save() const;
};

// The remembered dataset when it can still be opened (a built-in name, or a path that exists).
QString usableDataset(const QString& remembered);

}  // namespace iqlui
