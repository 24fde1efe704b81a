#include "ui/runs/aggregate_stats_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QVariantList>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>
#include <exception>

#include "core/store/run_store.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"

namespace iqlui {

namespace {

QString scoreText(double v) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 1); }
QString probabilityText(double v) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 2); }

// "1 run", "12 runs" (the workbench ships no translations, so tr's %n plural forms would read "run(s)")
QString counted(qint64 n, const char* one, const char* many) {
  return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

// The point over its interval: two short lines keep four such columns inside the Runs tab's lower half
// at 1100 px (one line each cut the optimality gap off).
QTableWidgetItem* intervalItem(const iql::stats::Interval& i, QString (*text)(double), bool twoLines = true) {
  auto* item = new QTableWidgetItem(QStringLiteral("%1%2[%3, %4]").arg(text(i.point), twoLines ? QStringLiteral("\n") : QStringLiteral("  "), text(i.low), text(i.high)));
  item->setData(Qt::UserRole, QVariantList{i.point, i.low, i.high});
  item->setTextAlignment(Qt::AlignCenter);
  return item;
}

QTableWidget* makeTable(QWidget* parent) {
  auto* t = new QTableWidget(parent);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setSelectionMode(QAbstractItemView::NoSelection);
  t->setAlternatingRowColors(true);
  t->setMinimumHeight(3 * t->fontMetrics().height());
  t->verticalHeader()->setVisible(false);
  t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  t->horizontalHeader()->setStretchLastSection(true);
  return t;
}

QCustomPlot* makePlot(QWidget* parent, const QString& title, const QString& x, const QString& y) {
  auto* plot = new QCustomPlot(parent);
  plot->setMinimumSize(240, 120);  // the Runs tab's lower half is about 400 px tall at 1100x700
  applyPlotStyle(plot, title);
  placeLegendBelow(plot);
  plot->legend->setVisible(true);
  plot->xAxis->setLabel(x);
  plot->yAxis->setLabel(y);
  return plot;
}

// A line with a translucent band between low and high (bands with NaN bounds are left out).
void drawBand(QCustomPlot* plot, const QVector<double>& x, const QVector<double>& point, const QVector<double>& low,
              const QVector<double>& high, const QColor& color, const QString& name) {
  QColor fill = color;
  fill.setAlpha(50);
  QCPGraph* lower = plot->addGraph();
  lower->setPen(Qt::NoPen);
  lower->setData(x, low, true);
  lower->removeFromLegend();
  QCPGraph* upper = plot->addGraph();
  upper->setPen(Qt::NoPen);
  upper->setBrush(fill);
  upper->setChannelFillGraph(lower);
  upper->setData(x, high, true);
  upper->removeFromLegend();
  QCPGraph* line = plot->addGraph();
  line->setPen(QPen(color, 2.0));
  line->setName(name);
  line->setData(x, point, true);
  if (x.size() == 1) line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
}

}  // namespace

