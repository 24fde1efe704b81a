#include "ui/plots/plot_style.h"

#include <algorithm>

#include "ui/plots/qcp.h"
#include "ui/plots/readable_ticker.h"

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
  installReadableTicks(plot);
}

void fitLegendToWidth(QCustomPlot* plot) {
  QCPLegend* legend = plot->legend;
  // itemCount() counts the grid's cells, and a wrapped grid's last row may have empty ones.
  QVector<int> widths;
  for (int i = 0; i < legend->itemCount(); ++i)
    if (QCPAbstractLegendItem* item = legend->item(i)) widths << item->minimumOuterSizeHint().width();
  const int n = widths.size();
  if (n == 0) return;
  const int available = plot->viewport().width() - legend->margins().left() - legend->margins().right();
  // As many entries per row as fit; filled row by row, so entry i sits in column i % columns.
  int columns = n;
  for (; columns > 1; --columns) {
    QVector<int> columnWidth(columns, 0);
    for (int i = 0; i < n; ++i) columnWidth[i % columns] = std::max(columnWidth[i % columns], widths[i]);
    int total = (columns - 1) * legend->columnSpacing();
    for (int w : columnWidth) total += w;
    if (total <= available) break;
  }
  legend->setWrap(columns);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flows the entries
}

void placeLegendBelow(QCustomPlot* plot) {
  plot->axisRect()->insetLayout()->take(plot->legend);
  plot->axisRect()->insetLayout()->simplify();
  const int row = plot->plotLayout()->rowCount();
  plot->plotLayout()->addElement(row, 0, plot->legend);
  plot->plotLayout()->setRowStretchFactor(row, 0.001);
  plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  // An empty legend's maximum width is its margins, and a layout column is no wider than the
  // narrowest maximum of its elements: the axis rect above it shrank to its 50-pixel minimum.
  plot->legend->setMaximumSize(1 << 20, plot->legend->maximumSize().height());
  QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot] { fitLegendToWidth(plot); });
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setMargins(QMargins(4, 0, 4, 2));
}

QCPItemText* addPlaceholder(QCustomPlot* plot, const QString& text) {
  auto* item = new QCPItemText(plot);
  item->position->setType(QCPItemPosition::ptAxisRectRatio);
  item->position->setCoords(0.5, 0.5);
  item->setText(text);
  item->setTextAlignment(Qt::AlignCenter);
  item->setColor(QColor(130, 130, 130));
  item->setSelectable(false);
  return item;
}

void showTickLabels(QCustomPlot* plot, bool on) {
  plot->xAxis->setTickLabels(on);
  plot->yAxis->setTickLabels(on);
}

QColor seriesColor(int index) {
  static const QColor colors[] = {QColor(0, 114, 178), QColor(213, 94, 0),  QColor(0, 158, 115),
                                  QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233),
                                  QColor(100, 100, 100)};
  return colors[index % 7];
}

}  // namespace iqlui
