#include "ui/plots/maze_view.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "core/data/dataset_loader.h"
#include "core/env/maze_coverage.h"
#include "core/env/maze_drawing.h"
#include "core/env/maze_goal.h"
#include "core/env/maze_map.h"
#include "core/train/antmaze_policy_check.h"
#include "core/train/checkpoint_eval.h"

namespace iqlui {

namespace {

// Flat x0, y0, x1, y1, ... (as the core records paths) to points.
QVector<QPointF> to_points(const std::vector<float>& xy) {
  QVector<QPointF> path;
  for (const auto& q : iql::path_points(xy)) path.push_back({q[0], q[1]});
  return path;
}

QColor to_qcolor(iql::Rgb c) { return QColor(c.r, c.g, c.b); }

const iql::MazeMap* find_maze(const QString& name) {
  try {
    return &iql::maze_map(name.toStdString());
  } catch (const std::exception&) {
    return nullptr;
  }
}

struct Loaded {
  QString error, maze;
  std::vector<float> xy;
};

const QColor kReached(0, 150, 60, 200), kMissed(210, 40, 40, 170);

// The legend's entries in order: what the marks on the maze mean, with the episode counts.
struct LegendItem {
  enum Kind { Goal, Data, Reached, Missed } kind;
  QString text;
};

// Entries laid out left to right, wrapping at the widget's width: each entry's top-left corner.
QVector<QPoint> legendPositions(const QVector<LegendItem>& items, const QFontMetrics& fm, int width, int* height) {
  QVector<QPoint> at;
  const int rowH = fm.height() + 4;
  int x = 6, y = 4;
  for (const auto& it : items) {
    const int w = 24 + fm.horizontalAdvance(it.text);
    if (x > 6 && x + w > width - 4) {
      x = 6;
      y += rowH;
    }
    at.push_back({x, y});
    x += w + 12;
  }
  *height = y + rowH + 2;
  return at;
}

// Did the episode get within the goal's radius anywhere on its path (the rule the env rewards)?
bool pathReachedGoal(const std::vector<float>& xy, const std::array<double, 2>& goal) {
  for (const auto& q : iql::path_points(xy))
    if (iql::within_goal(q[0], q[1], goal)) return true;
  return false;
}

}  // namespace

MazeView::MazeView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(240, 200);
  setMaze("umaze");
}

bool MazeView::setMaze(const QString& name) {
  const iql::MazeMap* m = find_maze(name);
  if (!m) return false;
  maze_ = QString::fromStdString(m->name);
  clearCoverage();
  clearPaths();
  goals_.clear();
  const auto [gx, gy] = m->cell_centre(m->eval_goal_cell());
  goals_.push_back({gx + 0.75, gy + 0.75});  // the mean evaluation goal (centre + E[U(0,1) + U(0,0.5)])
  update();
  return true;
}

void MazeView::setCoverage(const std::vector<float>& xy, int bins) {
  const iql::MazeCoverage c = iql::maze_coverage_xy(iql::maze_map(maze_.toStdString()), xy, bins);
  bins_ = bins;
  counts_.assign(c.counts.begin(), c.counts.end());
  points_ = c.points;
  max_ = counts_.empty() ? 0 : *std::max_element(counts_.begin(), counts_.end());
  update();
}

void MazeView::clearCoverage() {
  counts_.clear();
  points_ = max_ = 0;
  update();
}

void MazeView::addPath(const QVector<QPointF>& path, const QColor& color) {
  paths_.push_back({path, color, -1});
  update();
}

void MazeView::addEpisodePath(const QVector<QPointF>& path, bool reachedGoal) {
  paths_.push_back({path, reachedGoal ? kReached : kMissed, reachedGoal ? 1 : 0});
  update();
}

int MazeView::reachedCount() const {
  return static_cast<int>(std::count_if(paths_.begin(), paths_.end(), [](const Path& p) { return p.outcome == 1; }));
}

int MazeView::missedCount() const {
  return static_cast<int>(std::count_if(paths_.begin(), paths_.end(), [](const Path& p) { return p.outcome == 0; }));
}

void MazeView::setBusyText(const QString& text) {
  busy_ = text;
  update();
}

void MazeView::clearPaths() {
  paths_.clear();
  update();
}

void MazeView::setGoals(const QVector<QPointF>& goals) {
  goals_ = goals;
  update();
}

