#include "ui/status/run_status_bar.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QStatusBar>
#include <algorithm>

namespace iqlui {

namespace {
QString formatDuration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return QStringLiteral("–");
  const qint64 s = static_cast<qint64>(seconds + 0.5);
  if (s < 60) return QStringLiteral("%1 s").arg(s);
  if (s < 3600) return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}
}  // namespace

RunStatusBar::RunStatusBar(QStatusBar* bar) : QObject(bar) {
  stepLabel_ = new QLabel(bar);
  stepLabel_->setObjectName(QStringLiteral("stepLabel"));
  progress_ = new QProgressBar(bar);
  progress_->setMaximumWidth(100);
  progress_->setMaximumHeight(14);
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  rate_ = new QLabel(bar);
  rate_->setObjectName(QStringLiteral("rateLabel"));
  rate_->setToolTip(tr("Gradient steps per second over the last 5 seconds of training (paused time excluded)"));
  eta_ = new QLabel(bar);
  eta_->setObjectName(QStringLiteral("etaLabel"));
  nextEval_ = new QLabel(bar);
  nextEval_->setObjectName(QStringLiteral("nextEvalLabel"));
  nextEval_->setToolTip(tr("The step of the next policy evaluation (set by Eval every)"));
  runtime_ = new QLabel(bar);
  runtime_->setObjectName(QStringLiteral("runtimeInfo"));
  bar->addPermanentWidget(stepLabel_);
  bar->addPermanentWidget(progress_);
  bar->addPermanentWidget(rate_);
  bar->addPermanentWidget(eta_);
  bar->addPermanentWidget(nextEval_);
  bar->addPermanentWidget(runtime_);
  clock_.start();
  reset();
}

void RunStatusBar::reset() {
  meter_.clear();
  step_ = total_ = 0;
  paused_ = false;
  stepLabel_->clear();
  progress_->setValue(0);
  progress_->setVisible(false);
  rate_->clear();
  eta_->clear();
  nextEval_->clear();
}

void RunStatusBar::setEvalInterval(qint64 every) { evalEvery_ = every; }

void RunStatusBar::setPaused(bool paused) {
  if (paused == paused_) return;
  paused_ = paused;
  meter_.clear();  // paused time never enters the rate; after resume it is measured afresh
  if (!paused) meter_.add(clock_.elapsed(), step_);
  showRate();
}

void RunStatusBar::setRuntime(const QString& shortText, const QString& fullText) {
  runtime_->setText(shortText);
  runtime_->setToolTip(tr("Numeric runtime: %1").arg(fullText));
}

void RunStatusBar::onProgress(qint64 step, qint64 total) {
  step_ = step;
  total_ = total;
  if (!paused_) meter_.add(clock_.elapsed(), step);
  const QLocale locale;
  stepLabel_->setText(tr("step %1 / %2").arg(locale.toString(step), locale.toString(total)));
  progress_->setVisible(true);
  progress_->setValue(total > 0 ? static_cast<int>(1000.0 * step / total) : 0);
  if (evalEvery_ > 0 && step < total)
    nextEval_->setText(tr("next eval: step %1").arg(locale.toString(std::min(total, (step / evalEvery_ + 1) * evalEvery_))));
  else if (step < total)
    nextEval_->setText(tr("eval at the end"));
  else
    nextEval_->clear();
  showRate();
}

void RunStatusBar::showRate() {
  const QLocale locale;
  if (paused_) {
    rate_->setText(tr("paused"));
    eta_->setText(tr("ETA –"));
    return;
  }
  if (!meter_.hasRate()) {
    rate_->setText(step_ > 0 ? tr("measuring steps/s…") : QString());
    eta_->clear();
    return;
  }
  rate_->setText(tr("%1 steps/s").arg(locale.toString(meter_.stepsPerSecond(), 'f', 0)));
  eta_->setText(tr("ETA %1").arg(formatDuration(meter_.etaSeconds(total_))));
}

void RunStatusBar::finish() {
  meter_.clear();
  paused_ = false;
  rate_->clear();
  eta_->clear();
  nextEval_->clear();
}

bool RunStatusBar::progressVisible() const { return progress_->isVisible(); }

}  // namespace iqlui
