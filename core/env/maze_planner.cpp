#include "core/env/maze_planner.h"

#include <vector>

namespace iql {

std::optional<Cell> d4rl_next_cell(const MazeMap& m, Cell current, Cell target) {
  if (current == target) return target;
  const int R = m.rows(), C = m.cols();
  std::vector<char> visited(static_cast<size_t>(R * C), 0);
  auto in_range = [&](Cell c) { return c.row >= 0 && c.row < R && c.col >= 0 && c.col < C; };
  std::vector<Cell> to_visit{target}, next_visit;
  while (!to_visit.empty()) {
    next_visit.clear();
    for (const Cell cell : to_visit) {
      if (in_range(cell)) visited[cell.row * C + cell.col] = 1;
      const Cell nbrs[4] = {{cell.row, cell.col - 1}, {cell.row, cell.col + 1}, {cell.row + 1, cell.col}, {cell.row - 1, cell.col}};
      for (const Cell n : nbrs) {
        if (n == current) return cell;
        if (!in_range(n) || m.is_wall(n.row, n.col) || visited[n.row * C + n.col]) continue;
        next_visit.push_back(n);  // as D4RL: marked visited when expanded, so duplicates may queue
      }
    }
    // Duplicates only repeat work; drop those already expanded to keep the queue small.
    to_visit.clear();
    for (const Cell c : next_visit)
      if (!visited[c.row * C + c.col]) {
        bool seen = false;
        for (const Cell d : to_visit) seen = seen || d == c;
        if (!seen) to_visit.push_back(c);
      }
  }
  return std::nullopt;
}

std::array<double, 2> d4rl_waypoint(const MazeMap& m, double x, double y, std::array<double, 2> goal,
                                    const std::function<double()>& uniform01, bool* no_path) {
  *no_path = false;
  const Cell robot = m.d4rl_cell_of(x, y), target = m.d4rl_cell_of(goal[0], goal[1]);
  if (robot == target) return goal;
  const auto next = d4rl_next_cell(m, robot, target);
  if (!next) {
    *no_path = true;
    return goal;
  }
  auto [cx, cy] = m.cell_centre(*next);
  cx += uniform01() * 0.25 * MazeMap::kScale;
  cy += uniform01() * 0.25 * MazeMap::kScale;
  return {cx, cy};
}

}  // namespace iql
