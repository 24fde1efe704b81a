// Side-by-side comparison of stored runs (the lower half of the Runs tab):
//  - overlaid curves of one metric (metric keys common to all runs, plus "eval return" and
//    "normalised score" from the evaluations) with EMA smoothing; runs whose config_json differs only
//    in seed (name, thread count) are drawn as one mean +- std band "τ .. β .. (n seeds)" when grouping
//    is on; sparse evaluation series are never smoothed, and their legend entries say the final
//    and best value. Legend entries name what tells the runs apart (τ, β and every setting that
//    differs, e.g. "#2 τ 0.7 β 10 seed 0"), never a name cut where runs differ, and wrap to the width;
//  - a table of the config keys whose values differ across the runs (tau/beta as start → final
//    when changed mid-run);
//  - a tau x beta heat map (ScoreHeatmap) of the compared runs (every run on the first one's
//    dataset when fewer than two are compared);
//  - on a second tab, aggregate statistics with bootstrap intervals (AggregateStatsPanel).
// The store is shared with the RunsBrowser and used on the GUI thread only.
#pragma once
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <memory>
#include <vector>

#include "core/store/run_store.h"

class QCheckBox;
class QCPAbstractPlottable;
class QColor;
class QComboBox;
class QCPColorMap;
class QCPColorScale;
class QCustomPlot;
class QHBoxLayout;
class QLabel;
class QSlider;
class QTableWidget;

namespace iqlui {

class AggregateStatsPanel;
class ScoreHeatmap;

// Pure helpers (tested directly).
struct Series {
  QVector<double> steps;
  QVector<double> values;
};
struct BandSeries {
  QVector<double> steps, mean, lower, upper;
};
// Mean +- (sample) std of several series: on their common steps when those cover most of the
// points, otherwise on the union of steps inside the common range, with linear interpolation.
BandSeries meanStdBand(const std::vector<Series>& members);
// config_json without seed, name and thread count, as compact JSON with sorted keys
// (iql::seed_free_config_key, which `iql runs curves` groups by too).
QString seedFreeConfigKey(const std::string& configJson);

class CompareView : public QWidget {
  Q_OBJECT
public:
  static const QString kEvalReturn;       // "eval return"
  static const QString kNormalisedScore;  // "normalised score"

  explicit CompareView(QWidget* parent = nullptr);

  void setStore(std::shared_ptr<iql::RunStore> store);
  // Loads the runs (unknown ids are skipped) and redraws everything.
  void setRuns(const QList<qint64>& runIds);
  void clear();
  QList<qint64> runIds() const;

  // Controls and results, for the browser and for tests.
  QComboBox* metricCombo() const { return metricCombo_; }
  QCheckBox* groupSeedsCheck() const { return groupCheck_; }
  QSlider* smoothingSlider() const { return smoothing_; }
  QCustomPlot* curvePlot() const { return curvePlot_; }
  QCustomPlot* heatmapPlot() const;
  QCPColorMap* heatMap() const;
  ScoreHeatmap* heatmap() const { return heatmap_; }
  AggregateStatsPanel* aggregatePanel() const { return aggregate_; }
  QTableWidget* diffTable() const { return diffTable_; }
  QString currentMetric() const;
  void setMetric(const QString& key);
  int bandGroupCount() const { return bandGroups_; }  // groups drawn as a band (n >= 2)
  QStringList legendLabels() const;
  QStringList diffKeys() const { return diffKeys_; }
  QString heatmapDataset() const;
  // Mean final normalised score in the heat-map cell of (tau, beta); NaN when there is none.
  double heatmapValue(double tau, double beta) const;
  QVector<double> heatmapTaus() const;
  QVector<double> heatmapBetas() const;
  // Sparse series (evaluations) are drawn unsmoothed whatever the slider says.
  static bool isSparseMetric(const QString& metric);

Q_SIGNALS:
  void errorOccurred(const QString& message);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;  // the curve plot's resizes

private:
  struct RunData {
    iql::RunInfo info;
    QString groupKey;
    double tau = 0.0, beta = 0.0;  // start values
    double finalTau = 0.0, finalBeta = 0.0;
    bool tuned = false;  // iql::tuned_mid_run: some live hyperparameter changed mid-run
    QString tunedText;   // e.g. "β 3→9.74, actor_lr 0.0003→0.0001"
    QString otherTunedText;  // the same without tau and beta: "actor_lr 0.0003→0.0001"
    QJsonObject shown;   // config_json with a tuned tau/beta as "start → final"
  };
  using RunGroup = std::vector<const RunData*>;

  // The constructor's parts, in widget-creation (and so tab) order.
  QHBoxLayout* buildControls();  // metric, smoothing, seed grouping
  void buildCurvePlot();
  QWidget* buildDiffBox();       // title and diffTable_
  void connectControls();

  void rebuildMetricCombo();
  void redrawCurves();
  // redrawCurves' parts: runs grouped by seed-free config (in the order of their first run, one
  // group per run when grouping is off), each group's labels, its curves, then axes and legend.
  std::vector<RunGroup> collectGroups() const;
  std::vector<QStringList> bandLabels(const std::vector<RunGroup>& groups) const;
  QStringList settingChunks(const RunData& run, bool withSeed) const;
  std::vector<Series> loadSmoothedSeries(const RunGroup& members, const QString& metric, double weight);
  void drawRunCurve(const QStringList& label, const Series& series, const QColor& color, bool sparse);
  void drawBand(const std::vector<Series>& series, const QColor& color, const QStringList& label, bool sparse);
  static void setLegendChunks(QCPAbstractPlottable* plottable, const QStringList& chunks);
  void wrapLegend();
  void fitCurveAxes();
  void rebuildDiff();
  void rebuildHeatmap();
  Series loadSeries(const RunData& run, const QString& metric);

  std::shared_ptr<iql::RunStore> store_;
  std::vector<RunData> runs_;

  QComboBox* metricCombo_ = nullptr;
  QCheckBox* groupCheck_ = nullptr;
  QSlider* smoothing_ = nullptr;
  QLabel* smoothingLabel_ = nullptr;
  QCustomPlot* curvePlot_ = nullptr;
  ScoreHeatmap* heatmap_ = nullptr;
  AggregateStatsPanel* aggregate_ = nullptr;
  QTableWidget* diffTable_ = nullptr;

  int bandGroups_ = 0;
  QStringList diffKeys_;
};

}  // namespace iqlui
