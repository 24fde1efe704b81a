// The line above the tabs: what the run in view is and its current state, e.g.
// "Run #4 · iql on pendulum-medium · τ 0.7 · β 3 → 9.74 (step 1,200) · paused". Live changes and
// pause/resume update it, so it never shows the values a run started with as if they still held.
// Errors show in red until the next message.
#pragma once
#include <QLabel>
#include <QMap>

namespace iqlui {

class RunBanner : public QLabel {
  Q_OBJECT
public:
  explicit RunBanner(QWidget* parent = nullptr);

  void showMessage(const QString& text, bool error = false);  // replaces any run line
  // A run started: its identity and starting tau/beta (bc: no tau/beta).
  void setRun(qint64 runId, const QString& what, bool showTauBeta, double tau, double beta);
  void setValue(const QString& hyperparameter, double value, qint64 step);  // a live change applied
  void setState(const QString& state);  // "training", "paused", "stopping", ...
  bool isError() const { return error_; }

private:
  struct Value {
    double start = 0, current = 0;
    qint64 changedAt = -1;
  };
  void compose();
  qint64 runId_ = 0;
  QString what_, state_;
  bool showTauBeta_ = true;
  QMap<QString, Value> values_;  // "expectile", "temperature"
  bool error_ = false;
};

}  // namespace iqlui
