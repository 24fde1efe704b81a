// Top-down xy coverage of AntMaze data over its maze (the inspector's map): visit counts on a grid
// of `bins` x `bins` squares per maze cell, drawn as ASCII or written as a PNG. Image row 0 is maze
// row 0, so pictures read like the maps in shared/reference/antmaze.md (+y downwards). Torch-free.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/env/maze_map.h"

namespace iql {

struct MazeCoverage {
  const MazeMap* maze = nullptr;
  int bins = 4;               // per cell and axis
  int width = 0, height = 0;  // maze cols * bins, rows * bins
  std::vector<int64_t> counts;  // height x width
  int64_t points = 0, outside = 0;  // outside: beyond the maze's outer walls
  // Bin of a world position; false when outside.
  bool bin_of(double x, double y, int* bx, int* by) const;
  int64_t at(int bx, int by) const { return counts[static_cast<size_t>(by) * width + bx]; }
};

// xy: pairs (x0, y0, x1, y1, ...). bins >= 1 (ConfigError otherwise).
MazeCoverage maze_coverage_xy(const MazeMap& m, const std::vector<float>& xy, int bins);
// Observation columns 0 and 1 of every row (observation_xy: DataError when there are fewer).
MazeCoverage maze_coverage(const MazeMap& m, const Dataset& d, int bins);

// '#' wall, ' ' free and never visited, then '.', ':', 'o', 'O', '@' by log density; 'G' on the
// unvisited bins of the evaluation goal cell.
std::string coverage_ascii(const MazeCoverage& c);
// "N points, K of F free cells visited (...), ..."
std::string coverage_summary(const MazeCoverage& c);
// Walls grey, unvisited free space white, visits as a yellow-to-red heat (log scale), the
// evaluation goal cell outlined green and each mark a green dot. Throws DataError on write failure.
void write_coverage_png(const MazeCoverage& c, const std::string& path, const std::vector<std::array<double, 2>>& marks,
                        int pixels_per_bin);

}  // namespace iql
