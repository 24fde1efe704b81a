// The "Distributions" tab: histograms of V(s), Q(s,a), A = Q - V and the AWR weights of the latest
// probe; a heat map of the advantage histogram over training; the Q distribution with its
// tau-expectile and mean; and the beta what-if curves.
#pragma once
#include <QWidget>

#include "ui/plots/distribution_math.h"
#include "ui/session/session_types.h"

namespace iqlui {

class HistogramPlot;
class AdvantageHeatmap;
class BetaWhatIfPlot;

class DistributionView : public QWidget {
  Q_OBJECT
public:
  explicit DistributionView(QWidget* parent = nullptr);

  void setProbe(const iqlui::ProbeSample& probe);  // the latest snapshot
  void addAdvantageHistory(qint64 step, const iqlui::HistogramSample& adv);  // heat map only (replay)
  void setCurrentTau(double tau);    // recomputes the expectile line at once
  void setCurrentBeta(double beta);  // moves the what-if marker
  void clear();

  bool hasProbe() const { return hasProbe_; }
  double currentExpectileValue() const { return expectileValue_; }
  HistogramPlot* histogram(const QString& name) const;  // "v", "q", "adv", "weights"
  HistogramPlot* expectilePlot() const { return expectile_; }
  AdvantageHeatmap* heatmap() const { return heatmap_; }
  BetaWhatIfPlot* whatIf() const { return whatIf_; }

private:
  void updateExpectile();

  HistogramPlot* v_;
  HistogramPlot* q_;
  HistogramPlot* adv_;
  HistogramPlot* weights_;
  HistogramPlot* expectile_;
  AdvantageHeatmap* heatmap_;
  BetaWhatIfPlot* whatIf_;
  WeightedSamples qSamples_;
  double meanV_ = 0.0;
  bool hasV_ = false;
  double tau_ = 0.7;
  double expectileValue_ = 0.0;
  bool hasProbe_ = false;
};

}  // namespace iqlui
