// The Help menu: keyboard shortcuts and About (version, licence, numeric runtime).
#pragma once

class QMainWindow;

namespace iqlui {

void addHelpMenu(QMainWindow* window);

}  // namespace iqlui
