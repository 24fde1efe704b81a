#include "ui/runs/score_heatmap.h"

#include <QCheckBox>
#include <QLabel>
#include <QVBoxLayout>
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
}  // namespace

ScoreHeatmap::ScoreHeatmap(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  title_ = new QLabel(this);
  title_->setAlignment(Qt::AlignCenter);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  title_->setWordWrap(true);
  layout->addWidget(title_);
  placeTuned_ = new QCheckBox(tr("place runs tuned mid-run at their final τ, β"), this);
  placeTuned_->setToolTip(tr("A run whose τ or β changed during training belongs to no single cell; by default it "
                             "is left out of the map"));
  connect(placeTuned_, &QCheckBox::toggled, this, &ScoreHeatmap::placeTunedToggled);
  layout->addWidget(placeTuned_);

  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(260, 200);
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
  layout->addWidget(plot_, 1);
}

QString ScoreHeatmap::title() const { return title_->text(); }

double ScoreHeatmap::value(double tau, double beta) const {
  const int i = indexOf(taus_, tau), j = indexOf(betas_, beta);
  if (i < 0 || j < 0) return kNaN;
  return cells_[size_t(i)][size_t(j)];
}

void ScoreHeatmap::rebuild(iql::RunStore* store, const QString& dataset,
                           const QVector<QPair<double, double>>& highlight) {
  plot_->clearItems();
  taus_.clear();
  betas_.clear();
  cells_.clear();
  dataset_ = dataset;
  tunedLeftOut_ = 0;
  struct Cell {
    double sum = 0.0;
    int n = 0;
  };
  std::map<std::pair<double, double>, Cell> cells;
  int tunedPlaced = 0;
  if (store && !dataset.isEmpty()) {
    for (const auto& info : store->list_runs()) {
      if (QString::fromStdString(info.dataset) != dataset || info.status != "finished") continue;
      const auto events = store->events(info.id);
      const HyperHistory tau = hyperHistory(info.config_json, events, "expectile");
      const HyperHistory beta = hyperHistory(info.config_json, events, "temperature");
      if (!std::isfinite(tau.final) || !std::isfinite(beta.final)) continue;
      auto score = store->best_and_final_score(info.id);
      if (!score || !std::isfinite(score->second)) continue;
      const bool tuned = iql::tuned_mid_run(info.config_json, events);  // any live hyperparameter, not only tau, beta
      if (tuned && !placeTuned_->isChecked()) {
        ++tunedLeftOut_;
        continue;
      }
      tunedPlaced += tuned;
      Cell& c = cells[{tau.final, beta.final}];
      c.sum += score->second;
      c.n += 1;
    }
  }
  std::set<double> taus, betas;
  for (const auto& [k, c] : cells) {
    taus.insert(k.first);
    betas.insert(k.second);
  }
  taus_ = QVector<double>(taus.begin(), taus.end());
  betas_ = QVector<double>(betas.begin(), betas.end());
  const int nt = taus_.size(), nb = betas_.size();
  cells_.assign(size_t(nt), std::vector<double>(size_t(nb), kNaN));
  std::vector<std::vector<int>> counts(size_t(nt), std::vector<int>(size_t(nb), 0));
  int runs = 0;
  for (const auto& [k, c] : cells) {
    const int i = indexOf(taus_, k.first), j = indexOf(betas_, k.second);
    cells_[size_t(i)][size_t(j)] = c.sum / c.n;
    counts[size_t(i)][size_t(j)] = c.n;
    runs += c.n;
  }

  QString text;
  if (dataset.isEmpty()) text = tr("Final normalised score by tau and beta");
  else if (cells.empty()) text = tr("No finished run on %1 has a normalised score yet").arg(dataset);
  else text = tr("Final normalised score on %1 (%2 finished runs)").arg(dataset).arg(runs);
  if (tunedLeftOut_ > 0) text += tr("; %n run(s) tuned mid-run left out", nullptr, tunedLeftOut_);
  if (tunedPlaced > 0) text += tr("; %n tuned run(s) at final τ, β", nullptr, tunedPlaced);
  title_->setText(text);
  placeTuned_->setVisible(tunedLeftOut_ > 0 || placeTuned_->isChecked());
  draw(counts, highlight);
}

void ScoreHeatmap::draw(const std::vector<std::vector<int>>& counts, const QVector<QPair<double, double>>& highlight) {
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
      const double v = cells_[size_t(std::min(x, nt - 1))][size_t(std::min(y, nb - 1))];
      colorMap_->data()->setCell(x, y, v);
      if (std::isfinite(v)) {
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

  if (nt * nb <= 49) {  // few cells: print the values
    QFont f = plot_->font();
    f.setPointSizeF(nt * nb <= 16 ? 9.0 : 7.5);
    for (int i = 0; i < nt; ++i) {
      for (int j = 0; j < nb; ++j) {
        const double v = cells_[size_t(i)][size_t(j)];
        if (!std::isfinite(v)) continue;
        auto* text = new QCPItemText(plot_);
        text->position->setCoords(i, j);
        QString s = QString::number(v, 'f', 1);
        if (counts[size_t(i)][size_t(j)] > 1) s += QStringLiteral("\n(n=%1)").arg(counts[size_t(i)][size_t(j)]);
        text->setText(s);
        text->setFont(f);
        text->setTextAlignment(Qt::AlignCenter);
        // dark text on the bright end of the gradient, white on the dark end
        const double t = (v - lo) / (hi - lo);
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
