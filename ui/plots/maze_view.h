// Top-down view of an AntMaze maze: walls, the evaluation goal cell, the xy coverage of a dataset
// as a heat map (log density), and paths (e.g. evaluation trajectories) drawn over it, so a user
// sees where the data goes and whether evaluation stitches it together. Plain QPainter; the data
// comes in as plain vectors (no torch). Axes in maze coordinates (metres, +y down as the maps read),
// a legend above the maze (goal, data, and episodes that reached their goal or not) and a banner
// while a worker computes what it will show. MazeView::openForDataset is the one hook other widgets use.
#pragma once
#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

#include <array>
#include <vector>

namespace iql {
struct EvalResult;
struct EvaluationPaths;
}

namespace iqlui {

class MazeView : public QWidget {
  Q_OBJECT
public:
  explicit MazeView(QWidget* parent = nullptr);

  // "umaze", "medium", "large" or an antmaze-* name; false (and nothing changes) if unknown.
  bool setMaze(const QString& name);
  QString mazeName() const { return maze_; }
  // Data coverage from xy pairs (x0, y0, x1, y1, ...), binned bins x bins per cell.
  void setCoverage(const std::vector<float>& xy, int bins = 8);
  void clearCoverage();
  void addPath(const QVector<QPointF>& path, const QColor& color);
  // An episode's path in the outcome colours (green reached its goal, red did not), counted in the legend.
  void addEpisodePath(const QVector<QPointF>& path, bool reachedGoal);
  int reachedCount() const;
  int missedCount() const;
  // A banner over the maze while a worker runs (planner, evaluation); empty hides it.
  void setBusyText(const QString& text);
  QString busyText() const { return busy_; }
  void clearPaths();
  void setGoals(const QVector<QPointF>& goals);
  // Draws an evaluation's episodes (recorded EvaluationPaths): green paths
  // reached their goal, red ones did not; the goals are marked. Returns how many reached it.
  int showEvaluation(const iql::EvalResult& r, const iql::EvaluationPaths& paths);
  int pathCount() const { return paths_.size(); }
  qint64 coveragePoints() const { return points_; }

  // World (x, y) to widget pixels under the current size (+y drawn downwards, as the maps read).
  QPointF toWidget(QPointF world) const;
  // Where the maze may be drawn: the widget less the legend above and the axes' labels left and below.
  QRectF mazeArea() const;

  // Opens a window on the dataset's maze (guessed from its name, or metadata env) with its
  // coverage; loads the file in the background. Returns the window (deleted on close). With a
  // checkpoint (a run's), a button evaluates its policy and draws the episodes over the data.
  static QWidget* openForDataset(const QString& nameOrPath, QWidget* parent = nullptr,
                                 const QString& checkpoint = QString());
  // True for an AntMaze environment as iql::guess_env detects it ("antmaze-umaze", ...): the hook
  // shows its button for such data whatever the file is called.
  static bool isAntMazeEnvironment(const QString& env);

protected:
  void paintEvent(QPaintEvent*) override;
  QSize sizeHint() const override { return {520, 420}; }

private:
  QString maze_;
  int bins_ = 8;
  std::vector<qint64> counts_;  // rows*bins x cols*bins
  qint64 points_ = 0, max_ = 0;
  struct Path { QVector<QPointF> xy; QColor color; int outcome = -1; };  // 1 reached, 0 not, -1 unknown
  int legendHeight() const;
  void drawLegend(QPainter& p) const;
  void drawAxes(QPainter& p) const;
  QVector<Path> paths_;
  QVector<QPointF> goals_;
  QString busy_;
};

}  // namespace iqlui
