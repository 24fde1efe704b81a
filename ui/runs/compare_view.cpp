#include "ui/runs/compare_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <numeric>
#include "ui/plots/qcp.h"
#include <set>

#include "core/stats/summary_stats.h"
#include "core/store/hyperparameter_history.h"
#include "core/store/score_curves.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/smoothing.h"
#include "ui/plots/metric_names.h"
#include "ui/runs/aggregate_stats_panel.h"
#include "ui/runs/hyper_history.h"
#include "ui/runs/run_table_model.h"
#include "ui/runs/score_heatmap.h"

namespace iqlui {

const QString CompareView::kEvalReturn = QStringLiteral("eval return");
const QString CompareView::kNormalisedScore = QStringLiteral("normalised score");

namespace {

constexpr char kChunksProperty[] = "legendChunks";  // a legend entry's text as unbreakable chunks

QString qs(const std::string& s) { return QString::fromStdString(s); }

QJsonObject configObject(const std::string& json) {
  return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

QString jsonText(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Undefined: return QStringLiteral("–");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', 6);
    case QJsonValue::String: return v.toString();
    case QJsonValue::Array: return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object: return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
  }
  return {};
}

QString numberText(double v) { return std::isnan(v) ? QStringLiteral("?") : QString::number(v, 'g', 4); }

QString hyperSymbol(const std::string& name) {
  if (name == "expectile") return QStringLiteral("τ");
  if (name == "temperature") return QStringLiteral("β");
  return qs(name);
}

// linear interpolation of (xs, ys) at x, xs ascending, x inside [xs.front(), xs.back()]
double interpolate(const QVector<double>& xs, const QVector<double>& ys, double x) {
  auto it = std::lower_bound(xs.begin(), xs.end(), x);
  if (it == xs.end()) return ys.back();
  const int i = int(it - xs.begin());
  if (xs[i] == x || i == 0) return ys[i];
  const double t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

}  // namespace

BandSeries meanStdBand(const std::vector<Series>& members) {
  BandSeries band;
  std::vector<const Series*> ms;
  for (const Series& s : members)
    if (!s.steps.isEmpty()) ms.push_back(&s);
  if (ms.empty()) return band;
  // common steps
  std::set<double> common(ms[0]->steps.begin(), ms[0]->steps.end());
  int minSize = ms[0]->steps.size();
  for (size_t k = 1; k < ms.size(); ++k) {
    std::set<double> next;
    for (double x : ms[k]->steps)
      if (common.count(x)) next.insert(x);
    common.swap(next);
    minSize = std::min(minSize, int(ms[k]->steps.size()));
  }
  QVector<double> grid;
  if (common.size() >= 2 && int(common.size()) * 2 >= minSize) {
    grid = QVector<double>(common.begin(), common.end());
  } else {  // different logging grids: union of steps inside the common range, interpolated
    double lo = -std::numeric_limits<double>::infinity(), hi = -lo;
    std::set<double> all;
    for (const Series* s : ms) {
      lo = std::max(lo, s->steps.front());
      hi = std::min(hi, s->steps.back());
    }
    for (const Series* s : ms)
      for (double x : s->steps)
        if (x >= lo && x <= hi) all.insert(x);
    grid = QVector<double>(all.begin(), all.end());
  }
  std::vector<double> at(ms.size());
  for (double x : grid) {
    for (size_t k = 0; k < ms.size(); ++k) at[k] = interpolate(ms[k]->steps, ms[k]->values, x);
    // seeds: the Sample convention of every seed table (`iql runs curves`, the benchmark)
    const double mean = iql::stats::mean(at);
    const double sd = iql::stats::std_dev(at, iql::stats::StdConvention::Sample);
    band.steps << x;
    band.mean << mean;
    band.lower << mean - sd;
    band.upper << mean + sd;
  }
  return band;
}

QString seedFreeConfigKey(const std::string& configJson) {
  return QString::fromStdString(iql::seed_free_config_key(configJson));
}

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(buildControls());
  buildCurvePlot();

