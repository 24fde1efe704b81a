#include "ui/plots/plot_style.h"

#include "ui/plots/qcp.h"

namespace iqlui {

void applyPlotStyle(QCustomPlot* plot, const QString& title) {
  QFont base = plot->font();
  base.setPointSizeF(8.5);
  plot->setFont(base);
  QFont bold = base;
  bold.setBold(true);
  bold.setPointSizeF(9.5);
  if (!title.isEmpty()) {
    plot->plotLayout()->insertRow(0);
    auto* text = new QCPTextElement(plot, title, bold);
    text->setMargins(QMargins(0, 4, 0, 0));
    plot->plotLayout()->addElement(0, 0, text);
  }
  for (QCPAxis* axis : {plot->xAxis, plot->yAxis, plot->xAxis2, plot->yAxis2}) {
    axis->setLabelFont(base);
    axis->setTickLabelFont(base);
    axis->grid()->setPen(QPen(QColor(220, 220, 220), 1, Qt::DotLine));
    axis->grid()->setSubGridVisible(false);
  }
  plot->legend->setFont(base);
  plot->legend->setBrush(QBrush(QColor(255, 255, 255, 210)));
  plot->legend->setBorderPen(QPen(QColor(190, 190, 190)));
  plot->legend->setRowSpacing(-3);
  plot->legend->setIconSize(16, 8);
}

QColor seriesColor(int index) {
  static const QColor colors[] = {QColor(0, 114, 178), QColor(213, 94, 0),  QColor(0, 158, 115),
                                  QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233),
                                  QColor(100, 100, 100)};
  return colors[index % 7];
}

}  // namespace iqlui
