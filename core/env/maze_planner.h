// D4RL's high-level AntMaze planner (maze_env.py _get_best_next_rowcol), quirks kept so generated
// data matches D4RL's: breadth-first search grows from the *target* over free cells, expanding each
// cell's neighbours in the order left (col-1), right (col+1), down (row+1), up (row-1), and returns
// the cell being expanded when one of its neighbours is the current cell, i.e. the next cell on a
// shortest path, ties broken by that order. The current cell itself may be a wall (D4RL maps xy to
// cells by truncation, half a cell off): it is still found from a free neighbour. Torch-free.
#pragma once
#include <array>
#include <functional>
#include <optional>

#include "core/env/maze_map.h"

namespace iql {

// current == target: target. std::nullopt when the target cannot reach the current cell.
std::optional<Cell> d4rl_next_cell(const MazeMap& m, Cell current, Cell target);

// D4RL's create_navigation_policy waypoint for the ant at (x, y) heading to goal: the goal itself
// when both map (d4rl_cell_of) to the same cell, else the next cell's centre plus U(0, 1) per axis
// (uniform01 called twice, x then y). Where D4RL would raise (no path) the goal is returned and
// *no_path set.
std::array<double, 2> d4rl_waypoint(const MazeMap& m, double x, double y, std::array<double, 2> goal,
                                    const std::function<double()>& uniform01, bool* no_path);

}  // namespace iql