  heatmap_ = new ScoreHeatmap(this);
  connect(heatmap_, &ScoreHeatmap::placeTunedToggled, this, [this] { rebuildHeatmap(); });
  QWidget* diffBox = buildDiffBox();

  auto* top = new QSplitter(Qt::Horizontal, this);
  top->addWidget(curvePlot_);
  top->addWidget(heatmap_);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
  auto* vertical = new QSplitter(Qt::Vertical, this);
  vertical->addWidget(top);
  vertical->addWidget(diffBox);
  vertical->setStretchFactor(0, 2);
  vertical->setStretchFactor(1, 1);
  aggregate_ = new AggregateStatsPanel(this);
  connect(aggregate_, &AggregateStatsPanel::errorOccurred, this, &CompareView::errorOccurred);
  auto* tabs = new QTabWidget(this);
  tabs->setDocumentMode(true);
  tabs->addTab(vertical, tr("Curves and settings"));
  tabs->addTab(aggregate_, tr("Aggregate statistics"));
  layout->addWidget(tabs, 1);

  connectControls();
  clear();
}

QHBoxLayout* CompareView::buildControls() {
  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Metric:"), this));
  metricCombo_ = new QComboBox(this);
  metricCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  metricCombo_->setToolTip(tr("Metric keys logged by every compared run, plus evaluation results"));
  controls->addWidget(metricCombo_);
  controls->addSpacing(12);
  controls->addWidget(new QLabel(tr("Smoothing:"), this));
  smoothing_ = new QSlider(Qt::Horizontal, this);
  smoothing_->setRange(0, 99);
  smoothing_->setValue(60);
  smoothing_->setMaximumWidth(140);
  smoothing_->setToolTip(tr("Exponential moving average weight (0 = raw values)"));
  controls->addWidget(smoothing_);
  smoothingLabel_ = new QLabel(this);
  smoothingLabel_->setMinimumWidth(smoothingLabel_->fontMetrics().horizontalAdvance(tr("off (sparse)")) + 4);
  controls->addWidget(smoothingLabel_);
  controls->addSpacing(12);
  groupCheck_ = new QCheckBox(tr("Group seeds (mean ± std)"), this);
  groupCheck_->setChecked(true);
  groupCheck_->setToolTip(
      tr("Runs whose configurations differ only in seed are drawn as one mean ± std band"));
  controls->addWidget(groupCheck_);
  controls->addStretch(1);
  return controls;
}

void CompareView::buildCurvePlot() {
  curvePlot_ = new QCustomPlot(this);
  curvePlot_->setMinimumSize(320, 220);
  applyPlotStyle(curvePlot_, QString());
  curvePlot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  curvePlot_->xAxis->setLabel(tr("step"));
  // legend in its own row under the axis rect, so it never hides a curve
  curvePlot_->axisRect()->insetLayout()->take(curvePlot_->legend);
  curvePlot_->plotLayout()->addElement(1, 0, curvePlot_->legend);
  curvePlot_->plotLayout()->setRowStretchFactor(1, 0.001);
  curvePlot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
  curvePlot_->legend->setWrap(1);  // one run per row: names and final/best values stay readable
  curvePlot_->legend->setMargins(QMargins(6, 2, 6, 2));
  curvePlot_->legend->setVisible(true);
  curvePlot_->installEventFilter(this);  // re-wrap the legend on resize
}

QWidget* CompareView::buildDiffBox() {
  QFont bold = font();
  bold.setBold(true);

  auto* diffBox = new QWidget(this);
  auto* diffLayout = new QVBoxLayout(diffBox);
  diffLayout->setContentsMargins(0, 0, 0, 0);
  auto* diffTitle = new QLabel(tr("Configuration differences"), diffBox);
  diffTitle->setFont(bold);
  diffLayout->addWidget(diffTitle);
  diffTable_ = new QTableWidget(diffBox);
  diffTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  diffTable_->setSelectionMode(QAbstractItemView::NoSelection);
  diffTable_->verticalHeader()->setDefaultSectionSize(diffTable_->fontMetrics().height() + 6);
  diffTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  diffTable_->setAlternatingRowColors(true);
  diffLayout->addWidget(diffTable_, 1);
  return diffBox;
}

void CompareView::connectControls() {
  connect(metricCombo_, &QComboBox::currentIndexChanged, this, [this] { redrawCurves(); });
  connect(groupCheck_, &QCheckBox::toggled, this, [this] { redrawCurves(); });
  connect(smoothing_, &QSlider::valueChanged, this, [this](int v) {
    smoothingLabel_->setText(QString::number(v / 100.0, 'f', 2));
    redrawCurves();
  });
  smoothingLabel_->setText(QString::number(smoothing_->value() / 100.0, 'f', 2));
}

void CompareView::setStore(std::shared_ptr<iql::RunStore> store) {
  store_ = std::move(store);
  aggregate_->setStore(store_);
  clear();
}

QList<qint64> CompareView::runIds() const {
  QList<qint64> ids;
  for (const RunData& r : runs_) ids << r.info.id;
  return ids;
}

void CompareView::clear() {
  runs_.clear();
  {
    const QSignalBlocker block(metricCombo_);
    metricCombo_->clear();
  }
  rebuildDiff();
  redrawCurves();
  rebuildHeatmap();
  aggregate_->setRuns({});
}

void CompareView::setRuns(const QList<qint64>& runIds) {
  runs_.clear();
  if (store_) {
    try {
      for (qint64 id : runIds) {
        auto info = store_->get_run(id);
        if (!info) continue;
        RunData r;
        r.tau = configNumber(info->config_json, "expectile");
        r.beta = configNumber(info->config_json, "temperature");
        const auto events = store_->events(id);
        r.finalTau = hyperHistory(info->config_json, events, "expectile").final;
        r.finalBeta = hyperHistory(info->config_json, events, "temperature").final;
        // tuned mid-run: core's one rule, over every live hyperparameter (not only tau and beta)
        QStringList tuned;
        for (const auto& h : iql::hyperparameter_histories(info->config_json, events, /*tuned_only=*/true))
          tuned << QStringLiteral("%1 %2→%3").arg(hyperSymbol(h.name), numberText(h.start), numberText(h.final));
        r.tuned = !tuned.isEmpty();
        r.tunedText = tuned.join(QStringLiteral(", "));
        r.shown = configObject(info->config_json);
        if (r.finalTau != r.tau)  // a tuned run's tau/beta read "start → final"
          r.shown.insert(QStringLiteral("expectile"), QStringLiteral("%1 → %2").arg(numberText(r.tau), numberText(r.finalTau)));
        if (r.finalBeta != r.beta)
          r.shown.insert(QStringLiteral("temperature"), QStringLiteral("%1 → %2").arg(numberText(r.beta), numberText(r.finalBeta)));
        QStringList otherTuned;  // live settings other than tau and beta changed mid-run
        for (const auto& h : iql::hyperparameter_histories(info->config_json, events, /*tuned_only=*/true))
          if (h.name != "expectile" && h.name != "temperature")
            otherTuned << QStringLiteral("%1 %2→%3").arg(hyperSymbol(h.name), numberText(h.start), numberText(h.final));
        r.otherTunedText = otherTuned.join(QStringLiteral(", "));
        // runs without a full config still group only with runs on the same data and algorithm
        QJsonObject key = QJsonDocument::fromJson(seedFreeConfigKey(info->config_json).toUtf8()).object();
        if (!key.contains(QStringLiteral("dataset"))) key.insert(QStringLiteral("dataset"), qs(info->dataset));
        if (!key.contains(QStringLiteral("env"))) key.insert(QStringLiteral("env"), qs(info->env));
        if (!key.contains(QStringLiteral("algorithm")))
          key.insert(QStringLiteral("algorithm"), qs(info->algorithm));
        // never pooled with other runs, as in `iql runs curves`: even the same change may have come at another step
        if (r.tuned) key.insert(QStringLiteral("tuned mid-run"), QStringLiteral("%1 (run %2)").arg(r.tunedText).arg(id));
        r.groupKey = QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact));
        r.info = std::move(*info);
        runs_.push_back(std::move(r));
      }
    } catch (const std::exception& e) {
      Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    }
  }
  rebuildMetricCombo();
  rebuildDiff();
  redrawCurves();
  rebuildHeatmap();
  aggregate_->setRuns(this->runIds());  // the runs found, not the ids asked for
}