int MazeView::legendHeight() const {
  QVector<LegendItem> items = {{LegendItem::Goal, tr("goal (within %1 m)").arg(iql::kMazeGoalRadius)}};
  if (points_ > 0) items.push_back({LegendItem::Data, tr("data (log density)")});
  if (reachedCount() + missedCount() > 0) {
    items.push_back({LegendItem::Reached, tr("reached goal: %1").arg(reachedCount())});
    items.push_back({LegendItem::Missed, tr("did not: %1").arg(missedCount())});
  }
  int h = 0;
  legendPositions(items, fontMetrics(), width(), &h);
  return h;
}

QRectF MazeView::mazeArea() const {
  const QFontMetrics fm = fontMetrics();
  const double left = fm.horizontalAdvance(QStringLiteral("-88")) + fm.height() + 10;  // tick labels, "y (m)"
  const double bottom = 2.0 * fm.height() + 8;                                         // tick labels, "x (m)"
  const double top = legendHeight();
  return QRectF(left, top, std::max(1.0, width() - left - 8), std::max(1.0, height() - top - bottom));
}

QPointF MazeView::toWidget(QPointF world) const {
  const iql::MazeMap& m = iql::maze_map(maze_.toStdString());
  const double s = iql::MazeMap::kScale;
  const QRectF a = mazeArea();
  const double px = std::min(a.width() / (m.cols() * s), a.height() / (m.rows() * s));
  const auto [ox, oy] = m.cell_centre({0, 0});
  const double x0 = a.left() + (a.width() - px * m.cols() * s) / 2, y0 = a.top() + (a.height() - px * m.rows() * s) / 2;
  return {x0 + (world.x() - (ox - s / 2)) * px, y0 + (world.y() - (oy - s / 2)) * px};
}

void MazeView::drawLegend(QPainter& p) const {
  QVector<LegendItem> items = {{LegendItem::Goal, tr("goal (within %1 m)").arg(iql::kMazeGoalRadius)}};
  if (points_ > 0) items.push_back({LegendItem::Data, tr("data (log density)")});
  if (reachedCount() + missedCount() > 0) {
    items.push_back({LegendItem::Reached, tr("reached goal: %1").arg(reachedCount())});
    items.push_back({LegendItem::Missed, tr("did not: %1").arg(missedCount())});
  }
  const QFontMetrics fm = fontMetrics();
  int h = 0;
  const QVector<QPoint> at = legendPositions(items, fm, width(), &h);
  for (int i = 0; i < items.size(); ++i) {
    const QPoint o = at[i];
    const int cy = o.y() + fm.height() / 2;
    switch (items[i].kind) {
      case LegendItem::Goal:
        p.setPen(QPen(QColor(0, 120, 0), 1.5));
        p.setBrush(QColor(0, 200, 0, 90));
        p.drawEllipse(QPointF(o.x() + 9, cy), 6, 6);
        break;
      case LegendItem::Data:
        p.setPen(Qt::NoPen);
        p.fillRect(QRectF(o.x() + 1, cy - 5, 8, 10), to_qcolor(iql::maze_heat_rgb(2, 100)));
        p.fillRect(QRectF(o.x() + 9, cy - 5, 9, 10), to_qcolor(iql::maze_heat_rgb(100, 100)));
        break;
      case LegendItem::Reached:
      case LegendItem::Missed:
        p.setPen(QPen(items[i].kind == LegendItem::Reached ? kReached : kMissed, 2.5));
        p.drawLine(QPointF(o.x(), cy), QPointF(o.x() + 18, cy));
        break;
    }
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QPoint(o.x() + 24, o.y() + fm.ascent()), items[i].text);
  }
}

