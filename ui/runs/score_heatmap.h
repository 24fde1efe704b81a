// The compare view's tau x beta map: the final normalised score of every finished run on one dataset,
// averaged per cell. Runs whose tau or beta changed mid-run (hyperparameter events) belong to no
// single cell: they are left out (the title says how many) unless the user asks to place them at
// their final values. The cells of the compared runs are outlined.
#pragma once
#include <QPair>
#include <QString>
#include <QVector>
#include <QWidget>
#include <memory>
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

  // Rebuilds for `dataset` (empty: nothing), outlining the (tau, beta) cells in `highlight`.
  // Throws what the store throws.
  void rebuild(iql::RunStore* store, const QString& dataset, const QVector<QPair<double, double>>& highlight);

  QCustomPlot* plot() const { return plot_; }
  QCPColorMap* colorMap() const { return colorMap_; }
  QCheckBox* placeTunedCheck() const { return placeTuned_; }
  QString dataset() const { return dataset_; }
  QString title() const;
  double value(double tau, double beta) const;  // NaN when the cell is empty
  QVector<double> taus() const { return taus_; }
  QVector<double> betas() const { return betas_; }
  int tunedLeftOut() const { return tunedLeftOut_; }

Q_SIGNALS:
  void placeTunedToggled();

private:
  void draw(const std::vector<std::vector<int>>& counts, const QVector<QPair<double, double>>& highlight);

  QLabel* title_;
  QCheckBox* placeTuned_;
  QCustomPlot* plot_;
  QCPColorMap* colorMap_;
  QCPColorScale* colorScale_;
  QString dataset_;
  QVector<double> taus_, betas_;
  std::vector<std::vector<double>> cells_;  // [tau index][beta index], NaN when empty
  int tunedLeftOut_ = 0;
};

}  // namespace iqlui
