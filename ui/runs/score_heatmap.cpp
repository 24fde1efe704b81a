#include "ui/runs/score_heatmap.h"

#include <QCheckBox>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/store/hyperparameter_history.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"
#include "ui/runs/hyper_history.h"

namespace iqlui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QCPColorGradient viridis() {
  QCPColorGradient g;
  g.clearColorStops();
  g.setColorStopAt(0.0, QColor(68, 1, 84));
  g.setColorStopAt(0.25, QColor(59, 82, 139));
  g.setColorStopAt(0.5, QColor(33, 145, 140));
  g.setColorStopAt(0.75, QColor(94, 201, 98));
  g.setColorStopAt(1.0, QColor(253, 231, 37));
  g.setNanHandling(QCPColorGradient::nhTransparent);
  return g;
}

int indexOf(const QVector<double>& grid, double v) {
  for (int i = 0; i < grid.size(); ++i)
    if (std::abs(grid[i] - v) <= 1e-9 * std::max(1.0, std::abs(v))) return i;
  return -1;
}

QString runsWord(int n) { return n == 1 ? ScoreHeatmap::tr("run") : ScoreHeatmap::tr("runs"); }

QString idList(const QList<qint64>& ids, int shown) {
  QStringList parts;
  for (int k = 0; k < ids.size() && k < shown; ++k) parts << QStringLiteral("#%1").arg(ids[k]);
  if (ids.size() > shown) parts << QStringLiteral("+%1").arg(ids.size() - shown);
  return parts.join(QLatin1Char(' '));
}

// Reasons in the order they were first met, each with its runs.
class LeftOut {
public:
  void add(const QString& reason, qint64 id) {
    auto it = std::find_if(groups_.begin(), groups_.end(), [&](const auto& g) { return g.first == reason; });
    if (it == groups_.end()) groups_.push_back({reason, {id}});
    else it->second << id;
  }
  QList<qint64> ids() const {
    QList<qint64> all;
    for (const auto& g : groups_) all << g.second;
    return all;
  }
  // "left out: #4 #6 (2,000 steps); #1 (tuned mid-run)"
  QString text(int shownPerReason) const {
    QStringList parts;
    for (const auto& g : groups_) parts << QStringLiteral("%1 (%2)").arg(idList(g.second, shownPerReason), g.first);
    return parts.join(QStringLiteral("; "));
  }

private:
  std::vector<std::pair<QString, QList<qint64>>> groups_;
};
}  // namespace

ScoreHeatmap::ScoreHeatmap(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  title_ = new QLabel(this);
  title_->setAlignment(Qt::AlignCenter);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  title_->setWordWrap(true);
  layout->addWidget(title_);
  note_ = new QLabel(this);
  note_->setAlignment(Qt::AlignCenter);
  note_->setWordWrap(true);
  note_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(note_);
  placeTuned_ = new QCheckBox(tr("place runs tuned mid-run at their final τ, β"), this);
  placeTuned_->setToolTip(tr("A run whose τ or β changed during training belongs to no single cell; by default it "
                             "is left out of the map"));
  connect(placeTuned_, &QCheckBox::toggled, this, &ScoreHeatmap::placeTunedToggled);
  layout->addWidget(placeTuned_);

  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(240, 150);
  applyPlotStyle(plot_, QString());
  plot_->xAxis->setLabel(tr("expectile tau"));
  plot_->yAxis->setLabel(tr("temperature beta"));
  plot_->xAxis->grid()->setVisible(false);
  plot_->yAxis->grid()->setVisible(false);
  colorMap_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
  colorMap_->setGradient(viridis());
  colorMap_->setInterpolate(false);
  colorMap_->setTightBoundary(false);
  colorScale_ = new QCPColorScale(plot_);
  plot_->plotLayout()->addElement(0, 1, colorScale_);
  colorScale_->setType(QCPAxis::atRight);
  colorScale_->setBarWidth(12);
  colorScale_->axis()->setLabel(tr("final normalised score"));
  colorScale_->axis()->setLabelFont(plot_->xAxis->labelFont());
  colorScale_->axis()->setTickLabelFont(plot_->xAxis->tickLabelFont());
  colorMap_->setColorScale(colorScale_);
  colorScale_->setGradient(viridis());  // after setColorScale, which adopts the scale's gradient
  auto* margins = new QCPMarginGroup(plot_);
  plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  colorScale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  plot_->installEventFilter(this);
  layout->addWidget(plot_, 1);
}