void MazeView::drawAxes(QPainter& p) const {
  // Ticks at the cell centres (every kScale metres; the start cell is the origin), thinned so their
  // labels never touch; +y runs down the page as the maze maps are written.
  const iql::MazeMap& m = iql::maze_map(maze_.toStdString());
  const double s = iql::MazeMap::kScale;
  const QFontMetrics fm = fontMetrics();
  const auto [ox, oy] = m.cell_centre({0, 0});
  const QPointF tl = toWidget({ox - s / 2, oy - s / 2});
  const QPointF br = toWidget({ox - s / 2 + m.cols() * s, oy - s / 2 + m.rows() * s});
  const double cell = (br.x() - tl.x()) / m.cols();
  const int labelW = fm.horizontalAdvance(QStringLiteral("-88")) + 6;
  const int everyX = std::max(1, static_cast<int>(std::ceil(labelW / std::max(1.0, cell))));
  const int everyY = std::max(1, static_cast<int>(std::ceil((fm.height() + 2) / std::max(1.0, cell))));
  p.setRenderHint(QPainter::Antialiasing, false);
  const QColor ink = palette().color(QPalette::WindowText);
  p.setPen(QPen(ink, 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(QRectF(tl, br));
  for (int c = 0; c < m.cols(); ++c) {
    const double x = m.cell_centre({0, c}).first, X = toWidget({x, 0}).x();
    p.drawLine(QPointF(X, br.y()), QPointF(X, br.y() + 4));
    if (c % everyX == 0)
      p.drawText(QRectF(X - labelW, br.y() + 5, 2 * labelW, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                 QString::number(x, 'g', 4));
  }
  for (int r = 0; r < m.rows(); ++r) {
    const double y = m.cell_centre({r, 0}).second, Y = toWidget({0, y}).y();
    p.drawLine(QPointF(tl.x() - 4, Y), QPointF(tl.x(), Y));
    if (r % everyY == 0)
      p.drawText(QRectF(tl.x() - 6 - labelW, Y - fm.height() / 2.0, labelW, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                 QString::number(y, 'g', 4));
  }
  p.drawText(QRectF(tl.x(), br.y() + 5 + fm.height(), br.x() - tl.x(), fm.height()), Qt::AlignHCenter | Qt::AlignTop,
             tr("x (m)"));
  p.save();
  p.translate(tl.x() - 8 - labelW - fm.descent(), (tl.y() + br.y()) / 2);
  p.rotate(-90);
  p.drawText(QRectF(-100, -fm.height(), 200, fm.height()), Qt::AlignHCenter | Qt::AlignBottom, tr("y (m)"));
  p.restore();
}

void MazeView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  const iql::MazeMap& m = iql::maze_map(maze_.toStdString());
  const double s = iql::MazeMap::kScale;
  auto cellRect = [&](int r, int c) {
    const auto [cx, cy] = m.cell_centre({r, c});
    return QRectF(toWidget({cx - s / 2, cy - s / 2}), toWidget({cx + s / 2, cy + s / 2}));
  };
  for (int r = 0; r < m.rows(); ++r)
    for (int c = 0; c < m.cols(); ++c) p.fillRect(cellRect(r, c), m.is_wall(r, c) ? to_qcolor(iql::kMazeWallRgb) : Qt::white);
  // coverage heat: log density, pale yellow to dark red (the CLI's PNG colours)
  if (!counts_.empty() && max_ > 0) {
    const int W = m.cols() * bins_;
    const auto [ox, oy] = m.cell_centre({0, 0});
    const double b = s / bins_;
    for (size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] == 0) continue;
      const int bx = static_cast<int>(i % W), by = static_cast<int>(i / W);
      if (m.is_wall(by / bins_, bx / bins_)) continue;
      const QColor col = to_qcolor(iql::maze_heat_rgb(counts_[i], max_));
      const double x = ox - s / 2 + bx * b, y = oy - s / 2 + by * b;
      p.fillRect(QRectF(toWidget({x, y}), toWidget({x + b, y + b})), col);
    }
  }
  p.setRenderHint(QPainter::Antialiasing);
  const iql::Cell g = m.eval_goal_cell();
  p.setPen(QPen(QColor(0, 150, 0), 2));
  p.setBrush(Qt::NoBrush);
  p.drawRect(cellRect(g.row, g.col));
  for (const Path& path : paths_) {
    if (path.xy.size() < 2) continue;
    QPainterPath pp(toWidget(path.xy.front()));
    for (const QPointF& q : path.xy) pp.lineTo(toWidget(q));
    p.setPen(QPen(path.color, 1.5));
    p.drawPath(pp);
  }
  const double radius = (toWidget({iql::kMazeGoalRadius, 0}) - toWidget({0, 0})).x();  // the success radius
  p.setPen(QPen(QColor(0, 120, 0), 1.5));
  p.setBrush(QColor(0, 200, 0, 90));
  for (const QPointF& q : goals_) p.drawEllipse(toWidget(q), radius, radius);
  drawLegend(p);
  drawAxes(p);
  if (!busy_.isEmpty()) {  // a banner across the top of the maze while a worker runs
    const iql::MazeMap& mm = iql::maze_map(maze_.toStdString());
    const auto [ox, oy] = mm.cell_centre({0, 0});
    const QRectF a(toWidget({ox - s / 2, oy - s / 2}), toWidget({ox - s / 2 + mm.cols() * s, oy - s / 2 + mm.rows() * s}));
    const QFontMetrics fm = fontMetrics();
    const QString text = fm.elidedText(busy_, Qt::ElideRight, static_cast<int>(a.width()) - 24);
    const QRectF box(a.center().x() - (fm.horizontalAdvance(text) + 20) / 2.0, a.top() + 8,
                     fm.horizontalAdvance(text) + 20, fm.height() + 10);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(30, 30, 30, 200));
    p.drawRoundedRect(box, 5, 5);
    p.setPen(Qt::white);
    p.drawText(box, Qt::AlignCenter, text);
  }
}

