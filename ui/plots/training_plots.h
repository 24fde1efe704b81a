// The "Training" tab: a grid of live MetricPlots fed from a run's step metrics, evaluations and
// hyperparameter events (live from a TrainingSession or replayed from the store).
#pragma once
#include <QList>
#include <QVector>
#include <QWidget>
#include <optional>

#include "ui/session/session_types.h"

namespace iqlui {

class MetricPlot;

class TrainingPlots : public QWidget {
  Q_OBJECT
public:
  explicit TrainingPlots(QWidget* parent = nullptr);

  void addMetrics(const QVector<iqlui::MetricSample>& batch);
  void addEvaluation(const iqlui::EvalSample& e);
  void addEvent(const iqlui::EventSample& e);  // hyperparameter changes become marker lines
  void clear();
  void flushNow();
  void setRunContext(const QString& context);  // run id and settings, for exports
  // The run's env (or dataset name): its reference returns tie the normalised-score axis to the
  // return axis. Unknown env: the score axis is hidden. Without this call (a replayed run) the tie
  // is read off two scored evaluations with different returns.
  void setEnvironment(const QString& env);
  MetricPlot* evaluationPlot() const { return evalPlot_; }

  const QList<MetricPlot*>& plots() const { return plots_; }
  MetricPlot* plot(const QString& title) const;

private:
  struct Route {
    MetricPlot* plot;
    QString key;
  };
  MetricPlot* makePlot(const QString& title, const QString& yLabel, int row, int column);
  void updateScoreAxis();

  QList<MetricPlot*> plots_;
  QVector<Route> routes_;  // metric key -> plot
  MetricPlot* evalPlot_ = nullptr;
  std::optional<QPair<qint64, double>> best_;  // (step, value) of the best evaluation so far
  // score = scale * return + offset, when known (from the env or from two scored evaluations)
  std::optional<QPair<double, double>> scoreMap_;
  std::optional<QPair<double, double>> firstScored_;  // (return, score) of a scored evaluation
};

}  // namespace iqlui
