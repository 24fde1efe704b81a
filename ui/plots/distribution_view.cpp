#include "ui/plots/distribution_view.h"

#include <QGridLayout>

#include "ui/plots/advantage_heatmap.h"
#include "ui/plots/beta_whatif_plot.h"
#include "ui/plots/histogram_plot.h"
#include "ui/plots/plot_style.h"

namespace iqlui {

namespace {
// Per-transition values when the probe has them (live), else the stored histogram (replay).
WeightedSamples samplesOf(const ProbeSample& p, const QVector<float>& values, const QString& name) {
  if (!values.isEmpty()) return samplesFrom(values);
  if (const HistogramSample* h = p.histogram(name)) return samplesFrom(*h);
  return {};
}
}  // namespace

DistributionView::DistributionView(QWidget* parent) : QWidget(parent) {
  v_ = new HistogramPlot(tr("V(s)"), tr("value V(s)"), seriesColor(0), this);
  q_ = new HistogramPlot(tr("Q(s,a)"), tr("value Q(s,a)"), seriesColor(2), this);
  adv_ = new HistogramPlot(tr("Advantage A = Q − V"), tr("advantage"), seriesColor(1), this);
  weights_ = new HistogramPlot(tr("AWR weights exp(βA)"), tr("weight (clipped at max)"), seriesColor(3), this);
  expectile_ = new HistogramPlot(tr("τ-expectile of Q"), tr("value Q(s,a)"), seriesColor(5), this);
  expectile_->setLegendAlignment(Qt::AlignTop | Qt::AlignLeft);
  heatmap_ = new AdvantageHeatmap(this);
  whatIf_ = new BetaWhatIfPlot(this);

  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(2, 2, 2, 2);
  grid->setSpacing(4);
  grid->addWidget(v_, 0, 0);
  grid->addWidget(q_, 0, 1);
  grid->addWidget(adv_, 0, 2);
  grid->addWidget(weights_, 0, 3);
  grid->addWidget(heatmap_, 1, 0, 1, 2);
  grid->addWidget(expectile_, 1, 2);
  grid->addWidget(whatIf_, 1, 3);
  for (int c = 0; c < 4; ++c) grid->setColumnStretch(c, 1);
  grid->setRowStretch(0, 1);
  grid->setRowStretch(1, 1);
}

HistogramPlot* DistributionView::histogram(const QString& name) const {
  if (name == "v") return v_;
  if (name == "q") return q_;
  if (name == "adv") return adv_;
  if (name == "weights") return weights_;
  return nullptr;
}

void DistributionView::setProbe(const ProbeSample& p) {
  hasProbe_ = true;
  const QString stepText = tr("step %1").arg(p.step);
  for (const HistogramSample& h : p.histograms) {
    if (HistogramPlot* plot = histogram(h.name)) {
      plot->setHistogram(h);
      plot->setSubtitle(stepText);
    }
  }
  if (const HistogramSample* a = p.histogram(QStringLiteral("adv"))) heatmap_->addHistogram(p.step, *a);

  qSamples_ = samplesOf(p, p.q, QStringLiteral("q"));
  const WeightedSamples vSamples = samplesOf(p, p.v, QStringLiteral("v"));
  hasV_ = !vSamples.isEmpty();
  meanV_ = weightedMean(vSamples);
  if (const HistogramSample* q = p.histogram(QStringLiteral("q"))) expectile_->setHistogram(*q);
  expectile_->setSubtitle(stepText);
  if (p.expectile > 0.0 && p.expectile < 1.0) tau_ = p.expectile;
  updateExpectile();

  whatIf_->setAdvantages(samplesOf(p, p.adv, QStringLiteral("adv")), p.maxWeight);
  whatIf_->setCurrentBeta(p.temperature);
}

void DistributionView::addAdvantageHistory(qint64 step, const HistogramSample& adv) {
  heatmap_->addHistogram(step, adv);
}

void DistributionView::setCurrentTau(double tau) {
  if (!(tau > 0.0 && tau < 1.0)) return;
  tau_ = tau;
  updateExpectile();
}

void DistributionView::setCurrentBeta(double beta) { whatIf_->setCurrentBeta(beta); }

void DistributionView::updateExpectile() {
  if (qSamples_.isEmpty()) return;
  expectileValue_ = expectile(qSamples_, tau_);
  const double mean = weightedMean(qSamples_);
  expectile_->setVerticalLine(QStringLiteral("expectile"), expectileValue_,
                              tr("τ-expectile (τ=%1): %2").arg(tau_, 0, 'g', 3).arg(expectileValue_, 0, 'g', 4),
                              QColor(200, 60, 60), Qt::SolidLine);
  expectile_->setVerticalLine(QStringLiteral("mean"), mean, tr("mean: %1").arg(mean, 0, 'g', 4), QColor(60, 60, 60),
                              Qt::DashLine);
  if (hasV_)
    expectile_->setVerticalLine(QStringLiteral("v"), meanV_, tr("mean V(s): %1").arg(meanV_, 0, 'g', 4),
                                seriesColor(0), Qt::DotLine);
}

void DistributionView::clear() {
  for (HistogramPlot* p : {v_, q_, adv_, weights_, expectile_}) p->clear();
  heatmap_->clear();
  whatIf_->clear();
  qSamples_ = {};
  hasV_ = false;
  hasProbe_ = false;
}

}  // namespace iqlui