bool CompareView::isSparseMetric(const QString& metric) {
  return metric == kEvalReturn || metric == kNormalisedScore || metric == QLatin1String("online_episode_return");
}

QString CompareView::currentMetric() const { return metricCombo_->currentData().toString(); }

void CompareView::setMetric(const QString& key) {
  const int i = metricCombo_->findData(key);
  if (i >= 0) metricCombo_->setCurrentIndex(i);
}

void CompareView::rebuildMetricCombo() {
  const QString previous = currentMetric();
  const QSignalBlocker block(metricCombo_);
  metricCombo_->clear();
  if (runs_.empty() || !store_) return;
  bool anyEval = false, anyScore = false;
  std::set<std::string> common;
  try {
    for (size_t k = 0; k < runs_.size(); ++k) {
      const auto keys = store_->metric_keys(runs_[k].info.id);
      if (k == 0) {
        common.insert(keys.begin(), keys.end());
      } else {
        std::set<std::string> next;
        for (const auto& key : keys)
          if (common.count(key)) next.insert(key);
        common.swap(next);
      }
      for (const auto& e : store_->evaluations(runs_[k].info.id)) {
        anyEval = true;
        anyScore = anyScore || e.normalized_score.has_value();
      }
    }
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
  }
  if (anyScore) metricCombo_->addItem(kNormalisedScore, kNormalisedScore);
  if (anyEval) metricCombo_->addItem(kEvalReturn, kEvalReturn);
  if (anyEval && !common.empty()) metricCombo_->insertSeparator(metricCombo_->count());
  for (const auto& key : common) {
    metricCombo_->addItem(metricDisplayName(qs(key)), qs(key));
    metricCombo_->setItemData(metricCombo_->count() - 1, qs(key), Qt::ToolTipRole);  // the stored key
  }
  int i = previous.isEmpty() ? -1 : metricCombo_->findData(previous);
  metricCombo_->setCurrentIndex(i >= 0 ? i : 0);
}

