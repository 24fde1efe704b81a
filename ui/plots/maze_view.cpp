#include "ui/plots/maze_view.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
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
  paths_.push_back({path, color});
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

QPointF MazeView::toWidget(QPointF world) const {
  const iql::MazeMap& m = iql::maze_map(maze_.toStdString());
  const double s = iql::MazeMap::kScale;
  const double px = std::min((width() - 8.0) / (m.cols() * s), (height() - 8.0) / (m.rows() * s));
  const auto [ox, oy] = m.cell_centre({0, 0});
  const double x0 = (width() - px * m.cols() * s) / 2, y0 = (height() - px * m.rows() * s) / 2;
  return {x0 + (world.x() - (ox - s / 2)) * px, y0 + (world.y() - (oy - s / 2)) * px};
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
    addPath(path, ok ? QColor(0, 150, 60, 200) : QColor(210, 40, 40, 170));
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
  QHBoxLayout* buttons = nullptr;
};

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
  QObject::connect(evalRun, &QPushButton::clicked, w, [watch, evalRun, info, checkpoint, result] {
    if (watch->isRunning()) return;
    evalRun->setEnabled(false);
    info->setText(QObject::tr("Evaluating %1…").arg(checkpoint));
    watch->setFuture(QtConcurrent::run([checkpoint, result]() -> QString {
      try {
        result->first = iql::evaluate_checkpoint(checkpoint.toStdString(), "", "", 20, std::nullopt, &result->second);
        return QString();
      } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
      }
    }));
  });
  QObject::connect(watch, &QFutureWatcher<QString>::finished, w, [watch, evalRun, view, info, result] {
    evalRun->setEnabled(true);
    if (!watch->result().isEmpty()) {
      info->setText(watch->result());
      return;
    }
    const int reached = view->showEvaluation(result->first, result->second);
    info->setText(QObject::tr("run's policy after %1 steps: %2 of %3 episodes reached the goal (green)")
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
  QObject::connect(watcher, &QFutureWatcher<Loaded>::finished, m.window, [watcher, view, info] {
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
  auto* eval = new QFutureWatcher<iql::PolicyCheckResult>(m.window);
  QObject::connect(run, &QPushButton::clicked, m.window, [eval, view, run] {
    if (eval->isRunning()) return;
    run->setEnabled(false);
    const std::string maze = view->mazeName().toStdString();
    eval->setFuture(QtConcurrent::run([maze] {
      iql::PolicyCheckOptions o;
      o.maze = maze;
      o.episodes = 20;
      o.reach_trials = 1;
      return iql::check_antmaze_policy(o);
    }));
  });
  QObject::connect(eval, &QFutureWatcher<iql::PolicyCheckResult>::finished, m.window, [eval, view, run, info] {
    run->setEnabled(true);
    const iql::PolicyCheckResult r = eval->result();
    view->clearPaths();
    QVector<QPointF> goals;
    for (size_t e = 0; e < r.paths.size(); ++e) {
      view->addPath(to_points(r.paths[e]), QColor::fromHsv(static_cast<int>(e * 360 / std::max<size_t>(1, r.paths.size())), 200, 200));
      goals.push_back({r.goals[e][0], r.goals[e][1]});
    }
    view->setGoals(goals);
    info->setText(QObject::tr("planner + D4RL policy: %1 of %2 episodes reached the goal").arg(r.successes).arg(r.episodes));
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
