// A histogram (bars from a HistogramSample) with optional labelled vertical reference lines that
// appear in the legend (e.g. the tau-expectile and the mean).
#pragma once
#include <QColor>
#include <QMap>
#include <QString>
#include <QWidget>

#include "ui/session/session_types.h"

class QCustomPlot;
class QCPBars;
class QCPGraph;

namespace iqlui {

class HistogramPlot : public QWidget {
  Q_OBJECT
public:
  HistogramPlot(const QString& title, const QString& xLabel, const QColor& color, QWidget* parent = nullptr);

  void setHistogram(const iqlui::HistogramSample& h);
  // Adds or moves a vertical line; its legend entry reads `label`.
  void setVerticalLine(const QString& id, double x, const QString& label, const QColor& color,
                       Qt::PenStyle style = Qt::DashLine);
  void setSubtitle(const QString& text);
  void setLegendAlignment(Qt::Alignment a);
  void clear();
  bool hasData() const;
  QCustomPlot* plot() const { return plot_; }

private:
  void rescale();

  QCustomPlot* plot_;
  QCPBars* bars_;
  QMap<QString, QCPGraph*> lines_;
  QString title_;
  double maxCount_ = 1.0;
};

}  // namespace iqlui