Series CompareView::loadSeries(const RunData& run, const QString& metric) {
  Series s;
  if (!store_) return s;
  auto add = [&s](double step, double v) {
    if (std::isfinite(v)) {
      s.steps << step;
      s.values << v;
    }
  };
  if (metric == kEvalReturn || metric == kNormalisedScore) {
    for (const auto& e : store_->evaluations(run.info.id)) {
      if (metric == kEvalReturn) add(double(e.step), e.return_mean);
      else if (e.normalized_score) add(double(e.step), *e.normalized_score);
    }
  } else {
    for (const auto& [step, v] : store_->metric_series(run.info.id, metric.toStdString()))
      add(double(step), v);
  }
  return s;
}

// What tells a run apart, as unbreakable legend chunks: τ and β always, then every other setting that
// differs across the compared runs (seed, steps, dataset, ...), never the run's name.
QStringList CompareView::settingChunks(const RunData& run, bool withSeed) const {
  auto value = [&run](const QString& key) {
    const QJsonValue v = run.shown.value(key);
    if (key == QLatin1String("steps") && v.isDouble()) return QLocale().toString(qint64(v.toDouble()));
    QString text = jsonText(v).replace(QStringLiteral(" → "), QStringLiteral("→"));
    if (v.isString() && text.contains(QLatin1Char('/'))) text = QFileInfo(text).fileName();  // a data file's path
    return text.size() > 32 ? text.left(31) + QChar(0x2026) : text;
  };
  QStringList chunks;
  chunks << QStringLiteral("τ %1").arg(run.shown.contains(QLatin1String("expectile")) ? value(QStringLiteral("expectile")) : numberText(run.tau));
  chunks << QStringLiteral("β %1").arg(run.shown.contains(QLatin1String("temperature")) ? value(QStringLiteral("temperature")) : numberText(run.beta));
  constexpr int kMostOthers = 4;  // the diff table below lists them all
  int others = 0, hidden = 0;
  for (const QString& key : diffKeys_) {
    if (key == QLatin1String("expectile") || key == QLatin1String("temperature") || key == QLatin1String("name")) continue;
    if (key == QLatin1String("seed")) {
      if (withSeed) chunks << QStringLiteral("seed %1").arg(value(key));
      continue;
    }
    if (others++ >= kMostOthers) {
      ++hidden;
      continue;
    }
    chunks << QStringLiteral("%1 %2").arg(key, value(key));  // "steps 20,000": name first, like τ and β
  }
  if (hidden > 0) chunks << (hidden == 1 ? tr("+1 more setting") : tr("+%1 more settings").arg(hidden));
  if (!run.otherTunedText.isEmpty()) chunks << tr("tuned %1").arg(run.otherTunedText);
  return chunks;
}

