#include "ui/population/ope_scatter.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <exception>
#include <set>

#include "core/ope/true_scores.h"
#include "core/store/run_store.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"
#include "ui/runs/run_table_model.h"

namespace iqlui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString num(double v) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 2); }

// "1 run", "12 runs" (the workbench ships no translations, so tr's %n plural forms would read "run(s)")
QString counted(qint64 n, const char* one, const char* many) {
  return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}
QString intervalText(const iql::stats::Interval& i) {
  return QStringLiteral("%1 [%2, %3]").arg(num(i.point), num(i.low), num(i.high));
}

// The estimator's own interval (iql ope stores a bootstrap over initial states as low/high, and
// normalized_low/normalized_high); a TD error has none (null bounds).
QString uncertaintyOf(const std::string& detailsJson, bool normalised) {
  const QJsonObject d = QJsonDocument::fromJson(QByteArray::fromStdString(detailsJson)).object();
  const QJsonValue lo = d.value(QLatin1String(normalised ? "normalized_low" : "low"));
  const QJsonValue hi = d.value(QLatin1String(normalised ? "normalized_high" : "high"));
  if (!lo.isDouble() || !hi.isDouble()) return {};
  return QStringLiteral("[%1, %2]").arg(num(lo.toDouble()), num(hi.toDouble()));
}

QString memberLabel(const iql::RunInfo& run) {
  QString label = QStringLiteral("#%1").arg(run.id);
  const double tau = configNumber(run.config_json, "expectile");
  const double beta = configNumber(run.config_json, "temperature");
  if (run.algorithm != "bc" && !std::isnan(tau) && !std::isnan(beta))
    label += QStringLiteral(" τ %1 β %2").arg(tau, 0, 'g', 4).arg(beta, 0, 'g', 4);
  return label;
}

}  // namespace

OpeScatter::OpeScatter(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  QFont bold = font();
  bold.setBold(true);
  auto* title = new QLabel(tr("Offline estimate vs true score"), this);
  title->setFont(bold);
  row->addWidget(title);
  row->addSpacing(10);
  row->addWidget(new QLabel(tr("Estimate:"), this));
  methodCombo_ = new QComboBox(this);
  methodCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  methodCombo_->setToolTip(tr("Offline policy estimators stored for these members (iql ope)"));
  row->addWidget(methodCombo_);
  auto* reload = new QPushButton(tr("Reload"), this);
  reload->setToolTip(tr("Read the estimates and evaluations again (after iql ope or iql runs final-eval)"));
  row->addWidget(reload);
  row->addStretch(1);
  layout->addLayout(row);
  // the figures beside the plot, one per line: the row this widget gets in a view is wide and short
  auto* body = new QHBoxLayout;
  caption_ = new QLabel(this);
  caption_->setObjectName(QStringLiteral("opeCaption"));
  caption_->setWordWrap(true);
  caption_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  caption_->setFixedWidth(caption_->fontMetrics().horizontalAdvance(QStringLiteral("Spearman ρ 0.60 [-0.88, 1.00] regret")) + 12);
  stack_ = new QStackedWidget(this);
  plot_ = new QCustomPlot(stack_);
  plot_->setMinimumSize(240, 150);
  applyPlotStyle(plot_, QString());
  ranking_ = new QTableWidget(stack_);
  ranking_->setColumnCount(4);
  ranking_->setHorizontalHeaderLabels({tr("Rank"), tr("Member"), tr("Estimate"), tr("Uncertainty")});
  ranking_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  ranking_->setSelectionMode(QAbstractItemView::NoSelection);
  ranking_->verticalHeader()->setVisible(false);
  ranking_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  ranking_->horizontalHeader()->setStretchLastSection(true);
  stack_->addWidget(plot_);
  stack_->addWidget(ranking_);
  body->addWidget(stack_, 1);
  body->addWidget(caption_);
  layout->addLayout(body, 1);
  connect(methodCombo_, &QComboBox::currentIndexChanged, this, &OpeScatter::rebuild);
  connect(reload, &QPushButton::clicked, this, &OpeScatter::refresh);
}

void OpeScatter::setStore(std::shared_ptr<iql::RunStore> store) {
  store_ = std::move(store);
  refresh();
}

void OpeScatter::setRuns(const QList<qint64>& runIds) {
  runIds_ = runIds;
  refresh();
}

QString OpeScatter::currentMethod() const { return methodCombo_->currentText(); }

void OpeScatter::setMethod(const QString& method) {
  const int i = methodCombo_->findText(method);
  if (i >= 0) methodCombo_->setCurrentIndex(i);
}

bool OpeScatter::lowerIsBetter(const QString& method) { return method.contains(QLatin1String("error")); }

