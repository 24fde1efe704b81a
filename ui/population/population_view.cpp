#include "ui/population/population_view.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <set>

#include "core/train/population_grid.h"
#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcp.h"
#include "ui/population/grid_colour_scale.h"
#include "ui/population/member_palette.h"
#include "ui/population/ope_scatter.h"
#include "ui/runs/run_device_facts.h"
#include "ui/session/training_session.h"

namespace iqlui {

namespace {
std::vector<double> parseList(const QString& text, const QString& what) {
  std::vector<double> out;
  for (const auto& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double v = part.trimmed().toDouble(&ok);
    if (!ok) throw iql::ConfigError(what.toStdString() + ": '" + part.trimmed().toStdString() + "' is not a number");
    out.push_back(v);
  }
  if (out.empty()) throw iql::ConfigError(what.toStdString() + ": give at least one value");
  return out;
}
QVector<double> distinct(const std::vector<iql::TrainConfig>& ms, double iql::TrainConfig::*f) {
  std::set<double> s;
  for (const auto& m : ms) s.insert(m.*f);
  return QVector<double>(s.begin(), s.end());
}
// Room between legend rows and columns: the shared style's tight rows made wrapped member rows
// overlap. (The plot's legend already wraps to its width: placeLegendBelow.)
void spaceLegend(MetricPlot* p) {
  QCustomPlot* plot = p->plot();
  plot->legend->setRowSpacing(2);
  plot->legend->setColumnSpacing(14);
}
const QStringList kMetrics = {"v_loss", "q_loss", "actor_loss", "adv_mean", "adv_std", "awr_ess", "awr_clip_frac",
                              "q_mean", "policy_std"};
}  // namespace

PopulationView::PopulationView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QHBoxLayout;
  tauEdit_ = new QLineEdit(QStringLiteral("0.5, 0.7, 0.9"), this);
  betaEdit_ = new QLineEdit(QStringLiteral("1, 3, 10"), this);
  seedEdit_ = new QLineEdit(QStringLiteral("0"), this);
  tauEdit_->setToolTip(tr("Expectile tau of each member: comma-separated values"));
  betaEdit_->setToolTip(tr("Inverse temperature beta of each member: comma-separated values"));
  seedEdit_->setToolTip(tr("Seeds: every tau x beta cell is trained once per seed"));
  for (auto* e : {tauEdit_, betaEdit_, seedEdit_}) connect(e, &QLineEdit::textChanged, this, &PopulationView::updatePlan);
  form->addWidget(new QLabel(tr("Vary τ:"), this));
  form->addWidget(tauEdit_, 2);
  form->addWidget(new QLabel(tr("β:"), this));
  form->addWidget(betaEdit_, 2);
  form->addWidget(new QLabel(tr("seeds:"), this));
  form->addWidget(seedEdit_, 1);
  planLabel_ = new QLabel(this);
  form->addWidget(planLabel_);
  trainButton_ = new QPushButton(tr("Train population"), this);
  trainButton_->setToolTip(tr("Train every combination as one batched model; each member is stored as its own run"));
  stopButton_ = new QPushButton(tr("Stop"), this);
  stopButton_->setEnabled(false);
  connect(trainButton_, &QPushButton::clicked, this, &PopulationView::startPopulation);
  connect(stopButton_, &QPushButton::clicked, this, &PopulationView::stopPopulation);
  form->addWidget(trainButton_);
  form->addWidget(stopButton_);
  layout->addLayout(form);
  statusLabel_ = new QLabel(tr("Other settings (dataset, steps, learning rates, ...) come from the panels on the left."), this);
  statusLabel_->setWordWrap(true);
  layout->addWidget(statusLabel_);

