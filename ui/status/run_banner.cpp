#include "ui/status/run_banner.h"

#include <QLocale>
#include <utility>

namespace iqlui {

RunBanner::RunBanner(QWidget* parent) : QLabel(parent) {
  setObjectName(QStringLiteral("banner"));
  setWordWrap(true);
  setTextInteractionFlags(Qt::TextSelectableByMouse);
  setContentsMargins(6, 2, 6, 2);
}

void RunBanner::showMessage(const QString& text, bool error) {
  runId_ = 0;
  error_ = error;
  setTextFormat(Qt::PlainText);
  setText(text);
  setStyleSheet(error ? QStringLiteral("QLabel { color: #b00020; background: #fdecea; }")
                      : QStringLiteral("QLabel { color: #333; background: #eef3f8; }"));
}

void RunBanner::setRun(qint64 runId, const QString& what, bool showTauBeta, double tau, double beta) {
  runId_ = runId;
  what_ = what;
  showTauBeta_ = showTauBeta;
  values_.clear();
  values_[QStringLiteral("expectile")] = {tau, tau, -1};
  values_[QStringLiteral("temperature")] = {beta, beta, -1};
  state_ = tr("training");
  error_ = false;
  setStyleSheet(QStringLiteral("QLabel { color: #333; background: #eef3f8; }"));
  compose();
}

void RunBanner::setValue(const QString& hyperparameter, double value, qint64 step) {
  auto it = values_.find(hyperparameter);
  if (it == values_.end()) return;
  it->current = value;
  it->changedAt = step;
  if (runId_ > 0) compose();
}

void RunBanner::setState(const QString& state) {
  state_ = state;
  if (runId_ > 0) compose();
}

void RunBanner::compose() {
  QString line = tr("Run #%1 · %2").arg(runId_).arg(what_.toHtmlEscaped());
  const QLocale locale;
  if (showTauBeta_) {
    for (auto [key, symbol] : {std::pair{QStringLiteral("expectile"), QStringLiteral("τ")},
                               std::pair{QStringLiteral("temperature"), QStringLiteral("β")}}) {
      const Value v = values_.value(key);
      line += QStringLiteral(" · %1 %2").arg(symbol).arg(v.start);
      if (v.changedAt >= 0 && v.current != v.start)
        line += tr(" → <b>%1</b> (step %2)").arg(v.current).arg(locale.toString(v.changedAt));
    }
  }
  line += QStringLiteral(" · <b>%1</b>").arg(state_.toHtmlEscaped());
  setTextFormat(Qt::RichText);
  setText(line);
}

}  // namespace iqlui
