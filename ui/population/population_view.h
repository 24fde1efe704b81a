// The Population tab: "vary" lists for tau, beta and seeds over the hyperparameter panel's settings,
// Train/Stop for the whole grid (one batched model, one stored run per member), one live curve per
// member for a chosen metric and for the evaluation score (a distinct colour per member, a legend that
// wraps to the plot's width), and a live tau x beta grid of the latest scores (mean over seeds) under
// the name of what it shows, with a colour key. Where `iql ope` stored offline estimates for the members,
// an OpeScatter under the plots shows how far they can be trusted (read when the population finishes and
// whenever the tab is shown).
#pragma once
#include <QColor>
#include <QMap>
#include <QVector>
#include <QWidget>
#include <functional>
#include <memory>
#include <vector>

#include "core/config/train_config.h"
#include "ui/session/session_types.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace iqlui {

class GridColourScale;
class MetricPlot;
class OpeScatter;
class TrainingSession;

class PopulationView : public QWidget {
  Q_OBJECT
public:
  explicit PopulationView(QWidget* parent = nullptr);
  ~PopulationView() override;

  // Where the settings of every member come from (the hyperparameter and dataset panels) and the store.
  void setBaseConfigProvider(std::function<iql::TrainConfig()> f) { baseConfig_ = std::move(f); }
  void setDatabasePath(const QString& path) { dbPath_ = path; }

  // The members the vary lists expand to (ConfigError for bad lists).
  std::vector<iql::TrainConfig> plannedMembers() const;
  void setVaryLists(const QString& taus, const QString& betas, const QString& seeds);

  TrainingSession* session() const { return session_.get(); }
  MetricPlot* metricPlot() const { return metricPlot_; }
  MetricPlot* scorePlot() const { return scorePlot_; }
  QTableWidget* grid() const { return grid_; }
  QLabel* gridTitle() const { return gridTitle_; }
  // What the population is doing, and on which device (read back from its stored runtime event).
  QLabel* statusLabel() const { return statusLabel_; }
  GridColourScale* gridScale() const { return gridScale_; }
  // Member k's colour in both plots: a qualitative palette by member index, so members that share a
  // beta (or differ only in seed) stay apart.
  QColor memberColor(int k) const;
  QPushButton* trainButton() const { return trainButton_; }
  OpeScatter* opeScatter() const { return opeScatter_; }
  // The members whose offline estimates the scatter reads (set when a population starts here).
  void showOfflineEstimates(const QString& dbPath, const QVector<qint64>& runIds);

public Q_SLOTS:
  void startPopulation();
  void stopPopulation();

Q_SIGNALS:
  void populationStarted(const QString& populationId);
  void populationFinished(const QString& status);
  void populationFailed(const QString& message);

protected:
  void showEvent(QShowEvent* event) override;

private:
  void updatePlan();
  void onMetrics(int member, const QVector<iqlui::MetricSample>& batch);
  void onEvaluation(int member, const iqlui::EvalSample& e);
  void rebuildMetricCurves();
  void rebuildGrid();
  QString memberLabel(int k) const;
  void updateGridTitle();
  QString onDevice() const;  // " on cpu (…)" once the device is known, else ""

  std::function<iql::TrainConfig()> baseConfig_;
  QString dbPath_;
  std::unique_ptr<TrainingSession> session_;
  std::vector<iql::TrainConfig> members_;
  QVector<QVector<MetricSample>> history_;  // per member, for switching the shown metric
  QVector<double> latestScore_;             // per member, NaN until evaluated
  QVector<double> taus_, betas_;
  QLineEdit* tauEdit_ = nullptr;
  QLineEdit* betaEdit_ = nullptr;
  QLineEdit* seedEdit_ = nullptr;
  QLabel* planLabel_ = nullptr;
  QLabel* statusLabel_ = nullptr;
  QString deviceText_;  // "cpu (AMD EPYC)" / "cuda (NVIDIA H200, CUDA 12.4), graphs on, fp32"; empty until known
  QPushButton* trainButton_ = nullptr;
  QPushButton* stopButton_ = nullptr;
  QComboBox* metricBox_ = nullptr;
  MetricPlot* metricPlot_ = nullptr;
  MetricPlot* scorePlot_ = nullptr;
  QTableWidget* grid_ = nullptr;
  QLabel* gridTitle_ = nullptr;
  GridColourScale* gridScale_ = nullptr;
  OpeScatter* opeScatter_ = nullptr;
  bool scoresNormalised_ = false;  // the evaluations carry a D4RL-normalised score (else returns)
};

}  // namespace iqlui