bool MazeView::isAntMazeEnvironment(const QString& env) { return env.startsWith(QLatin1String("antmaze-")); }

int MazeView::showEvaluation(const iql::EvalResult& r, const iql::EvaluationPaths& paths) {
  clearPaths();
  int reached = 0;
  QVector<QPointF> goals;
  for (size_t e = 0; e < paths.xy.size(); ++e) {
    const QVector<QPointF> path = to_points(paths.xy[e]);
    const bool ok = iql::episode_reached_goal(r.returns, e);
    reached += ok;
    addEpisodePath(path, ok);
  }
  for (const auto& g : paths.goals) goals.push_back({g[0], g[1]});
  setGoals(goals);
  return reached;
}

namespace {

// The parts of a maze window that its background jobs write into.
struct MazeWindow {
  QWidget* window = nullptr;
  MazeView* view = nullptr;
  QLabel* info = nullptr;
  QPushButton* planner = nullptr;  // "Run 20 planner episodes"
  QProgressBar* busy = nullptr;    // running while a worker computes what the maze will show
  QHBoxLayout* buttons = nullptr;
};

// Says what a worker is doing (bar, banner over the maze, info line), or that nothing runs (empty).
void setBusy(QProgressBar* bar, MazeView* view, QLabel* info, const QString& text) {
  bar->setVisible(!text.isEmpty());
  bar->setFormat(text);
  view->setBusyText(text);
  if (!text.isEmpty()) info->setText(text);
}

MazeWindow buildMazeWindow(const QString& nameOrPath, QWidget* parent) {
  MazeWindow m;
  auto* w = new QWidget(parent, Qt::Window);
  m.window = w;
  w->setAttribute(Qt::WA_DeleteOnClose);
  w->setWindowTitle(QObject::tr("Maze view — %1").arg(nameOrPath));
  m.view = new MazeView(w);
  m.info = new QLabel(QObject::tr("Loading %1…").arg(nameOrPath), w);
  m.info->setWordWrap(true);
  m.planner = new QPushButton(QObject::tr("Run 20 planner episodes (D4RL policy)"), w);
  m.planner->setToolTip(QObject::tr("Evaluation episodes of the maze driven by D4RL's BFS planner and low-level policy"));
  auto* lay = new QVBoxLayout(w);
  lay->addWidget(m.view, 1);
  lay->addWidget(m.info);  // full width: the counts and file names are long
  m.buttons = new QHBoxLayout;
  m.busy = new QProgressBar(w);
  m.busy->setObjectName(QStringLiteral("mazeBusy"));
  m.busy->setRange(0, 0);  // busy: the planner and evaluations report no progress of their own
  m.busy->setMaximumWidth(160);
  m.busy->setTextVisible(false);
  m.busy->hide();
  m.buttons->addWidget(m.busy);
  m.buttons->addStretch(1);
  m.buttons->addWidget(m.planner);
  lay->addLayout(m.buttons);
  return m;
}

// A run's policy: a button that evaluates the checkpoint off the GUI thread and draws its episodes
// over the data it learnt from.
void addEvaluateRunButton(const MazeWindow& m, const QString& checkpoint) {
  QWidget* w = m.window;
  MazeView* view = m.view;
  QLabel* info = m.info;
  auto* evalRun = new QPushButton(QObject::tr("Evaluate this run (20 episodes)"), w);
  evalRun->setObjectName(QStringLiteral("evaluateRunButton"));
  evalRun->setToolTip(QObject::tr("Runs the checkpoint's deterministic policy from the start and draws each episode: "
                                  "green reached its goal, red did not (%1)").arg(checkpoint));
  m.buttons->addWidget(evalRun);
  auto* watch = new QFutureWatcher<QString>(w);
  auto result = std::make_shared<std::pair<iql::EvalResult, iql::EvaluationPaths>>();
  QProgressBar* busy = m.busy;
  QObject::connect(evalRun, &QPushButton::clicked, w, [watch, evalRun, view, info, busy, checkpoint, result] {
    if (watch->isRunning()) return;
    evalRun->setEnabled(false);
    setBusy(busy, view, info, QObject::tr("Evaluating the run's policy: 20 episodes on a worker thread…"));
    watch->setFuture(QtConcurrent::run([checkpoint, result]() -> QString {
      try {
        result->first = iql::evaluate_checkpoint(checkpoint.toStdString(), "", "", 20, std::nullopt, &result->second);
        return QString();
      } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
      }
    }));
  });
  QObject::connect(watch, &QFutureWatcher<QString>::finished, w, [watch, evalRun, view, info, busy, result] {
    evalRun->setEnabled(true);
    setBusy(busy, view, info, QString());
    if (!watch->result().isEmpty()) {
      info->setText(watch->result());
      return;
    }
    const int reached = view->showEvaluation(result->first, result->second);
    info->setText(QObject::tr("run's policy after %1 steps: %2 of %3 episodes reached the goal (green; red did not)")
                      .arg(result->first.step)
                      .arg(reached)
                      .arg(result->second.xy.size()));
  });
}

