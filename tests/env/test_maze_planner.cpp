// D4RL's BFS waypoint planner against a breadth-first search written here independently: for every
// (current, target) pair of free cells on each map, the planner's next cell is a free neighbour one
// step closer to the target, and following it reaches the target in exactly the shortest distance.
// Also: the start-to-goal waypoint sequence on umaze, wall cells (D4RL's half-cell quirk) and an
// unreachable cell.
#include <QtTest/QtTest>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <vector>

#include "core/env/maze_map.h"
#include "core/env/maze_planner.h"

using iql::Cell;
using iql::MazeMap;

namespace {

// Distances from target over free cells, -1 where unreachable (a plain queue BFS).
std::vector<int> distances(const MazeMap& m, Cell target) {
  std::vector<int> d(m.rows() * m.cols(), -1);
  std::deque<Cell> q{target};
  d[target.row * m.cols() + target.col] = 0;
  while (!q.empty()) {
    const Cell c = q.front();
    q.pop_front();
    const int dr[4] = {1, -1, 0, 0}, dc[4] = {0, 0, 1, -1};
    for (int k = 0; k < 4; ++k) {
      const Cell n{c.row + dr[k], c.col + dc[k]};
      if (m.is_wall(n.row, n.col) || d[n.row * m.cols() + n.col] >= 0) continue;
      d[n.row * m.cols() + n.col] = d[c.row * m.cols() + c.col] + 1;
      q.push_back(n);
    }
  }
  return d;
}

bool adjacent(Cell a, Cell b) { return std::abs(a.row - b.row) + std::abs(a.col - b.col) == 1; }

}  // namespace

class TestMazePlanner : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void everyPairFollowsAShortestPath() {
    for (const char* name : {"umaze", "medium", "large"}) {
      const MazeMap& m = iql::maze_map(name);
      int pairs = 0;
      for (const Cell target : m.free_cells()) {
        const auto d = distances(m, target);
        auto dist = [&](Cell c) { return d[c.row * m.cols() + c.col]; };
        for (const Cell start : m.free_cells()) {
          QVERIFY(dist(start) >= 0);  // every map is connected
          Cell c = start;
          int steps = 0;
          while (c != target) {
            const auto next = iql::d4rl_next_cell(m, c, target);
            QVERIFY(next.has_value());
            QVERIFY(adjacent(c, *next));
            QVERIFY(m.is_free(next->row, next->col));
            QCOMPARE(dist(*next), dist(c) - 1);
            c = *next;
            QVERIFY(++steps <= dist(start));
          }
          QCOMPARE(steps, dist(start));
          QVERIFY(*iql::d4rl_next_cell(m, target, target) == target);
          ++pairs;
        }
      }
      const int f = static_cast<int>(m.free_cells().size());
      QCOMPARE(pairs, f * f);
    }
  }

  void umazeStartToGoalSequence() {
    const MazeMap& m = iql::maze_map("umaze");
    std::vector<Cell> path{m.start_cell()};
    while (path.back() != m.eval_goal_cell()) path.push_back(*iql::d4rl_next_cell(m, path.back(), m.eval_goal_cell()));
    const std::vector<Cell> want{{1, 1}, {1, 2}, {1, 3}, {2, 3}, {3, 3}, {3, 2}, {3, 1}};
    QVERIFY(path == want);
  }

  void wallCellsAndUnreachable() {
    const MazeMap& m = iql::maze_map("medium");
    const Cell target = m.eval_goal_cell();
    const auto d = distances(m, target);
    // A wall cell (where D4RL's truncation can put the ant): the next cell is its free neighbour
    // nearest the target.
    const Cell wall{1, 3};
    QVERIFY(m.is_wall(wall.row, wall.col));
    const auto next = iql::d4rl_next_cell(m, wall, target);
    QVERIFY(next.has_value());
    QVERIFY(adjacent(wall, *next) && m.is_free(next->row, next->col));
    int best = 1 << 30;
    for (const Cell n : {Cell{0, 3}, Cell{2, 3}, Cell{1, 2}, Cell{1, 4}})
      if (m.is_free(n.row, n.col)) best = std::min(best, d[n.row * m.cols() + n.col]);
    QCOMPARE(d[next->row * m.cols() + next->col], best);
    // The outer corner touches no free cell: no path.
    QVERIFY(!iql::d4rl_next_cell(m, Cell{0, 0}, target).has_value());
  }
};

QTEST_APPLESS_MAIN(TestMazePlanner)
#include "test_maze_planner.moc"
