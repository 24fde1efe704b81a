// D4RL AntMaze maps (d4rl/locomotion/maze_env.py, -v2) and their geometry. One grid per maze holds
// both of D4RL's variants, which share walls and free cells: 'G' is the evaluation goal cell, 'g'
// the generation map's goal cells (umaze: 'G' serves both). Cell (row, col) has its centre at
// x = 4 (col - c0), y = 4 (row - r0), where (r0, c0) is the start cell 'R' (the world origin);
// rows grow along +y. Walls are boxes of half-size 2 x 2 x 1 centred at z = 1. Torch-free.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace iql {

struct Cell {
  int row = 0, col = 0;
  bool operator==(const Cell& o) const { return row == o.row && col == o.col; }
  bool operator!=(const Cell& o) const { return !(*this == o); }
};

struct MazeMap {
  static constexpr double kScale = 4.0;        // maze_size_scaling
  static constexpr double kWallHeight = 0.5;   // in units of kScale: boxes of height 2

  std::string name;               // "umaze", "medium", "large"
  std::vector<std::string> grid;  // '#', '.', 'R', 'G', 'g'
  int max_episode_steps = 1000;   // evaluation time limit (-v2): 700 umaze, 1000 otherwise

  int rows() const { return static_cast<int>(grid.size()); }
  int cols() const { return grid.empty() ? 0 : static_cast<int>(grid[0].size()); }
  // Out-of-range cells count as walls.
  bool is_wall(int row, int col) const;
  bool is_free(int row, int col) const { return !is_wall(row, col); }
  Cell start_cell() const;               // 'R'
  Cell eval_goal_cell() const;           // 'G'
  std::vector<Cell> free_cells() const;  // row-major order, every non-wall cell
  std::vector<Cell> generation_goal_cells() const;  // 'g' cells, or the 'G' cell when there are none
  // Centre of a cell in world coordinates (D4RL _rowcol_to_xy without noise).
  std::pair<double, double> cell_centre(Cell c) const;
  // D4RL's _xy_to_rowcol, quirk kept: (int(r0 + y/4), int(c0 + x/4)) with x, y clamped to >= 1e-4,
  // i.e. truncation, not rounding: a position maps to the cell whose centre is up to one cell below
  // and left of it (half a cell off on average). The planner uses it so generated data matches D4RL's.
  Cell d4rl_cell_of(double x, double y) const;
  // The cell whose square contains (x, y) (rounding): the true geometry, for tests and views.
  Cell cell_containing(double x, double y) const;
  // The <geom type="box"> elements of the walls, to insert into <worldbody>.
  std::string walls_mjcf() const;
};

// "umaze", "medium", "large" or "open" (a walled 7x7 empty arena for policy checks, not D4RL's) (also accepted: "antmaze-umaze", "antmaze-medium-play", ...);
// throws ConfigError naming the known ones.
const MazeMap& maze_map(const std::string& name);

}  // namespace iql
