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

void placeLegendBelow(QCustomPlot* plot, int wrap) {
  plot->axisRect()->insetLayout()->take(plot->legend);
  plot->axisRect()->insetLayout()->simplify();
  const int row = plot->plotLayout()->rowCount();
  plot->plotLayout()->addElement(row, 0, plot->legend);
  plot->plotLayout()->setRowStretchFactor(row, 0.001);
  plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot->legend->setWrap(wrap);
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setMargins(QMargins(4, 0, 4, 2));
}

QColor seriesColor(int index) {
  static const QColor colors[] = {QColor(0, 114, 178), QColor(213, 94, 0),  QColor(0, 158, 115),
                                  QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233),
                                  QColor(100, 100, 100)};
  return colors[index % 7];
}

}  // namespace iqlui
