// What the CLI's maze pictures (maze_coverage's PNG) and the GUI's MazeView draw alike, defined once
// so that both read the same: the grey of walls, the heat colour of a bin's visit count, the xy a
// dataset is drawn by (observation columns 0 and 1) and recorded paths as points. Torch-free, Qt-free.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "core/data/dataset.h"

namespace iql {

struct Rgb {
  uint8_t r = 255, g = 255, b = 255;
  bool operator==(const Rgb& o) const { return r == o.r && g == o.g && b == o.b; }
};

constexpr Rgb kMazeWallRgb{110, 110, 110};

// A bin visited `count` times when the fullest bin holds `max_count`: log density
// f = log(count) / log(max_count) (1 when max_count <= 1) on a ramp from pale yellow (255, 235, 150)
// at f = 0 through red at f = 0.6 to dark red (135, 0, 0) at f = 1. White for count <= 0.
Rgb maze_heat_rgb(int64_t count, int64_t max_count);

// Observation columns 0 and 1 of every row as x0, y0, x1, y1, ... (AntMaze: the torso's xy).
// Throws DataError naming the dataset when it has fewer than 2 observation columns.
std::vector<float> observation_xy(const Dataset& d);

// Recorded paths (each x0, y0, x1, y1, ...) one after the other in one flat xy list.
std::vector<float> flatten_paths(const std::vector<std::vector<float>>& paths);
// A flat x0, y0, x1, y1, ... list as points; an odd trailing value is dropped.
std::vector<std::array<double, 2>> path_points(const std::vector<float>& xy);

}  // namespace iql
