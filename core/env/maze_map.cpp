#include "core/env/maze_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/util/errors.h"

namespace iql {

namespace {

MazeMap make(const std::string& name, int limit, std::vector<std::string> grid) {
  MazeMap m;
  m.name = name;
  m.grid = std::move(grid);
  m.max_episode_steps = limit;
  return m;
}

const std::map<std::string, MazeMap>& maps() {
  // shared/reference/antmaze.md (D4RL U_MAZE, BIG_MAZE, HARDEST_MAZE and their _EVAL variants).
  static const std::map<std::string, MazeMap> m = {
      {"umaze", make("umaze", 700,
                     {"#####",
                      "#R..#",
                      "###.#",
                      "#G..#",
                      "#####"})},
      {"medium", make("medium", 1000,
                      {"########",
                       "#R.##..#",
                       "#..#..g#",
                       "##...###",
                       "#..#...#",
                       "#g#..#.#",
                       "#...#gG#",
                       "########"})},
      {"large", make("large", 1000,
                     {"############",
                      "#R...#g....#",
                      "#.##.#.#.#.#",
                      "#....g.#..g#",
                      "#.####.###.#",
                      "#.g#.#.....#",
                      "##.#.#.#.###",
                      "#..#g.g#.G.#",
                      "############"})},
      // Not D4RL's: an open 7 x 7 arena (start in the middle) where the policy check walks the ant
      // toward waypoints in every direction without walls in the way.
      {"open", make("open", 1000,
                    {"#########",
                     "#G......#",
                     "#.......#",
                     "#.......#",
                     "#...R...#",
                     "#.......#",
                     "#.......#",
                     "#.......#",
                     "#########"})},
  };
  return m;
}

Cell find_one(const MazeMap& m, char what) {
  for (int r = 0; r < m.rows(); ++r)
    for (int c = 0; c < m.cols(); ++c)
      if (m.grid[r][c] == what) return {r, c};
  throw ConfigError("maze '" + m.name + "' has no '" + std::string(1, what) + "' cell");
}

}  // namespace

bool MazeMap::is_wall(int row, int col) const {
  if (row < 0 || row >= rows() || col < 0 || col >= cols()) return true;
  return grid[row][col] == '#';
}

Cell MazeMap::start_cell() const { return find_one(*this, 'R'); }
Cell MazeMap::eval_goal_cell() const { return find_one(*this, 'G'); }

std::vector<Cell> MazeMap::free_cells() const {
  std::vector<Cell> out;
  for (int r = 0; r < rows(); ++r)
    for (int c = 0; c < cols(); ++c)
      if (!is_wall(r, c)) out.push_back({r, c});
  return out;
}

std::vector<Cell> MazeMap::generation_goal_cells() const {
  std::vector<Cell> out;
  for (int r = 0; r < rows(); ++r)
    for (int c = 0; c < cols(); ++c)
      if (grid[r][c] == 'g') out.push_back({r, c});
  if (out.empty()) out.push_back(eval_goal_cell());
  return out;
}

std::pair<double, double> MazeMap::cell_centre(Cell c) const {
  const Cell s = start_cell();
  return {kScale * (c.col - s.col), kScale * (c.row - s.row)};
}

Cell MazeMap::d4rl_cell_of(double x, double y) const {
  const Cell s = start_cell();
  x = std::max(x, 1e-4);
  y = std::max(y, 1e-4);
  return {static_cast<int>(s.row + y / kScale), static_cast<int>(s.col + x / kScale)};
}

Cell MazeMap::cell_containing(double x, double y) const {
  const Cell s = start_cell();
  return {s.row + static_cast<int>(std::floor(y / kScale + 0.5)), s.col + static_cast<int>(std::floor(x / kScale + 0.5))};
}

std::string MazeMap::walls_mjcf() const {
  std::string out;
  char buf[256];
  const double half = 0.5 * kScale, hz = 0.5 * kWallHeight * kScale;
  for (int r = 0; r < rows(); ++r)
    for (int c = 0; c < cols(); ++c) {
      if (!is_wall(r, c)) continue;
      const auto [x, y] = cell_centre({r, c});
      std::snprintf(buf, sizeof buf,
                    "<geom name=\"block_%d_%d\" type=\"box\" pos=\"%g %g %g\" size=\"%g %g %g\" contype=\"1\" "
                    "conaffinity=\"1\" rgba=\"0.7 0.5 0.3 1.0\"/>\n",
                    r, c, x, y, hz, half, half, hz);
      out += buf;
    }
  return out;
}

const MazeMap& maze_map(const std::string& name) {
  std::string key = name;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (key.rfind("antmaze-", 0) == 0) key = key.substr(8);
  key = key.substr(0, key.find('-'));  // "medium-play-v2" -> "medium"
  const auto it = maps().find(key);
  if (it == maps().end()) throw ConfigError("unknown maze '" + name + "' (known: umaze, medium, large; open is the policy check arena)");
  return it->second;
}

}  // namespace iql