QString ScoreHeatmap::title() const { return title_->text(); }
QString ScoreHeatmap::note() const { return note_->text(); }

const ScoreHeatmap::Cell* ScoreHeatmap::cellAt(int i, int j) const {
  if (i < 0 || j < 0 || i >= taus_.size() || j >= betas_.size()) return nullptr;
  const Cell& c = cells_[size_t(i)][size_t(j)];
  return c.runs.isEmpty() ? nullptr : &c;
}

double ScoreHeatmap::value(double tau, double beta) const {
  const Cell* c = cellAt(indexOf(taus_, tau), indexOf(betas_, beta));
  return c ? c->mean : kNaN;
}

QList<qint64> ScoreHeatmap::cellRuns(double tau, double beta) const {
  const Cell* c = cellAt(indexOf(taus_, tau), indexOf(betas_, beta));
  return c ? c->runs : QList<qint64>();
}

QString ScoreHeatmap::cellToolTip(double tau, double beta) const {
  const Cell* c = cellAt(indexOf(taus_, tau), indexOf(betas_, beta));
  if (!c) return QString();
  QStringList lines;
  lines << tr("τ %1, β %2: mean %3 of %4 %5 at %6 steps")
               .arg(QString::number(tau, 'g', 4), QString::number(beta, 'g', 4), QString::number(c->mean, 'f', 1))
               .arg(c->runs.size())
               .arg(runsWord(int(c->runs.size())), QLocale().toString(steps_));
  for (int k = 0; k < c->runs.size(); ++k)
    lines << tr("#%1: %2").arg(c->runs[k]).arg(QString::number(c->scores[k], 'f', 1));
  return lines.join(QLatin1Char('\n'));
}

bool ScoreHeatmap::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot_ && event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int i = int(std::lround(plot_->xAxis->pixelToCoord(help->pos().x())));
    const int j = int(std::lround(plot_->yAxis->pixelToCoord(help->pos().y())));
    const bool inside = plot_->axisRect()->rect().contains(help->pos());
    if (inside && cellAt(i, j)) QToolTip::showText(help->globalPos(), cellToolTip(taus_[i], betas_[j]), plot_);
    else QToolTip::hideText();
    return true;
  }
  return QWidget::eventFilter(watched, event);
}