bool OpeScatter::showsScatter() const { return stack_->currentWidget() == plot_; }

void OpeScatter::refresh() {
  readMethods();
  rebuild();
  Q_EMIT estimatesChanged(hasEstimates());
}

void OpeScatter::readMethods() {
  std::set<QString> found;
  try {
    if (store_)
      for (qint64 id : runIds_)
        for (const auto& e : store_->ope_estimates(id)) found.insert(qs(e.method));
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
  }
  const QString previous = currentMethod();
  methods_ = QStringList(found.begin(), found.end());
  // FQE first: the estimator the cheap signals are measured against
  methods_.removeAll(QStringLiteral("fqe"));
  if (found.count(QStringLiteral("fqe"))) methods_.prepend(QStringLiteral("fqe"));
  const QSignalBlocker block(methodCombo_);
  methodCombo_->clear();
  methodCombo_->addItems(methods_);
  const int i = methodCombo_->findText(previous);
  if (i >= 0) methodCombo_->setCurrentIndex(i);
}

void OpeScatter::readMembers(const QString& method) {
  members_.clear();
  if (!store_ || method.isEmpty()) return;
  struct Raw {
    Member m;
    std::optional<double> estNorm, truthNorm;
    double estValue = 0.0, truthReturn = 0.0;
    std::string details;
  };
  std::vector<Raw> raws;
  for (qint64 id : runIds_) {
    const auto run = store_->get_run(id);
    if (!run) continue;
    const auto estimates = store_->ope_estimates(id);
    const iql::OpeEstimateRecord* latest = nullptr;  // by step: the latest checkpoint's
    for (const auto& e : estimates)
      if (qs(e.method) == method) latest = &e;
    if (!latest) continue;
    Raw r;
    r.m.runId = id;
    r.m.label = memberLabel(*run);
    r.details = latest->details_json;
    r.estNorm = latest->normalized_score;
    r.estValue = latest->value;
    if (const auto truth = iql::ope::true_score(*store_, id)) {  // iql ope's rule: final, else last evaluation
      r.m.truth = truth->return_mean;
      r.truthNorm = truth->normalized_score;
      r.truthReturn = truth->return_mean;
      r.m.truthIsFinal = truth->final_evaluation;
      r.m.truthEpisodes = truth->episodes;
    }
    raws.push_back(std::move(r));
  }
  estimateNormalised_ = !raws.empty() && std::all_of(raws.begin(), raws.end(), [](const Raw& r) { return r.estNorm.has_value(); });
  truthNormalised_ = std::any_of(raws.begin(), raws.end(), [](const Raw& r) { return r.m.truth.has_value(); }) &&
                     std::all_of(raws.begin(), raws.end(), [](const Raw& r) { return !r.m.truth || r.truthNorm; });
  for (Raw& r : raws) {
    r.m.estimate = estimateNormalised_ ? *r.estNorm : r.estValue;
    r.m.uncertainty = uncertaintyOf(r.details, estimateNormalised_);
    if (r.m.truth) r.m.truth = truthNormalised_ ? *r.truthNorm : r.truthReturn;
    members_ << r.m;
  }
}

void OpeScatter::rebuild() {
  const QString method = currentMethod();
  try {
    readMembers(method);
  } catch (const std::exception& e) {
    members_.clear();
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
  }
  int withTruth = 0;
  for (const Member& m : members_) withTruth += m.truth ? 1 : 0;
  if (withTruth >= 2) {
    drawScatter();
    stack_->setCurrentWidget(plot_);
  } else {
    fillRanking();
    stack_->setCurrentWidget(ranking_);
  }
}

