// The status bar's permanent read-outs of a training run: step / total with a progress bar, a rate
// and ETA over a recent window (RateMeter; "paused" while paused), the next evaluation step, and a
// short numeric-runtime label (full text in its tooltip, so it never crowds out status messages).
#pragma once
#include <QElapsedTimer>
#include <QObject>

#include "ui/status/rate_meter.h"

class QLabel;
class QProgressBar;
class QStatusBar;

namespace iqlui {

class RunStatusBar : public QObject {
  Q_OBJECT
public:
  explicit RunStatusBar(QStatusBar* bar);

  void reset();                        // a new (or failed) start: nothing from the previous run stays
  void setEvalInterval(qint64 every);  // 0: evaluation only at the end
  void setPaused(bool paused);
  void setRuntime(const QString& shortText, const QString& fullText);
  void onProgress(qint64 step, qint64 total);
  void finish();  // the run ended: no ETA, no next evaluation

  qint64 step() const { return step_; }
  double stepsPerSecond() const { return meter_.stepsPerSecond(); }
  QLabel* rateLabel() const { return rate_; }
  QLabel* etaLabel() const { return eta_; }
  QLabel* stepLabel() const { return stepLabel_; }
  QLabel* nextEvalLabel() const { return nextEval_; }
  bool progressVisible() const;

private:
  void showRate();

  QLabel* stepLabel_;
  QProgressBar* progress_;
  QLabel* rate_;
  QLabel* eta_;
  QLabel* nextEval_;
  QLabel* runtime_;
  QElapsedTimer clock_;
  RateMeter meter_;
  qint64 step_ = 0, total_ = 0, evalEvery_ = 0;
  bool paused_ = false;
};

}  // namespace iqlui