  auto* split = new QSplitter(Qt::Horizontal, this);
  auto* plots = new QWidget(split);
  auto* pl = new QVBoxLayout(plots);
  pl->setContentsMargins(0, 0, 0, 0);
  auto* metricRow = new QHBoxLayout;
  metricRow->addWidget(new QLabel(tr("Metric:"), plots));
  metricBox_ = new QComboBox(plots);
  metricBox_->addItems(kMetrics);
  metricRow->addWidget(metricBox_);
  metricRow->addStretch(1);
  pl->addLayout(metricRow);
  metricPlot_ = new MetricPlot(tr("Members: v_loss"), tr("v_loss"), plots);
  scorePlot_ = new MetricPlot(tr("Members: evaluation"), tr("normalised score"), plots);
  scorePlot_->setSmoothing(0.0);
  pl->addWidget(metricPlot_, 1);
  pl->addWidget(scorePlot_, 1);
  opeScatter_ = new OpeScatter(plots);
  opeScatter_->setVisible(false);  // until the members have offline estimates
  connect(opeScatter_, &OpeScatter::estimatesChanged, opeScatter_, &QWidget::setVisible);
  pl->addWidget(opeScatter_, 1);
  spaceLegend(metricPlot_);
  spaceLegend(scorePlot_);
  connect(metricBox_, &QComboBox::currentTextChanged, this, &PopulationView::rebuildMetricCurves);
  auto* gridBox = new QWidget(split);
  auto* gl = new QVBoxLayout(gridBox);
  gl->setContentsMargins(0, 0, 0, 0);
  gridTitle_ = new QLabel(gridBox);
  gridTitle_->setObjectName(QStringLiteral("gridTitle"));
  gridTitle_->setWordWrap(true);
  grid_ = new QTableWidget(gridBox);
  grid_->setToolTip(tr("Latest evaluation of each tau x beta cell (mean over seeds)"));
  grid_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  grid_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  grid_->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  gridScale_ = new GridColourScale(gridBox);
  gridScale_->setToolTip(tr("Cell colours run from the lowest to the highest cell shown"));
  gl->addWidget(gridTitle_);
  gl->addWidget(grid_, 1);
  gl->addWidget(gridScale_);
  split->addWidget(plots);
  split->addWidget(gridBox);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);
  updatePlan();
  updateGridTitle();
}

PopulationView::~PopulationView() = default;

void PopulationView::setVaryLists(const QString& taus, const QString& betas, const QString& seeds) {
  tauEdit_->setText(taus);
  betaEdit_->setText(betas);
  seedEdit_->setText(seeds);
}

std::vector<iql::TrainConfig> PopulationView::plannedMembers() const {
  iql::TrainConfig base = baseConfig_ ? baseConfig_() : iql::TrainConfig{};
  iql::ValueLists lists = {{"expectile", parseList(tauEdit_->text(), QStringLiteral("tau"))},
                           {"temperature", parseList(betaEdit_->text(), QStringLiteral("beta"))},
                           {"seed", parseList(seedEdit_->text(), QStringLiteral("seeds"))}};
  return iql::population_grid(base, lists);
}

void PopulationView::updatePlan() {
  try {
    const auto n = plannedMembers().size();
    planLabel_->setText(tr("%n member(s)", nullptr, static_cast<int>(n)));
    trainButton_->setEnabled(!(session_ && session_->isActive()));
  } catch (const iql::UserError& e) {
    planLabel_->setText(QString::fromStdString(e.what()));
    trainButton_->setEnabled(false);
  }
}

QString PopulationView::memberLabel(int k) const {
  const auto& m = members_[k];
  QString s = QStringLiteral("τ%1 β%2").arg(m.expectile).arg(m.temperature);
  bool seeds = false;
  for (const auto& o : members_) seeds = seeds || o.seed != members_[0].seed;
  if (seeds) s += QStringLiteral(" s%1").arg(m.seed);
  return s;
}

QColor PopulationView::memberColor(int k) const { return memberPaletteColor(k); }

void PopulationView::updateGridTitle() {
  gridTitle_->setText(scoresNormalised_ ? tr("<b>Normalised score</b> (latest evaluation, mean over seeds)")
                                        : tr("<b>Evaluation return</b> (latest, mean over seeds)"));
}

QString PopulationView::onDevice() const { return deviceText_.isEmpty() ? QString() : tr(" on %1").arg(deviceText_); }

