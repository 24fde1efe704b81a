// A histogram (bars from a HistogramSample) with optional labelled vertical reference lines that
// appear in the legend (e.g. the tau-expectile and the mean), a log-count toggle and PNG/PDF/CSV export.
#pragma once
#include <QColor>
#include <QMap>
#include <QString>
#include <QWidget>

#include "ui/session/session_types.h"

class QCustomPlot;
class QCPBars;
class QCPGraph;
class QCPItemText;
class QCheckBox;

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
  void setLegendAlignment(Qt::Alignment a);  // kept for callers; the legend now sits under the axes
  void setLogScale(bool on);
  bool logScale() const { return logScale_; }
  bool exportCsv(const QString& path) const;  // bin_low,bin_high,count
  void clear();
  bool hasData() const;
  QCustomPlot* plot() const { return plot_; }

private:
  void rescale();

  void showEmpty(bool empty);

  QCustomPlot* plot_;
  QCPBars* bars_;
  QCPItemText* placeholder_ = nullptr;
  QMap<QString, QCPGraph*> lines_;
  QString title_;
  double maxCount_ = 1.0;
  bool logScale_ = false;
  QCheckBox* logBox_ = nullptr;
};

}  // namespace iqlui