AggregateStatsPanel::AggregateStatsPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 2, 0, 0);
  buildControls(layout);
  caption_ = new QLabel(this);
  caption_->setObjectName(QStringLiteral("aggregateCaption"));
  caption_->setWordWrap(true);
  caption_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // Its height follows its width by hand (fitCaptionHeight): a height-for-width child made the scroll
  // area around this panel size it to its preferred height, and scroll, in the Runs tab's lower half.
  QSizePolicy policy = caption_->sizePolicy();
  policy.setHeightForWidth(false);
  caption_->setSizePolicy(policy);
  layout->addWidget(caption_);

  auto* split = new QSplitter(Qt::Horizontal, this);
  auto* tables = new QSplitter(Qt::Vertical, split);
  table_ = makeTable(tables);
  table_->setColumnCount(ColumnCount);
  table_->verticalHeader()->setDefaultSectionSize(2 * table_->fontMetrics().height() + 8);
  table_->setWordWrap(false);
  table_->horizontalHeader()->setStretchLastSection(false);  // a wide gap column read as a different kind
  table_->setHorizontalHeaderLabels({tr("Group"), tr("Runs"), tr("Mean"), tr("Median"), tr("IQM"), tr("Optimality\ngap")});
  table_->horizontalHeaderItem(GapColumn)->setToolTip(tr("Mean shortfall below an expert (100), scores above 100 counting as 100: lower is better"));
  table_->horizontalHeaderItem(IqmColumn)->setToolTip(tr("Interquartile mean: the mean of the middle 50% of all runs' scores"));
  table_->horizontalHeaderItem(MedianColumn)->setToolTip(tr("Median over datasets of each dataset's mean over runs"));
  improvement_ = makeTable(tables);
  improvement_->setColumnCount(3);
  improvement_->setHorizontalHeaderLabels({tr("X"), tr("Y"), tr("P(X > Y)  [95% interval]")});
  improvement_->setToolTip(tr("Probability that a run of X scores above a run of Y on the same dataset (Mann-Whitney, "
                              "ties count one half), averaged over the datasets both have"));
  tables->addWidget(table_);
  tables->addWidget(improvement_);
  auto* plots = new QTabWidget(split);
  profilePlot_ = makePlot(plots, QString(), tr("normalised score τ"), tr("fraction of runs > τ"));
  curvePlot_ = makePlot(plots, QString(), tr("step"), tr("IQM of normalised score"));
  plots->addTab(profilePlot_, tr("Performance profile"));
  plots->addTab(curvePlot_, tr("IQM curves"));
  split->addWidget(tables);
  split->addWidget(plots);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  watcher_ = new QFutureWatcher<StatsOutcome>(this);
  connect(watcher_, &QFutureWatcher<StatsOutcome>::finished, this, &AggregateStatsPanel::onComputed);
  caption_->setText(tr("No runs compared."));
  fitCaptionHeight();
}

AggregateStatsPanel::~AggregateStatsPanel() { watcher_->waitForFinished(); }

void AggregateStatsPanel::buildControls(QVBoxLayout* layout) {
  // The controls never widen the compare view (its curves tab fits a 560 px pane); below ~650 px,
  // narrower than the pane in a 1100 px window, they are clipped at the right.
  auto* controls = new QWidget(this);
  controls->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
  auto* row = new QHBoxLayout(controls);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Group by:"), this));
  groupBy_ = new QComboBox(this);
  groupBy_->addItem(tr("algorithm"), int(iql::stats::GroupBy::Algorithm));
  groupBy_->addItem(tr("configuration"), int(iql::stats::GroupBy::Config));
  groupBy_->setToolTip(tr("Configuration: runs whose settings differ only in seed and dataset form one group"));
  row->addWidget(groupBy_);
  row->addSpacing(10);
  row->addWidget(new QLabel(tr("Evaluation:"), this));
  evaluation_ = new QComboBox(this);
  evaluation_->addItem(tr("last"), int(iql::stats::EvalChoice::Last));
  evaluation_->addItem(tr("best"), int(iql::stats::EvalChoice::Best));
  evaluation_->addItem(tr("final"), int(iql::stats::EvalChoice::Final));
  evaluation_->setToolTip(tr("Each run's last evaluation, its best one, or its final evaluation on many episodes "
                             "(iql runs final-eval)"));
  row->addWidget(evaluation_);
  row->addSpacing(10);
  row->addWidget(new QLabel(tr("Resamples:"), this));
  resamples_ = new QSpinBox(this);
  resamples_->setRange(100, 100000);
  resamples_->setSingleStep(1000);
  resamples_->setValue(2000);
  resamples_->setToolTip(tr("Bootstrap resamples behind every interval"));
  row->addWidget(resamples_);
  row->addSpacing(10);
  row->addWidget(new QLabel(tr("Seed:"), this));
  seed_ = new QSpinBox(this);
  seed_->setRange(0, 1 << 30);
  seed_->setToolTip(tr("Seed of the bootstrap's generator: same seed, same intervals"));
  row->addWidget(seed_);
  row->addStretch(1);
  layout->addWidget(controls);
  for (QComboBox* c : {groupBy_, evaluation_})
    connect(c, &QComboBox::currentIndexChanged, this, &AggregateStatsPanel::recompute);
  for (QSpinBox* s : {resamples_, seed_}) {
    s->setKeyboardTracking(false);  // typing 5000 computes once, not for 5, 50, 500
    connect(s, &QSpinBox::valueChanged, this, &AggregateStatsPanel::recompute);
  }
}

