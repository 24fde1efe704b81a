// Heat map of the advantage distribution over training: one column per probe, rows are advantage
// bins on a common range, colour is the fraction of the probe batch in the bin.
#pragma once
#include <QVector>
#include <QWidget>

#include "ui/session/session_types.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemText;

namespace iqlui {

class AdvantageHeatmap : public QWidget {
  Q_OBJECT
public:
  explicit AdvantageHeatmap(QWidget* parent = nullptr);
  void addHistogram(qint64 step, const iqlui::HistogramSample& adv);
  void clear();
  int columnCount() const { return history_.size(); }
  QCustomPlot* plot() const { return plot_; }

  struct Column {
    qint64 step;
    HistogramSample hist;
  };

private:
  void rebuild();
  void showEmpty(bool empty);

  QVector<Column> history_;
  QCustomPlot* plot_;
  QCPColorMap* map_;
  QCPColorScale* scale_;
  QCPItemText* placeholder_;
};

}  // namespace iqlui
