#include "ui/plots/plot_export.h"

#include <QFileDialog>
#include <QFontMetrics>
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

QString wrapToWidth(const QString& text, const QFont& font, int width) {
  const QFontMetrics fm(font);
  const QString dot = QStringLiteral(" · ");
  QStringList lines;
  for (const QString& paragraph : text.split(QLatin1Char('\n'))) {
    // Pieces that may end a line: the " · " parts, a part too wide for a line split into words.
    QStringList pieces;
    const QStringList parts = paragraph.split(dot);
    for (int i = 0; i < parts.size(); ++i) {
      const QString part = parts[i] + (i + 1 < parts.size() ? dot : QString());
      if (fm.horizontalAdvance(part) <= width) {
        pieces << part;
        continue;
      }
      const QStringList words = part.split(QLatin1Char(' '), Qt::SkipEmptyParts);
      for (int w = 0; w < words.size(); ++w) {
        const QString space = w + 1 < words.size() || i + 1 < parts.size() ? QStringLiteral(" ") : QString();
        if (fm.horizontalAdvance(words[w]) <= width) {
          pieces << words[w] + space;
          continue;
        }
        // A word wider than a line (a dataset path): break after its slashes, elide what still is.
        const QStringList chunks = words[w].split(QLatin1Char('/'));
        for (int c = 0; c < chunks.size(); ++c) {
          const QString chunk = chunks[c] + (c + 1 < chunks.size() ? QStringLiteral("/") : space);
          pieces << fm.elidedText(chunk, Qt::ElideMiddle, width);
        }
      }
    }
    QString line;
    for (const QString& piece : pieces) {
      if (!line.isEmpty() && fm.horizontalAdvance((line + piece).trimmed()) > width) {
        lines << line.trimmed();
        line.clear();
      }
      line += piece;
    }
    lines << line.trimmed();
  }
  for (QString& l : lines)
    if (l.endsWith(QStringLiteral(" ·"))) l.chop(2);
  return lines.join(QLatin1Char('\n'));
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
