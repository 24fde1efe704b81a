// "What if beta were ...": for the advantages of the latest probe, the AWR effective sample size
// fraction and the clipped fraction over beta in [0, 20], with a marker at the current beta.
// Computed in the GUI, instantly, whenever the advantages or the beta change.
#pragma once
#include <QWidget>

#include "ui/plots/distribution_math.h"

class QCustomPlot;
class QCPGraph;
class QCPItemText;

namespace iqlui {

class BetaWhatIfPlot : public QWidget {
  Q_OBJECT
public:
  explicit BetaWhatIfPlot(QWidget* parent = nullptr);
  void setAdvantages(const iqlui::WeightedSamples& adv, double maxWeight);
  void setCurrentBeta(double beta);
  void clear();
  bool hasData() const { return !adv_.isEmpty(); }
  WeightStats statsAtCurrentBeta() const { return awrWeightStats(adv_, beta_, maxWeight_); }
  QCustomPlot* plot() const { return plot_; }

private:
  void updateMarker();

  QCustomPlot* plot_;
  QCPGraph* ess_;
  QCPGraph* clip_;
  QCPGraph* marker_;
  QCPItemText* placeholder_;
  WeightedSamples adv_;
  double maxWeight_ = 100.0;
  double beta_ = 3.0;
};

}  // namespace iqlui