void AggregateStatsPanel::setStore(std::shared_ptr<iql::RunStore> store) {
  store_ = std::move(store);
  runIds_.clear();
  recompute();
}

void AggregateStatsPanel::setRuns(const QList<qint64>& runIds) {
  runIds_ = runIds;
  recompute();
}

void AggregateStatsPanel::refresh() { recompute(); }

bool AggregateStatsPanel::computing() const { return watcher_->isRunning(); }

StatsRequest AggregateStatsPanel::request() const {
  StatsRequest r;
  r.db = store_ ? store_->path() : std::string();
  r.runIds = store_ ? runIds_ : QList<qint64>{};
  r.groupBy = iql::stats::GroupBy(groupBy_->currentData().toInt());
  r.eval = iql::stats::EvalChoice(evaluation_->currentData().toInt());
  r.bootstrap.resamples = resamples_->value();
  r.bootstrap.seed = std::uint64_t(seed_->value());
  return r;
}

void AggregateStatsPanel::recompute() {
  if (watcher_->isRunning()) {  // the newest request runs when this one lands
    pending_ = true;
    return;
  }
  pending_ = false;
  const StatsRequest r = request();
  watcher_->setFuture(QtConcurrent::run([r] { return computeAggregateStats(r); }));
}

void AggregateStatsPanel::onComputed() {
  if (pending_) {
    recompute();
    return;
  }
  outcome_ = watcher_->result();
  fillTable();
  fillImprovements();
  drawProfiles();
  drawCurves();
  updateCaption();
  Q_EMIT resultsReady();
}

void AggregateStatsPanel::updateCaption() {
  const StatsRequest& r = outcome_.request;
  const QString name = QString::fromStdString(iql::stats::eval_choice_name(r.eval));
  QString which;
  switch (r.eval) {
    case iql::stats::EvalChoice::Last: which = tr("each run's last in-training evaluation"); break;
    case iql::stats::EvalChoice::Best: which = tr("each run's best in-training evaluation, biased upwards"); break;
    case iql::stats::EvalChoice::Final:
      which = outcome_.finalEpisodesMin == outcome_.finalEpisodesMax
                  ? tr("each run's final evaluation, %1").arg(counted(outcome_.finalEpisodesMax, "episode", "episodes"))
                  : tr("each run's final evaluation, %1–%2 episodes").arg(outcome_.finalEpisodesMin).arg(outcome_.finalEpisodesMax);
      break;
  }
  QStringList parts;
  parts << tr("Evaluation: %1 (%2), normalised score").arg(name, which);
  parts << tr("95% stratified-bootstrap intervals (runs resampled within each dataset), %1 resamples, seed %2")
               .arg(QLocale().toString(r.bootstrap.resamples))
               .arg(r.bootstrap.seed);
  if (outcome_.error.isEmpty()) {
    parts << counted(qint64(outcome_.set.groups.size()), "group", "groups") + QStringLiteral(", ") +
                 counted(outcome_.runs(), "run", "runs") + QStringLiteral(", ") +
                 counted(qint64(outcome_.set.tasks.size()), "dataset", "datasets");
    parts << tr("IQM curves: every in-training evaluation");
  } else {
    parts << outcome_.error;
  }
  if (outcome_.leftOut > 0 && outcome_.error.isEmpty())
    parts << tr("%1 without a %2 evaluation left out").arg(counted(outcome_.leftOut, "compared run", "compared runs"), name);
  parts << tr("computed in %1 ms").arg(outcome_.milliseconds, 0, 'f', 0);
  caption_->setText(parts.join(QStringLiteral(" · ")));
  fitCaptionHeight();
}

void AggregateStatsPanel::fitCaptionHeight() {
  // the caption spans the panel (no side margins): its width is known before the layout gives it
  caption_->setFixedHeight(caption_->heightForWidth(std::max(width(), 300)));
}

void AggregateStatsPanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitCaptionHeight();
}