void CompareView::redrawCurves() {
  curvePlot_->clearGraphs();
  bandGroups_ = 0;
  const QString metric = currentMetric();
  curvePlot_->yAxis->setLabel(metric.isEmpty() ? tr("value") : metricDisplayName(metric));
  if (runs_.empty() || metric.isEmpty()) {
    curvePlot_->legend->setVisible(false);
    curvePlot_->replot();
    return;
  }
  // A few evaluation points smoothed with an EMA end far from the last evaluation (74 where the
  // heat map says 95.8): sparse series are drawn as measured.
  const bool sparse = isSparseMetric(metric);
  const double weight = sparse ? 0.0 : smoothing_->value() / 100.0;
  smoothing_->setEnabled(!sparse);
  smoothingLabel_->setText(sparse ? tr("off (sparse)") : QString::number(smoothing_->value() / 100.0, 'f', 2));

  const std::vector<RunGroup> groups = collectGroups();
  const std::vector<QStringList> labels = bandLabels(groups);
  try {
    int color = 0;
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      const RunGroup& members = groups[gi];
      const QColor c = seriesColor(color++);
      const std::vector<Series> series = loadSmoothedSeries(members, metric, weight);
      if (members.size() == 1) {
        drawRunCurve(labels[gi], series[0], c, sparse);
        continue;
      }
      drawBand(series, c, labels[gi], sparse);
      ++bandGroups_;
    }
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
  }
  fitCurveAxes();
}

std::vector<CompareView::RunGroup> CompareView::collectGroups() const {
  std::vector<RunGroup> groups;
  std::map<QString, size_t> groupOf;
  for (const RunData& r : runs_) {
    if (!groupCheck_->isChecked()) {
      groups.push_back({&r});
      continue;
    }
    auto it = groupOf.find(r.groupKey);
    if (it == groupOf.end()) {
      groupOf[r.groupKey] = groups.size();
      groups.push_back({&r});
    } else {
      groups[it->second].push_back(&r);
    }
  }
  return groups;
}

// Legend chunks of each group: "#2 τ 0.7 β 10 seed 0" for a single run, "τ 0.7 β 3 (3 seeds)" for a
// band; the settings are the ones that differ across the compared runs (settingChunks).
std::vector<QStringList> CompareView::bandLabels(const std::vector<RunGroup>& groups) const {
  std::vector<QStringList> labels(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    const RunData& first = *groups[g].front();
    if (groups[g].size() == 1) {
      labels[g] = QStringList{QStringLiteral("#%1").arg(first.info.id)} + settingChunks(first, true);
    } else {
      labels[g] = settingChunks(first, false);
      labels[g] << tr("(%1 seeds)").arg(groups[g].size());
    }
  }
  return labels;
}

std::vector<Series> CompareView::loadSmoothedSeries(const RunGroup& members, const QString& metric, double weight) {
  std::vector<Series> series;
  for (const RunData* r : members) {
    Series s = loadSeries(*r, metric);
    s.values = emaSmooth(s.values, weight);
    series.push_back(std::move(s));
  }
  return series;
}

