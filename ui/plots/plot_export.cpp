#include "ui/plots/plot_export.h"

#include <QFileDialog>
#include <QMenu>
#include <QRegularExpression>
#include "ui/plots/qcp.h"

namespace iqlui {

QString exportFileStem(const QString& title) {
  QString base = title.toLower();
  base.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
  while (base.endsWith('-')) base.chop(1);
  while (base.startsWith('-')) base.remove(0, 1);
  return base.isEmpty() ? QStringLiteral("plot") : base;
}

void installExportMenu(QCustomPlot* plot, const QString& title) {
  plot->setContextMenuPolicy(Qt::CustomContextMenu);
  QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot, title](const QPoint& pos) {
    QMenu menu(plot);
    menu.addAction(QObject::tr("Fit to data"), plot, [plot] {
      plot->rescaleAxes(true);
      plot->replot();
    });
    menu.addSeparator();
    auto save = [plot, title](const QString& suffix) {
      const QString path = QFileDialog::getSaveFileName(plot, QObject::tr("Export %1").arg(title),
                                                        exportFileStem(title) + "." + suffix,
                                                        suffix.toUpper() + " (*." + suffix + ")");
      if (path.isEmpty()) return;
      if (suffix == "png") plot->savePng(path, 0, 0, 2.0);
      else plot->savePdf(path);
    };
    menu.addAction(QObject::tr("Export PNG…"), plot, [save] { save("png"); });
    menu.addAction(QObject::tr("Export PDF…"), plot, [save] { save("pdf"); });
    menu.exec(plot->mapToGlobal(pos));
  });
}

}  // namespace iqlui