void AggregateStatsPanel::fillTable() {
  table_->setRowCount(0);
  const auto& groups = outcome_.report.groups;
  table_->setRowCount(int(groups.size()));
  for (int g = 0; g < int(groups.size()); ++g) {
    const auto& group = groups[size_t(g)];
    auto* label = new QTableWidgetItem(QString::fromStdString(group.label));
    QStringList ids;
    for (const auto& task : outcome_.set.groups[size_t(g)].runs)
      for (const auto& run : task) ids << QStringLiteral("#%1").arg(run.run_id);
    label->setToolTip(tr("Runs %1").arg(ids.join(QLatin1Char(' '))));
    label->setForeground(seriesColor(g));
    table_->setItem(g, GroupColumn, label);
    auto* runs = new QTableWidgetItem(QString::number(group.runs));
    runs->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    runs->setToolTip(counted(qint64(group.tasks), "dataset", "datasets"));
    table_->setItem(g, RunsColumn, runs);
    const auto& a = group.aggregates;
    table_->setItem(g, MeanColumn, intervalItem(a.mean, scoreText));
    table_->setItem(g, MedianColumn, intervalItem(a.median, scoreText));
    table_->setItem(g, IqmColumn, intervalItem(a.iqm, scoreText));
    table_->setItem(g, GapColumn, intervalItem(a.optimality_gap, scoreText));
  }
}

void AggregateStatsPanel::fillImprovements() {
  const auto& groups = outcome_.report.groups;
  const auto& pairs = outcome_.report.improvements;
  improvement_->setRowCount(0);
  improvement_->setRowCount(int(pairs.size()));
  int row = 0;
  for (const auto& p : pairs) {
    auto* x = new QTableWidgetItem(QString::fromStdString(groups[p.x].label));
    x->setForeground(seriesColor(int(p.x)));
    auto* y = new QTableWidgetItem(QString::fromStdString(groups[p.y].label));
    y->setForeground(seriesColor(int(p.y)));
    improvement_->setItem(row, 0, x);
    improvement_->setItem(row, 1, y);
    QTableWidgetItem* prob = intervalItem(p.probability, probabilityText, false);
    if (p.shared_tasks == 0) prob->setText(tr("no dataset in common"));
    prob->setToolTip(tr("over %1").arg(counted(qint64(p.shared_tasks), "shared dataset", "shared datasets")));
    prob->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    improvement_->setItem(row++, 2, prob);
  }
  improvement_->setVisible(!pairs.empty());
}

void AggregateStatsPanel::drawProfiles() {
  profilePlot_->clearGraphs();
  const auto& taus = outcome_.report.profile_taus;
  const QVector<double> x(taus.begin(), taus.end());
  for (size_t g = 0; g < outcome_.report.groups.size(); ++g) {
    QVector<double> point, low, high;
    for (const auto& p : outcome_.report.groups[g].profile) {
      point << p.fraction.point;
      low << p.fraction.low;
      high << p.fraction.high;
    }
    drawBand(profilePlot_, x, point, low, high, seriesColor(int(g)), QString::fromStdString(outcome_.report.groups[g].label));
  }
  profilePlot_->xAxis->setRange(x.isEmpty() ? 0.0 : x.front(), x.isEmpty() ? 100.0 : x.back());
  profilePlot_->yAxis->setRange(-0.02, 1.02);
  profilePlot_->legend->setVisible(profilePlot_->legend->itemCount() > 0);
  profilePlot_->replot();
}

void AggregateStatsPanel::drawCurves() {
  curvePlot_->clearGraphs();
  for (size_t g = 0; g < outcome_.report.groups.size(); ++g) {
    QVector<double> x, point, low, high;
    for (const auto& c : outcome_.report.groups[g].iqm_curve) {
      x << double(c.step);
      point << c.iqm.point;
      low << c.iqm.low;
      high << c.iqm.high;
    }
    drawBand(curvePlot_, x, point, low, high, seriesColor(int(g)), QString::fromStdString(outcome_.report.groups[g].label));
  }
  curvePlot_->legend->setVisible(curvePlot_->legend->itemCount() > 0);
  curvePlot_->rescaleAxes();
  const QCPRange y = curvePlot_->yAxis->range();
  const double pad = y.size() > 0 ? 0.05 * y.size() : 1.0;
  curvePlot_->yAxis->setRange(y.lower - pad, y.upper + pad);
  curvePlot_->replot();
}

}  // namespace iqlui