void CompareView::drawRunCurve(const QStringList& label, const Series& series, const QColor& color, bool sparse) {
  QCPGraph* g = curvePlot_->addGraph();
  g->setPen(QPen(color, 1.6));
  QStringList chunks = label;
  // Legend entries of sparse series say which summary they give: final and best.
  if (sparse && !series.values.isEmpty())
    chunks << tr("· final %1").arg(QString::number(series.values.back(), 'f', 1))
           << tr("· best %1").arg(QString::number(*std::max_element(series.values.begin(), series.values.end()), 'f', 1));
  setLegendChunks(g, chunks);
  g->setData(series.steps, series.values, true);
  if (series.steps.size() == 1) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
}

// A group of seeds: mean line over a mean +- std band.
void CompareView::drawBand(const std::vector<Series>& series, const QColor& color, const QStringList& label, bool sparse) {
  const BandSeries band = meanStdBand(series);
  QColor fill = color;
  fill.setAlpha(55);
  QCPGraph* lower = curvePlot_->addGraph();
  lower->setPen(Qt::NoPen);
  lower->setData(band.steps, band.lower, true);
  lower->removeFromLegend();
  QCPGraph* upper = curvePlot_->addGraph();
  upper->setPen(Qt::NoPen);
  upper->setBrush(fill);
  upper->setChannelFillGraph(lower);
  upper->setData(band.steps, band.upper, true);
  upper->removeFromLegend();
  QCPGraph* mean = curvePlot_->addGraph();
  mean->setPen(QPen(color, 2.0));
  QStringList chunks = label;
  if (sparse) chunks << tr("· final (mean of seeds) %1").arg(QString::number(band.mean.isEmpty() ? 0.0 : band.mean.back(), 'f', 1));
  setLegendChunks(mean, chunks);
  mean->setData(band.steps, band.mean, true);
  if (band.steps.size() == 1) mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
}

void CompareView::setLegendChunks(QCPAbstractPlottable* plottable, const QStringList& chunks) {
  plottable->setProperty(kChunksProperty, chunks);
  plottable->setName(chunks.join(QLatin1Char(' ')));
}

// Legend entries wrap at chunk boundaries to the plot's width: never cut, whatever the window size.
void CompareView::wrapLegend() {
  QCPLegend* legend = curvePlot_->legend;
  const QFontMetrics fm(legend->font());
  const int width = curvePlot_->width() - legend->iconSize().width() - legend->iconTextPadding() -
                    legend->margins().left() - legend->margins().right() - 24;
  for (int i = 0; i < legend->itemCount(); ++i) {
    auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
    if (!item) continue;
    const QStringList chunks = item->plottable()->property(kChunksProperty).toStringList();
    if (chunks.isEmpty()) continue;
    QStringList lines;
    QString line;
    for (QString chunk : chunks) {
      const QString longer = line.isEmpty() ? chunk : line + QLatin1Char(' ') + chunk;
      if (line.isEmpty() || fm.horizontalAdvance(longer) <= width) {
        line = longer;
        continue;
      }
      lines << line;
      if (chunk.startsWith(QStringLiteral("· "))) chunk = chunk.mid(2);  // a new line needs no separator
      line = chunk;
    }
    lines << line;
    item->plottable()->setName(lines.join(QLatin1Char('\n')));
  }
}

bool CompareView::eventFilter(QObject* watched, QEvent* event) {
  if (watched == curvePlot_ && event->type() == QEvent::Resize) {
    wrapLegend();
    curvePlot_->replot(QCustomPlot::rpQueuedReplot);
  }
  return QWidget::eventFilter(watched, event);
}

// Legend shown only when it has entries; axes fit the curves, with headroom.
void CompareView::fitCurveAxes() {
  curvePlot_->legend->setVisible(curvePlot_->legend->itemCount() > 0);
  wrapLegend();
  curvePlot_->rescaleAxes();
  // a little headroom so curves do not touch the frame
  const QCPRange y = curvePlot_->yAxis->range();
  const double pad = y.size() > 0 ? 0.05 * y.size() : std::max(1.0, std::abs(y.center()) * 0.1);
  curvePlot_->yAxis->setRange(y.lower - pad, y.upper + pad);
  curvePlot_->replot();
}