// Reads the dataset off the GUI thread and shows its xy coverage on its maze.
void loadCoverage(const MazeWindow& m, const QString& nameOrPath) {
  MazeView* view = m.view;
  QLabel* info = m.info;
  // name -> maze before loading (file names carry it: antmaze-medium-play...)
  for (const char* mz : {"umaze", "medium", "large"})
    if (nameOrPath.contains(mz, Qt::CaseInsensitive)) view->setMaze(mz);

  auto* watcher = new QFutureWatcher<Loaded>(m.window);
  QProgressBar* busy = m.busy;
  setBusy(busy, view, info, QObject::tr("Loading %1…").arg(nameOrPath));
  QObject::connect(watcher, &QFutureWatcher<Loaded>::finished, m.window, [watcher, view, info, busy] {
    setBusy(busy, view, info, QString());
    const Loaded l = watcher->result();
    if (!l.error.isEmpty()) {
      info->setText(l.error);
      return;
    }
    if (!l.maze.isEmpty()) view->setMaze(l.maze);
    view->setCoverage(l.xy);
    info->setText(QObject::tr("%1 transitions on %2; heat = log visit density, green = evaluation goal")
                      .arg(view->coveragePoints())
                      .arg(view->mazeName()));
  });
  watcher->setFuture(QtConcurrent::run([nameOrPath] {
    Loaded l;
    try {
      const iql::Dataset d = iql::read_dataset_file(nameOrPath.toStdString());
      const auto it = d.metadata.find("env");
      if (it != d.metadata.end()) l.maze = QString::fromStdString(it->second);
      l.xy = iql::observation_xy(d);
    } catch (const std::exception& e) {
      l.error = QString::fromStdString(e.what());
    }
    return l;
  }));
}

// The planner button: D4RL's planner and low-level policy on the current maze, off the GUI thread.
void connectPlannerEpisodes(const MazeWindow& m) {
  MazeView* view = m.view;
  QLabel* info = m.info;
  QPushButton* run = m.planner;
  QProgressBar* busy = m.busy;
  auto* eval = new QFutureWatcher<iql::PolicyCheckResult>(m.window);
  QObject::connect(run, &QPushButton::clicked, m.window, [eval, view, run, info, busy] {
    if (eval->isRunning()) return;
    run->setEnabled(false);
    setBusy(busy, view, info, QObject::tr("Running 20 planner episodes (D4RL policy) on a worker thread…"));
    const std::string maze = view->mazeName().toStdString();
    eval->setFuture(QtConcurrent::run([maze] {
      iql::PolicyCheckOptions o;
      o.maze = maze;
      o.episodes = 20;
      o.reach_trials = 1;
      return iql::check_antmaze_policy(o);
    }));
  });
  QObject::connect(eval, &QFutureWatcher<iql::PolicyCheckResult>::finished, m.window, [eval, view, run, info, busy] {
    run->setEnabled(true);
    setBusy(busy, view, info, QString());
    const iql::PolicyCheckResult r = eval->result();
    view->clearPaths();
    QVector<QPointF> goals;
    for (size_t e = 0; e < r.paths.size(); ++e) {
      view->addEpisodePath(to_points(r.paths[e]), e < r.goals.size() && pathReachedGoal(r.paths[e], r.goals[e]));
      goals.push_back({r.goals[e][0], r.goals[e][1]});
    }
    view->setGoals(goals);
    info->setText(QObject::tr("planner + D4RL policy: %1 of %2 episodes reached the goal (green; red did not)")
                      .arg(r.successes)
                      .arg(r.episodes));
  });
}

}  // namespace

QWidget* MazeView::openForDataset(const QString& nameOrPath, QWidget* parent, const QString& checkpoint) {
  const MazeWindow m = buildMazeWindow(nameOrPath, parent);
  if (!checkpoint.isEmpty()) addEvaluateRunButton(m, checkpoint);
  loadCoverage(m, nameOrPath);
  connectPlannerEpisodes(m);
  m.window->resize(560, 480);
  m.window->show();
  return m.window;
}

}  // namespace iqlui