void ScoreHeatmap::rebuild(iql::RunStore* store, const QList<qint64>& selection,
                           const QVector<QPair<double, double>>& highlight) {
  plot_->clearItems();
  taus_.clear();
  betas_.clear();
  cells_.clear();
  dataset_.clear();
  tunedLeftOut_ = 0;
  leftOut_.clear();
  steps_ = 0;
  followsSelection_ = selection.size() >= 2;

  // The candidates: the selected runs, or (fewer than two selected) every run on the one run's dataset.
  std::vector<iql::RunInfo> candidates;
  if (store) {
    if (followsSelection_) {
      for (qint64 id : selection)
        if (auto info = store->get_run(id)) candidates.push_back(std::move(*info));
    } else if (!selection.isEmpty()) {
      if (auto first = store->get_run(selection.front())) {
        for (auto& info : store->list_runs())
          if (info.dataset == first->dataset) candidates.push_back(std::move(info));
        std::reverse(candidates.begin(), candidates.end());  // oldest first, as ids grow
      }
    }
  }
  if (!candidates.empty()) dataset_ = QString::fromStdString(candidates.front().dataset);

  struct Entry {
    qint64 id;
    double tau, beta, score;
    qint64 steps;
  };
  std::vector<Entry> eligible;
  LeftOut leftOut;
  int tunedPlaced = 0;
  for (const auto& info : candidates) {
    if (QString::fromStdString(info.dataset) != dataset_) {
      leftOut.add(tr("other dataset"), info.id);
      continue;
    }
    if (info.status != "finished") {
      if (followsSelection_) leftOut.add(QString::fromStdString(info.status), info.id);
      continue;  // every run on the dataset: only the finished ones are meant
    }
    const auto events = store->events(info.id);
    const HyperHistory tau = hyperHistory(info.config_json, events, "expectile");
    const HyperHistory beta = hyperHistory(info.config_json, events, "temperature");
    const auto score = store->best_and_final_score(info.id);
    if (!std::isfinite(tau.final) || !std::isfinite(beta.final) || !score || !std::isfinite(score->second)) {
      leftOut.add(tr("no normalised score"), info.id);
      continue;
    }
    if (iql::tuned_mid_run(info.config_json, events)) {  // any live hyperparameter, not only tau, beta
      if (!placeTuned_->isChecked()) {
        ++tunedLeftOut_;
        leftOut.add(tr("tuned mid-run"), info.id);
        continue;
      }
      ++tunedPlaced;
    }
    eligible.push_back({info.id, tau.final, beta.final, score->second, info.steps});
  }

  std::sort(eligible.begin(), eligible.end(), [](const Entry& x, const Entry& y) { return x.id < y.id; });
  // Like with like: the scores of one step count, the most common (the longest on a tie).
  std::map<qint64, int> perSteps;
  for (const Entry& e : eligible) ++perSteps[e.steps];
  int most = 0;
  for (const auto& [steps, n] : perSteps)
    if (n >= most) {
      most = n;
      steps_ = steps;
    }
  std::map<std::pair<double, double>, Cell> cells;
  int pooled = 0;
  for (const Entry& e : eligible) {
    if (e.steps != steps_) {
      leftOut.add(tr("%1 steps, not %2").arg(QLocale().toString(e.steps), QLocale().toString(steps_)), e.id);
      continue;
    }
    Cell& c = cells[{e.tau, e.beta}];
    c.runs << e.id;
    c.scores << e.score;
    ++pooled;
  }
  leftOut_ = leftOut.ids();

  std::set<double> taus, betas;
  for (const auto& [k, c] : cells) {
    taus.insert(k.first);
    betas.insert(k.second);
  }
  taus_ = QVector<double>(taus.begin(), taus.end());
  betas_ = QVector<double>(betas.begin(), betas.end());
  cells_.assign(size_t(taus_.size()), std::vector<Cell>(size_t(betas_.size())));
  for (auto& [k, c] : cells) {
    double sum = 0.0;
    for (double s : c.scores) sum += s;
    c.mean = sum / double(c.scores.size());
    cells_[size_t(indexOf(taus_, k.first))][size_t(indexOf(betas_, k.second))] = c;
  }

  QString text;
  if (dataset_.isEmpty()) text = tr("Final normalised score by tau and beta");
  else if (pooled == 0 && followsSelection_) text = tr("None of the selected runs on %1 has a final normalised score to map").arg(dataset_);
  else if (pooled == 0) text = tr("No finished run on %1 has a normalised score yet").arg(dataset_);
  else if (followsSelection_)
    text = tr("Final normalised score at %1 steps: %2 selected %3 on %4")
               .arg(QLocale().toString(steps_)).arg(pooled).arg(runsWord(pooled), dataset_);
  else
    text = tr("Final normalised score at %1 steps: all %2 finished %3 on %4 (fewer than 2 selected)")
               .arg(QLocale().toString(steps_)).arg(pooled).arg(runsWord(pooled), dataset_);
  title_->setText(text);
  QString note = leftOut_.isEmpty() ? QString() : tr("Left out: %1").arg(leftOut.text(6));
  if (tunedPlaced > 0)
    note += (note.isEmpty() ? QString() : QStringLiteral(" · ")) +
            tr("%1 tuned %2 at final τ, β").arg(tunedPlaced).arg(runsWord(tunedPlaced));
  note_->setText(note);
  note_->setToolTip(leftOut_.isEmpty() ? QString() : tr("Left out: %1").arg(leftOut.text(1000)));
  note_->setVisible(!note.isEmpty());
  placeTuned_->setVisible(tunedLeftOut_ > 0 || placeTuned_->isChecked());
  draw(highlight);
}

