#include "ui/help_menu.h"

#include <QApplication>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>

#include "core/runtime_torch/runtime_info.h"

namespace iqlui {

namespace {
QString shortcutsHtml() {
  const QList<QPair<QString, QString>> rows = {
      {QStringLiteral("Ctrl+Enter"), QObject::tr("Train with the dataset and settings on the left")},
      {QStringLiteral("Ctrl+P"), QObject::tr("Pause the run or population in training")},
      {QStringLiteral("Ctrl+Shift+P"), QObject::tr("Resume it")},
      {QStringLiteral("Ctrl+."), QObject::tr("Stop it (evaluated, checkpointed and stored)")},
      {QStringLiteral("Ctrl+O"), QObject::tr("Open a dataset file (HDF5, NPZ or a Minari directory)")},
      {QStringLiteral("Ctrl+Q"), QObject::tr("Quit (a running run is stopped, evaluated and stored first)")},
      {QObject::tr("Double-click a run"), QObject::tr("Open it in the Training and Distributions tabs")},
      {QStringLiteral("F2"), QObject::tr("Rename the selected run (Enter confirms, and opens nothing)")},
      {QObject::tr("Drag a slider"), QObject::tr("Changes τ or β once, when you release it, at the next step")},
      {QObject::tr("Mouse wheel / drag on a plot"), QObject::tr("Zoom / pan; double-click resets the view")},
  };
  QString html = QStringLiteral("<table cellpadding=3>");
  for (const auto& [keys, what] : rows)
    html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
  return html + QStringLiteral("</table>");
}
}  // namespace

void addHelpMenu(QMainWindow* window) {
  QMenu* help = window->menuBar()->addMenu(QObject::tr("&Help"));
  help->addAction(QObject::tr("&Keyboard shortcuts"), window, [window] {
    QMessageBox::information(window, QObject::tr("Keyboard shortcuts"), shortcutsHtml());
  });
  help->addAction(QObject::tr("&About IQL Workbench"), window, [window] {
    QMessageBox::about(
        window, QObject::tr("About IQL Workbench"),
        QObject::tr("<h3>IQL Workbench %1</h3>"
                    "<p>Offline reinforcement learning with Implicit Q-Learning (Kostrikov, Nair and Levine, "
                    "ICLR 2022): train on D4RL/Minari/NPZ datasets, tune τ and β live, compare stored runs.</p>"
                    "<p>GPL-3.0-or-later. Uses Qt, QCustomPlot, LibTorch, MuJoCo, HDF5 and SQLite.</p>"
                    "<p>Numeric runtime: %2</p>")
            .arg(QApplication::applicationVersion().isEmpty() ? QStringLiteral("0.1.0")
                                                              : QApplication::applicationVersion(),
                 QString::fromStdString(iql::runtime_info_text()).toHtmlEscaped()));
  });
  help->addAction(QObject::tr("About &Qt"), qApp, &QApplication::aboutQt);
}

}  // namespace iqlui
