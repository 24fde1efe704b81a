#include "ui/plots/beta_whatif_plot.h"

#include <QVBoxLayout>
#include "ui/plots/qcp.h"

#include "ui/plots/plot_export.h"
#include "ui/plots/plot_style.h"

namespace iqlui {

namespace {
constexpr double kBetaMax = 20.0;
}

BetaWhatIfPlot::BetaWhatIfPlot(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(150, 140);
  const QString title = tr("What if β …?\n(latest advantages)");
  applyPlotStyle(plot_, title);
  plot_->xAxis->setLabel(tr("temperature β"));
  plot_->yAxis->setLabel(tr("fraction of batch"));
  plot_->xAxis->setRange(0, kBetaMax);
  plot_->yAxis->setRange(0, 1.05);
  ess_ = plot_->addGraph();
  ess_->setName(tr("ESS / n"));
  ess_->setPen(QPen(seriesColor(0), 2));
  clip_ = plot_->addGraph();
  clip_->setName(tr("clipped (w = max)"));
  clip_->setPen(QPen(seriesColor(1), 2));
  marker_ = plot_->addGraph();
  marker_->setPen(QPen(QColor(200, 60, 60), 1.5, Qt::DashLine));
  plot_->legend->setVisible(true);
  placeLegendBelow(plot_);  // under the axes, as many entries per row as fit
  plot_->xAxis->ticker()->setTickCount(4);
  installExportMenu(plot_, title);
  placeholder_ = addPlaceholder(plot_, tr("waiting for\nthe first probe"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(plot_);
  updateMarker();
}

void BetaWhatIfPlot::setAdvantages(const WeightedSamples& adv, double maxWeight) {
  adv_ = adv;
  maxWeight_ = maxWeight > 0 ? maxWeight : 100.0;
  const BetaCurve c = betaWhatIf(adv_, kBetaMax, 201, maxWeight_);
  ess_->setData(c.beta, c.essFraction, true);
  clip_->setData(c.beta, c.clipFraction, true);
  updateMarker();
}

void BetaWhatIfPlot::setCurrentBeta(double beta) {
  beta_ = beta;
  updateMarker();
}

void BetaWhatIfPlot::clear() {
  adv_ = {};
  ess_->data()->clear();
  clip_->data()->clear();
  updateMarker();
}

void BetaWhatIfPlot::updateMarker() {
  const double x = std::min(beta_, kBetaMax);
  marker_->setData({x, x}, {0.0, 1.05});
  QString name = tr("β = %1").arg(beta_, 0, 'g', 3);
  if (!adv_.isEmpty()) {
    const WeightStats s = awrWeightStats(adv_, beta_, maxWeight_);
    // A second line: one line was wider than the plot even at 1600 pixels.
    name += tr("\nESS %1, clipped %2").arg(s.essFraction, 0, 'f', 2).arg(s.clipFraction, 0, 'f', 3);
  }
  marker_->setName(name);
  placeholder_->setVisible(adv_.isEmpty());
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace iqlui
