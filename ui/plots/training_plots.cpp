#include "ui/plots/training_plots.h"

#include <QGridLayout>
#include <QLocale>
#include <algorithm>
#include <cmath>

#include "core/env/normalized_score.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_style.h"

namespace iqlui {

namespace {
const QString kEvalReturn = QStringLiteral("eval_return");
const QString kEvalScore = QStringLiteral("eval_score");
}  // namespace

TrainingPlots::TrainingPlots(QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(2, 2, 2, 2);
  grid->setSpacing(4);

  struct Spec {
    const char* key;
    const char* label;
    MetricPlot::Axis axis;
  };
  auto add = [&](MetricPlot* p, std::initializer_list<Spec> specs) {
    int i = 0;
    for (const Spec& s : specs) {
      p->addSeries(s.key, tr(s.label), seriesColor(i++), s.axis);
      routes_.append({p, QString::fromLatin1(s.key)});
    }
  };
  using A = MetricPlot::Axis;
  MetricPlot* losses = makePlot(tr("Losses"), tr("loss"), 0, 0);
  add(losses, {{"v_loss", "V loss", A::Left}, {"q_loss", "Q loss", A::Left}, {"actor_loss", "actor loss", A::Left}});
  MetricPlot* values = makePlot(tr("Values"), tr("mean value"), 0, 1);
  add(values, {{"v_mean", "V(s)", A::Left}, {"q_mean", "Q(s,a)", A::Left}, {"q_target_mean", "target Q", A::Left}});
  MetricPlot* adv = makePlot(tr("Advantage A = Q − V"), tr("advantage"), 0, 2);
  add(adv, {{"adv_mean", "mean", A::Left}, {"adv_std", "std", A::Left}});
  MetricPlot* awr = makePlot(tr("AWR weights exp(βA)"), tr("fraction of batch"), 1, 0);
  add(awr, {{"awr_clip_frac", "clipped", A::Left}, {"awr_ess", "ESS / n", A::Left},
            {"awr_weight_mean", "mean weight", A::Right}});
  awr->setRightAxisLabel(tr("mean weight"));
  MetricPlot* policy = makePlot(tr("Policy"), tr("policy std"), 1, 1);
  add(policy, {{"policy_std", "policy std", A::Left}, {"actor_lr", "actor lr", A::Right}});
  policy->setRightAxisLabel(tr("actor lr"));

  evalPlot_ = makePlot(tr("Evaluation"), tr("return"), 1, 2);
  evalPlot_->addSeries(kEvalReturn, tr("return"), seriesColor(0), A::Left, false);
  evalPlot_->addSeries(kEvalScore, tr("normalised score"), seriesColor(1), A::Right, false);
  evalPlot_->addSeries(QStringLiteral("online_episode_return"), tr("online episode return"), seriesColor(2), A::Left);
  routes_.append({evalPlot_, QStringLiteral("online_episode_return")});
  evalPlot_->setRightAxisLabel(tr("normalised score"));
  // The score is an affine map of the return: the score axis is that map of the return axis, so an
  // evaluation sits at one height on both (updateScoreAxis).
  updateScoreAxis();
  for (int c = 0; c < 3; ++c) grid->setColumnStretch(c, 1);
  for (int r = 0; r < 2; ++r) grid->setRowStretch(r, 1);
}

MetricPlot* TrainingPlots::makePlot(const QString& title, const QString& yLabel, int row, int column) {
  auto* p = new MetricPlot(title, yLabel, this);
  p->setObjectName(title);
  static_cast<QGridLayout*>(layout())->addWidget(p, row, column);
  plots_.append(p);
  return p;
}

MetricPlot* TrainingPlots::plot(const QString& title) const {
  for (MetricPlot* p : plots_)
    if (p->title() == title) return p;
  return nullptr;
}

void TrainingPlots::addMetrics(const QVector<MetricSample>& batch) {
  for (const MetricSample& m : batch)
    for (const auto& [key, value] : m.values)
      for (const Route& r : routes_)
        if (r.key == key) r.plot->appendPoint(key, static_cast<double>(m.step), value);
}

void TrainingPlots::setEnvironment(const QString& env) {
  const std::optional<iql::ReferenceReturns> ref = iql::reference_returns(env.toStdString());
  if (ref && ref->max != ref->min) {
    const double scale = 100.0 / (ref->max - ref->min);
    scoreMap_ = qMakePair(scale, -scale * ref->min);
  } else {
    scoreMap_.reset();
  }
  updateScoreAxis();
}

void TrainingPlots::updateScoreAxis() {
  if (scoreMap_) evalPlot_->tieRightAxis(scoreMap_->first, scoreMap_->second);
  else evalPlot_->untieRightAxis();
  evalPlot_->setRightAxisShown(scoreMap_.has_value());
}

void TrainingPlots::addEvaluation(const EvalSample& e) {
  if (e.hasScore && !scoreMap_) {
    // Two evaluations with different returns give the affine map exactly.
    if (!firstScored_) {
      firstScored_ = qMakePair(e.returnMean, e.score);
    } else if (std::abs(e.returnMean - firstScored_->first) > 1e-9 * std::max(1.0, std::abs(e.returnMean))) {
      const double scale = (e.score - firstScored_->second) / (e.returnMean - firstScored_->first);
      if (scale != 0.0 && std::isfinite(scale)) {
        scoreMap_ = qMakePair(scale, e.score - scale * e.returnMean);
        updateScoreAxis();
      }
    }
  }
  evalPlot_->appendPoint(kEvalReturn, static_cast<double>(e.step), e.returnMean);
  if (e.hasScore) evalPlot_->appendPoint(kEvalScore, static_cast<double>(e.step), e.score);
  // Latest and best as numbers (the score when the env has D4RL reference returns, else the return).
  const double value = e.hasScore ? e.score : e.returnMean;
  if (!best_ || value > best_->second) best_ = qMakePair(e.step, value);
  const QLocale locale;
  const QString what = e.hasScore ? tr("score") : tr("return");
  // Short enough for a narrow plot: "score 72.3 · best 95.8 (step 3,000)"; the rest in the tooltip.
  const QString text = tr("%1 <b>%2</b> · best <b>%3</b> (step %4)")
                           .arg(what, QString::number(value, 'f', 1), QString::number(best_->second, 'f', 1),
                                locale.toString(best_->first));
  QString tip = tr("Latest evaluation at step %1: %2 %3").arg(locale.toString(e.step), what, QString::number(value, 'f', 1));
  if (e.hasScore) tip += tr(", return %1 ± %2").arg(QString::number(e.returnMean, 'f', 1), QString::number(e.returnStd, 'f', 1));
  evalPlot_->setSummary(text, tip);
}

void TrainingPlots::setRunContext(const QString& context) {
  for (MetricPlot* p : plots_) p->setExportContext(context);
}

void TrainingPlots::addEvent(const EventSample& e) {
  if (e.kind != QLatin1String("hyperparameter") && e.kind != QLatin1String("phase")) return;
  const QString full = tr("%1 at step %2").arg(markerLabel(e), QLocale().toString(e.step));
  const QString compact = compactMarkerLabel(e);
  for (MetricPlot* p : plots_) p->addMarker(static_cast<double>(e.step), compact, full);
}

void TrainingPlots::clear() {
  best_.reset();
  scoreMap_.reset();  // the next run's env decides again
  firstScored_.reset();
  updateScoreAxis();
  for (MetricPlot* p : plots_) p->clear();
}

void TrainingPlots::flushNow() {
  for (MetricPlot* p : plots_) p->flushNow();
}

}  // namespace iqlui