void ScoreHeatmap::draw(const QVector<QPair<double, double>>& highlight) {
  const int nt = taus_.size(), nb = betas_.size();
  if (nt == 0 || nb == 0) {
    colorMap_->data()->clear();
    colorMap_->setVisible(false);
    colorScale_->setVisible(false);
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->xAxis->setRange(0, 1);
    plot_->yAxis->setRange(0, 1);
    plot_->replot();
    return;
  }
  colorMap_->setVisible(true);
  colorScale_->setVisible(true);
  // one cell per distinct value; a single row/column is stored twice so it still has a width
  const int kx = std::max(2, nt), ky = std::max(2, nb);
  const QCPRange kr = nt == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, nt - 1);
  const QCPRange vr = nb == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, nb - 1);
  colorMap_->data()->setSize(kx, ky);
  colorMap_->data()->setRange(kr, vr);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int x = 0; x < kx; ++x) {
    for (int y = 0; y < ky; ++y) {
      const Cell* c = cellAt(std::min(x, nt - 1), std::min(y, nb - 1));
      const double v = c ? c->mean : kNaN;
      colorMap_->data()->setCell(x, y, v);
      if (c) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (hi - lo < 1e-9) {
    lo -= 1.0;
    hi += 1.0;
  }
  colorMap_->setDataRange(QCPRange(lo, hi));

  auto ticks = [](const QVector<double>& values) {
    QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
    for (int i = 0; i < values.size(); ++i) t->addTick(i, QString::number(values[i], 'g', 4));
    return t;
  };
  plot_->xAxis->setTicker(ticks(taus_));
  plot_->yAxis->setTicker(ticks(betas_));
  plot_->xAxis->setRange(-0.5, nt - 0.5);
  plot_->yAxis->setRange(-0.5, nb - 0.5);

  if (nt * nb <= 49) {  // few cells: print the values and which runs they pool
    const bool roomy = nt * nb <= 16;
    QFont f = plot_->font();
    f.setPointSizeF(roomy ? 9.0 : 7.5);
    for (int i = 0; i < nt; ++i) {
      for (int j = 0; j < nb; ++j) {
        const Cell* c = cellAt(i, j);
        if (!c) continue;
        auto* text = new QCPItemText(plot_);
        text->position->setCoords(i, j);
        QString s = QString::number(c->mean, 'f', 1);
        if (roomy && c->runs.size() <= 3) s += QLatin1Char('\n') + idList(c->runs, 3);
        else if (c->runs.size() > 1) s += QStringLiteral("\nn=%1").arg(c->runs.size());
        text->setText(s);
        text->setFont(f);
        text->setTextAlignment(Qt::AlignCenter);
        // dark text on the bright end of the gradient, white on the dark end
        const double t = (c->mean - lo) / (hi - lo);
        text->setColor(t > 0.6 ? Qt::black : Qt::white);
        text->setClipToAxisRect(true);
      }
    }
  }
  // outline the cells of the compared runs
  std::set<std::pair<int, int>> marked;
  for (const auto& [tau, beta] : highlight) {
    const int i = indexOf(taus_, tau), j = indexOf(betas_, beta);
    if (i < 0 || j < 0 || !marked.insert({i, j}).second) continue;
    auto* rect = new QCPItemRect(plot_);
    rect->topLeft->setCoords(i - 0.48, j + 0.48);
    rect->bottomRight->setCoords(i + 0.48, j - 0.48);
    rect->setPen(QPen(QColor(230, 60, 60), 2.0));
    rect->setBrush(Qt::NoBrush);
  }
  plot_->replot();
}

}  // namespace iqlui