void OpeScatter::drawScatter() {
  std::vector<double> est, truth;  // the members with a true score; an error negated (higher = better)
  QVector<double> xs, ys;
  int finals = 0, minEpisodes = 0, maxEpisodes = 0;
  for (const Member& m : members_) {
    if (!m.truth) continue;
    est.push_back(lowerIsBetter(currentMethod()) ? -m.estimate : m.estimate);
    truth.push_back(*m.truth);
    xs << m.estimate;
    ys << *m.truth;
    finals += m.truthIsFinal ? 1 : 0;
    minEpisodes = minEpisodes == 0 ? m.truthEpisodes : std::min(minEpisodes, m.truthEpisodes);
    maxEpisodes = std::max(maxEpisodes, m.truthEpisodes);
  }
  selection_ = iql::stats::selection_stats(est, truth, settings_);

  plot_->clearPlottables();
  plot_->clearItems();
  const QString method = currentMethod();
  const QString estScale = estimateNormalised_ ? tr("normalised score") : lowerIsBetter(method) ? tr("value") : tr("return");
  const QString truthScale = truthNormalised_ ? tr("normalised score") : tr("return");
  plot_->xAxis->setLabel(tr("%1 estimate (%2)").arg(method, estScale));
  plot_->yAxis->setLabel(tr("true %1").arg(truthScale));
  QCPGraph* points = plot_->addGraph();
  points->setLineStyle(QCPGraph::lsNone);
  points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColor(0), 7));
  points->setData(xs, ys);
  for (const Member& m : members_) {
    if (!m.truth) continue;
    auto* label = new QCPItemText(plot_);
    label->position->setCoords(m.estimate, *m.truth);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    label->setPadding(QMargins(5, 0, 0, 2));
    label->setText(QStringLiteral("#%1").arg(m.runId));
    label->setColor(QColor(90, 90, 90));
    QFont f = plot_->font();
    f.setPointSizeF(7.5);
    label->setFont(f);
  }
  plot_->rescaleAxes();
  for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
    const QCPRange r = axis->range();
    const double pad = r.size() > 0 ? 0.08 * r.size() : 1.0;
    axis->setRange(r.lower - pad, r.upper + pad * 1.5);
  }
  if (estimateNormalised_ == truthNormalised_ && !lowerIsBetter(method)) {  // one scale: y = x is a perfect estimate
    auto* diagonal = new QCPItemStraightLine(plot_);
    diagonal->point1->setCoords(0, 0);
    diagonal->point2->setCoords(1, 1);
    diagonal->setPen(QPen(QColor(160, 160, 160), 1, Qt::DashLine));
  }
  plot_->replot();

  QString truthText;
  if (finals == int(truth.size()))
    truthText = minEpisodes == maxEpisodes ? tr("final evaluation (%1 episodes)").arg(maxEpisodes)
                                           : tr("final evaluation (%1–%2 episodes)").arg(minEpisodes).arg(maxEpisodes);
  else if (finals == 0)
    truthText = tr("last evaluation (%1 episodes)").arg(maxEpisodes);
  else
    truthText = tr("final evaluation for %1 members, last evaluation for %2").arg(finals).arg(int(truth.size()) - finals);
  QStringList parts;
  parts << tr("%1 vs true score").arg(method);
  parts << tr("truth: %1, %2").arg(truthText, counted(qint64(truth.size()), "member", "members"));
  parts << tr("Spearman ρ %1").arg(intervalText(selection_.spearman));
  parts << tr("regret@1 %1").arg(intervalText(selection_.regret_at_1));
  parts << tr("regret@3 %1").arg(intervalText(selection_.regret_at_3));
  QString note = tr("95% bootstrap intervals over members, %1 resamples, seed %2")
                     .arg(QLocale().toString(settings_.resamples))
                     .arg(settings_.seed);
  if (lowerIsBetter(method)) note += tr("; lower %1 predicts better").arg(method);
  parts << note;
  if (members_.size() > int(truth.size()))
    parts << tr("%1 without a true score left out").arg(counted(members_.size() - qint64(truth.size()), "member", "members"));
  caption_->setText(parts.join(QLatin1Char('\n')));
}

void OpeScatter::fillRanking() {
  selection_ = {};
  const QString method = currentMethod();
  QVector<Member> order = members_;
  const bool lower = lowerIsBetter(method);
  std::stable_sort(order.begin(), order.end(), [lower](const Member& a, const Member& b) {
    return lower ? a.estimate < b.estimate : a.estimate > b.estimate;
  });
  ranking_->setRowCount(0);
  ranking_->setRowCount(order.size());
  for (int i = 0; i < order.size(); ++i) {
    auto* rank = new QTableWidgetItem(QString::number(i + 1));
    rank->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    ranking_->setItem(i, 0, rank);
    ranking_->setItem(i, 1, new QTableWidgetItem(order[i].label));
    auto* est = new QTableWidgetItem(num(order[i].estimate));
    est->setData(Qt::UserRole, order[i].estimate);
    est->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    ranking_->setItem(i, 2, est);
    ranking_->setItem(i, 3, new QTableWidgetItem(order[i].uncertainty.isEmpty() ? tr("not reported") : order[i].uncertainty));
  }
  if (method.isEmpty()) {
    caption_->setText(tr("No offline estimates for these members: run iql ope on them."));
    return;
  }
  caption_->setText(tr("No true scores to check %1 against: %2 ranked by the %1 estimate (%3)%4")
                        .arg(method, counted(order.size(), "member", "members"), estimateNormalised_ ? tr("normalised score") : tr("return scale"),
                             lower ? tr(", lower first") : QString()));
}

}  // namespace iqlui