QStringList CompareView::legendLabels() const {
  QStringList labels;
  for (int i = 0; i < curvePlot_->legend->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(curvePlot_->legend->item(i))) {
      const QStringList chunks = item->plottable()->property(kChunksProperty).toStringList();
      labels << (chunks.isEmpty() ? item->plottable()->name() : chunks.join(QLatin1Char(' ')));
    }
  return labels;
}

void CompareView::rebuildDiff() {
  diffKeys_.clear();
  diffTable_->clear();
  diffTable_->setRowCount(0);
  diffTable_->setColumnCount(int(runs_.size()));
  if (runs_.empty()) return;
  std::vector<QJsonObject> configs;
  std::set<QString> keys;
  for (const RunData& r : runs_) {
    configs.push_back(r.shown);  // a tuned run's tau/beta read "start → final"
    for (const QString& k : configs.back().keys()) keys.insert(k);
  }
  for (const QString& key : keys) {
    const QJsonValue first = configs[0].value(key);
    for (size_t i = 1; i < configs.size(); ++i) {
      if (configs[i].value(key) != first) {
        diffKeys_ << key;
        break;
      }
    }
  }
  // "#2 iql pendul…a=10 seed=0": the id first, the name elided in the middle (names tend to differ at
  // the end; whole in the tooltip), so the columns fit
  const QFontMetrics fm(diffTable_->horizontalHeader()->font());
  for (int col = 0; col < int(runs_.size()); ++col) {
    const RunData& r = runs_[size_t(col)];
    const QString name = fm.elidedText(qs(r.info.name), Qt::ElideMiddle, 190);
    auto* header = new QTableWidgetItem(QStringLiteral("#%1 %2").arg(r.info.id).arg(name));
    header->setToolTip(QStringLiteral("#%1 %2").arg(r.info.id).arg(qs(r.info.name)));
    diffTable_->setHorizontalHeaderItem(col, header);
  }
  diffTable_->setRowCount(diffKeys_.size());
  diffTable_->setVerticalHeaderLabels(diffKeys_);
  for (int row = 0; row < diffKeys_.size(); ++row) {
    for (int col = 0; col < int(configs.size()); ++col) {
      auto* item = new QTableWidgetItem(jsonText(configs[size_t(col)].value(diffKeys_[row])));
      item->setTextAlignment(Qt::AlignCenter);
      diffTable_->setItem(row, col, item);
    }
  }
  // room for up to eight differing keys without a scroll bar
  const int rows = std::min(8, std::max(1, int(diffKeys_.size())));
  diffTable_->setMinimumHeight(diffTable_->horizontalHeader()->sizeHint().height() +
                               rows * diffTable_->verticalHeader()->defaultSectionSize() +
                               2 * diffTable_->frameWidth() + 2);
  diffTable_->setToolTip(diffKeys_.isEmpty() && runs_.size() > 1
                             ? tr("The compared runs have identical configurations")
                             : QString());
}

QCustomPlot* CompareView::heatmapPlot() const { return heatmap_->plot(); }
QCPColorMap* CompareView::heatMap() const { return heatmap_->colorMap(); }
QString CompareView::heatmapDataset() const { return heatmap_->dataset(); }
double CompareView::heatmapValue(double tau, double beta) const { return heatmap_->value(tau, beta); }
QVector<double> CompareView::heatmapTaus() const { return heatmap_->taus(); }
QVector<double> CompareView::heatmapBetas() const { return heatmap_->betas(); }

void CompareView::rebuildHeatmap() {
  QVector<QPair<double, double>> highlight;
  for (const RunData& r : runs_) highlight << qMakePair(r.finalTau, r.finalBeta);
  try {
    heatmap_->rebuild(store_.get(), runIds(), highlight);
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
  }
}

}  // namespace iqlui