void PopulationView::startPopulation() {
  std::vector<iql::TrainConfig> ms;
  try {
    ms = plannedMembers();
    if (auto why = iql::population_mismatch(ms); !why.empty()) throw iql::ConfigError(why);
  } catch (const iql::UserError& e) {
    statusLabel_->setText(tr("Cannot start: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  members_ = ms;
  taus_ = distinct(ms, &iql::TrainConfig::expectile);
  betas_ = distinct(ms, &iql::TrainConfig::temperature);
  history_ = QVector<QVector<MetricSample>>(static_cast<int>(ms.size()));
  latestScore_ = QVector<double>(static_cast<int>(ms.size()), std::nan(""));
  scoresNormalised_ = false;
  updateGridTitle();
  metricPlot_->clear();
  scorePlot_->clear();
  rebuildMetricCurves();
  rebuildGrid();
  session_ = std::make_unique<TrainingSession>();
  connect(session_.get(), &TrainingSession::memberMetricsBatch, this, &PopulationView::onMetrics);
  connect(session_.get(), &TrainingSession::memberEvaluation, this, &PopulationView::onEvaluation);
  deviceText_.clear();
  connect(session_.get(), &TrainingSession::membersStarted, this, [this](const QString& id, const QVector<qint64>& runs) {
    // The members share one batched model, so one device; the run stored it before this signal.
    const RunDeviceFacts device = runs.isEmpty() ? RunDeviceFacts{} : runDeviceFacts(dbPath_, runs.front());
    deviceText_ = device.text;
    statusLabel_->setToolTip(device.known() ? tr("Device: %1").arg(device.text) : QString());
    statusLabel_->setText(tr("Population %1: %2 members, runs #%3 to #%4").arg(id).arg(runs.size())
                              .arg(runs.isEmpty() ? 0 : runs.front()).arg(runs.isEmpty() ? 0 : runs.back()) + onDevice());
    showOfflineEstimates(dbPath_, runs);
    Q_EMIT populationStarted(id);
  });
  connect(session_.get(), &TrainingSession::progress, this, [this](qint64 step, qint64 total, double sps) {
    statusLabel_->setText(tr("Population %1: step %2 / %3, %4 steps/s × %5 members = %6 member-steps/s")
                              .arg(session_->populationId()).arg(step).arg(total).arg(sps, 0, 'f', 0)
                              .arg(members_.size()).arg(sps * members_.size(), 0, 'f', 0) + onDevice());
  });
  connect(session_.get(), &TrainingSession::finished, this, [this](const QString& status, qint64) {
    stopButton_->setEnabled(false);
    updatePlan();
    statusLabel_->setText(tr("Population %1 %2%3; its members are in the Runs tab.")
                              .arg(session_->populationId(), status, onDevice()));
    opeScatter_->refresh();
    Q_EMIT populationFinished(status);
  });
  connect(session_.get(), &TrainingSession::failed, this, [this](const QString& message) {
    stopButton_->setEnabled(false);
    updatePlan();
    statusLabel_->setText(tr("Population failed: %1").arg(message));
    Q_EMIT populationFailed(message);
  });
  trainButton_->setEnabled(false);
  stopButton_->setEnabled(true);
  statusLabel_->setText(tr("Starting %1 members…").arg(ms.size()));
  session_->startPopulation(ms, dbPath_);
}

void PopulationView::showOfflineEstimates(const QString& dbPath, const QVector<qint64>& runIds) {
  try {
    opeScatter_->setStore(std::make_shared<iql::RunStore>(dbPath.toStdString(), iql::RunStore::Mode::read_only));
    opeScatter_->setRuns(QList<qint64>(runIds.begin(), runIds.end()));
  } catch (const std::exception& e) {
    statusLabel_->setText(tr("Offline estimates not read: %1").arg(QString::fromUtf8(e.what())));
  }
}

// `iql ope` runs outside the workbench: its estimates are read again whenever the tab comes back.
void PopulationView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (session_ && !(session_->isActive())) opeScatter_->refresh();
}

void PopulationView::stopPopulation() {
  if (session_) session_->stop();
}

void PopulationView::rebuildMetricCurves() {
  const QString key = metricBox_->currentText();
  metricPlot_->clear();
  for (int k = 0; k < static_cast<int>(members_.size()); ++k) {
    const QString series = QStringLiteral("m%1").arg(k);
    if (!metricPlot_->hasSeries(series)) metricPlot_->addSeries(series, memberLabel(k), memberColor(k));
    for (const auto& s : history_[k]) {
      const double v = s.value(key);
      if (std::isfinite(v)) metricPlot_->appendPoint(series, static_cast<double>(s.step), v);
    }
    const QString score = QStringLiteral("m%1").arg(k);
    if (!scorePlot_->hasSeries(score))
      scorePlot_->addSeries(score, memberLabel(k), memberColor(k), MetricPlot::Axis::Left, false);
  }
}

void PopulationView::onMetrics(int member, const QVector<MetricSample>& batch) {
  if (member < 0 || member >= history_.size()) return;
  history_[member] += batch;
  const QString key = metricBox_->currentText(), series = QStringLiteral("m%1").arg(member);
  for (const auto& s : batch) {
    const double v = s.value(key);
    if (std::isfinite(v)) metricPlot_->appendPoint(series, static_cast<double>(s.step), v);
  }
}

void PopulationView::onEvaluation(int member, const EvalSample& e) {
  if (member < 0 || member >= latestScore_.size()) return;
  const double v = e.hasScore ? e.score : e.returnMean;
  latestScore_[member] = v;
  if (e.hasScore && !scoresNormalised_) {
    scoresNormalised_ = true;
    updateGridTitle();
  }
  scorePlot_->appendPoint(QStringLiteral("m%1").arg(member), static_cast<double>(e.step), v);
  rebuildGrid();
}

void PopulationView::rebuildGrid() {
  grid_->clear();
  grid_->setRowCount(taus_.size());
  grid_->setColumnCount(betas_.size());
  QStringList rows, cols;
  for (double t : taus_) rows << QStringLiteral("τ %1").arg(t);
  for (double b : betas_) cols << QStringLiteral("β %1").arg(b);
  grid_->setVerticalHeaderLabels(rows);
  grid_->setHorizontalHeaderLabels(cols);
  double lo = INFINITY, hi = -INFINITY;
  QVector<QVector<double>> cell(taus_.size(), QVector<double>(betas_.size(), std::nan("")));
  QVector<QVector<int>> count(taus_.size(), QVector<int>(betas_.size(), 0));
  for (int r = 0; r < taus_.size(); ++r)
    for (int c = 0; c < betas_.size(); ++c) {
      double sum = 0;
      int n = 0;
      for (int k = 0; k < static_cast<int>(members_.size()); ++k)
        if (members_[k].expectile == taus_[r] && members_[k].temperature == betas_[c] && std::isfinite(latestScore_[k])) {
          sum += latestScore_[k];
          ++n;
        }
      count[r][c] = n;
      if (n > 0) {
        cell[r][c] = sum / n;
        lo = std::min(lo, cell[r][c]);
        hi = std::max(hi, cell[r][c]);
      }
    }
  for (int r = 0; r < taus_.size(); ++r)
    for (int c = 0; c < betas_.size(); ++c) {
      auto* item = new QTableWidgetItem(std::isfinite(cell[r][c]) ? QString::number(cell[r][c], 'f', 1) : tr("—"));
      item->setTextAlignment(Qt::AlignCenter);
      if (std::isfinite(cell[r][c])) {
        const double t = hi > lo ? (cell[r][c] - lo) / (hi - lo) : 1.0;  // white (worst) to green (best)
        item->setBackground(gridCellColor(t));
        item->setToolTip(tr("τ %1, β %2: %3 over %n seed(s)", nullptr, count[r][c])
                             .arg(taus_[r]).arg(betas_[c]).arg(cell[r][c], 0, 'f', 2));
      }
      grid_->setItem(r, c, item);
    }
  gridScale_->setRange(std::isfinite(lo) ? lo : std::nan(""), std::isfinite(hi) ? hi : std::nan(""));
}

}  // namespace iqlui
