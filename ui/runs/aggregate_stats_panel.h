// The compare view's "Aggregate statistics" tab (issue 21): the compared runs grouped by algorithm or
// configuration, with rliable's aggregates (mean, median, IQM, optimality gap) and their 95%
// stratified-bootstrap intervals in a table, the probability that one group improves on another,
// performance profiles with bands and IQM learning curves with bands. Which evaluation the figures use
// (last, best or final), the resamples and the seed are controls, and the caption always states them.
// Loading and the bootstrap both run on a worker thread (QtConcurrent; the loader opens the store
// read-only itself) and land in the widgets when done; a newer request supersedes one in flight.
#pragma once
#include <QFutureWatcher>
#include <QList>
#include <QWidget>
#include <memory>

#include "ui/runs/aggregate_stats_input.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QSpinBox;
class QTableWidget;
class QVBoxLayout;

namespace iql {
class RunStore;
}

namespace iqlui {

class AggregateStatsPanel : public QWidget {
  Q_OBJECT
public:
  // Columns of aggregateTable(); each cell's Qt::UserRole holds {point, low, high} as a QVariantList.
  enum Column { GroupColumn, RunsColumn, MeanColumn, MedianColumn, IqmColumn, GapColumn, ColumnCount };

  explicit AggregateStatsPanel(QWidget* parent = nullptr);
  ~AggregateStatsPanel() override;

  void setStore(std::shared_ptr<iql::RunStore> store);
  // Reads the runs and starts the computation (results arrive with resultsReady()).
  void setRuns(const QList<qint64>& runIds);
  // Recompute now (e.g. after new evaluations landed in the store).
  void refresh();

  QComboBox* groupByCombo() const { return groupBy_; }
  QComboBox* evaluationCombo() const { return evaluation_; }
  QSpinBox* resamplesSpin() const { return resamples_; }
  QSpinBox* seedSpin() const { return seed_; }
  QLabel* caption() const { return caption_; }
  QTableWidget* aggregateTable() const { return table_; }
  QTableWidget* improvementTable() const { return improvement_; }
  QCustomPlot* profilePlot() const { return profilePlot_; }
  QCustomPlot* curvePlot() const { return curvePlot_; }
  bool computing() const;
  const StatsOutcome& outcome() const { return outcome_; }

Q_SIGNALS:
  void resultsReady();
  void errorOccurred(const QString& message);

protected:
  void resizeEvent(QResizeEvent* event) override;

private:
  void fitCaptionHeight();
  void buildControls(QVBoxLayout* layout);
  void recompute();
  void onComputed();
  void fillTable();
  void fillImprovements();
  void drawProfiles();
  void drawCurves();
  void updateCaption();
  StatsRequest request() const;

  std::shared_ptr<iql::RunStore> store_;
  QList<qint64> runIds_;
  StatsOutcome outcome_;
  QFutureWatcher<StatsOutcome>* watcher_ = nullptr;
  bool pending_ = false;  // settings changed while a computation ran: run again when it lands

  QComboBox* groupBy_ = nullptr;
  QComboBox* evaluation_ = nullptr;
  QSpinBox* resamples_ = nullptr;
  QSpinBox* seed_ = nullptr;
  QLabel* caption_ = nullptr;
  QTableWidget* table_ = nullptr;
  QTableWidget* improvement_ = nullptr;
  QCustomPlot* profilePlot_ = nullptr;
  QCustomPlot* curvePlot_ = nullptr;
};

}  // namespace iqlui
