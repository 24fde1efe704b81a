// The compare view's tau x beta map: the final normalised score of finished runs on one dataset,
// averaged per cell. It maps the selected runs when two or more are selected, otherwise every run on
// the dataset of the one selected run (the title says which). Only like is pooled with like: runs of
// one step count (the most common among the candidates, the longest on a tie); runs of other lengths,
// runs tuned mid-run (unless the user places them at their final values), unfinished runs and runs
// without a score are left out, and the note under the title names them. Each cell lists the runs it
// holds (on the cell and in its tooltip). The cells of the compared runs are outlined.
#pragma once
#include <QList>
#include <QPair>
#include <QString>
#include <QVector>
#include <QWidget>
#include <vector>

#include "core/store/run_store.h"

class QCheckBox;
class QCPColorMap;
class QCPColorScale;
class QCustomPlot;
class QLabel;

namespace iqlui {

class ScoreHeatmap : public QWidget {
  Q_OBJECT
public:
  explicit ScoreHeatmap(QWidget* parent = nullptr);

  // Rebuilds from `selection` (run ids; empty: nothing), outlining the (tau, beta) cells in `highlight`.
  // Throws what the store throws.
  void rebuild(iql::RunStore* store, const QList<qint64>& selection, const QVector<QPair<double, double>>& highlight);

  QCustomPlot* plot() const { return plot_; }
  QCPColorMap* colorMap() const { return colorMap_; }
  QCheckBox* placeTunedCheck() const { return placeTuned_; }
  QString dataset() const { return dataset_; }
  QString title() const;
  QString note() const;  // which runs were left out and why; empty when none
  double value(double tau, double beta) const;  // NaN when the cell is empty
  QList<qint64> cellRuns(double tau, double beta) const;  // the runs pooled in the cell
  QString cellToolTip(double tau, double beta) const;
  QVector<double> taus() const { return taus_; }
  QVector<double> betas() const { return betas_; }
  int tunedLeftOut() const { return tunedLeftOut_; }
  QList<qint64> leftOutRuns() const { return leftOut_; }
  qint64 steps() const { return steps_; }  // the step count of the pooled runs (0: none)
  bool followsSelection() const { return followsSelection_; }  // false: every run on the dataset

Q_SIGNALS:
  void placeTunedToggled();

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;  // cell tooltips

private:
  struct Cell {
    double mean = 0.0;
    QList<qint64> runs;
    QList<double> scores;
  };
  void draw(const QVector<QPair<double, double>>& highlight);
  const Cell* cellAt(int i, int j) const;

  QLabel* title_;
  QLabel* note_;
  QCheckBox* placeTuned_;
  QCustomPlot* plot_;
  QCPColorMap* colorMap_;
  QCPColorScale* colorScale_;
  QString dataset_;
  QVector<double> taus_, betas_;
  std::vector<std::vector<Cell>> cells_;  // [tau index][beta index]; no runs: empty
  int tunedLeftOut_ = 0;
  QList<qint64> leftOut_;
  qint64 steps_ = 0;
  bool followsSelection_ = false;
};

}  // namespace iqlui
