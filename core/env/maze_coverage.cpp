#include "core/env/maze_coverage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/env/maze_drawing.h"
#include "core/util/errors.h"
#include "core/util/png_writer.h"

namespace iql {

namespace {

// Origin of the bin grid: the outer corner of maze cell (0, 0).
std::array<double, 2> grid_origin(const MazeMap& m) {
  const auto [x, y] = m.cell_centre({0, 0});
  return {x - 0.5 * MazeMap::kScale, y - 0.5 * MazeMap::kScale};
}

// 0 for no visits, else 1..levels by log density relative to the fullest bin.
int level(int64_t count, int64_t max_count, int levels) {
  if (count <= 0) return 0;
  if (max_count <= 1) return levels;
  const double f = std::log(static_cast<double>(count)) / std::log(static_cast<double>(max_count));
  return 1 + std::min(levels - 1, static_cast<int>(f * levels));
}

}  // namespace

bool MazeCoverage::bin_of(double x, double y, int* bx, int* by) const {
  const auto o = grid_origin(*maze);
  const double fx = (x - o[0]) / MazeMap::kScale * bins, fy = (y - o[1]) / MazeMap::kScale * bins;
  if (!(fx >= 0 && fy >= 0 && fx < width && fy < height)) return false;
  *bx = static_cast<int>(fx);
  *by = static_cast<int>(fy);
  return true;
}

MazeCoverage maze_coverage_xy(const MazeMap& m, const std::vector<float>& xy, int bins) {
  if (bins < 1 || bins > 64) throw ConfigError("maze coverage: bins must be in 1..64, got " + std::to_string(bins));
  MazeCoverage c;
  c.maze = &m;
  c.bins = bins;
  c.width = m.cols() * bins;
  c.height = m.rows() * bins;
  c.counts.assign(static_cast<size_t>(c.width) * c.height, 0);
  for (size_t i = 0; i + 1 < xy.size(); i += 2) {
    int bx, by;
    ++c.points;
    if (c.bin_of(xy[i], xy[i + 1], &bx, &by)) ++c.counts[static_cast<size_t>(by) * c.width + bx];
    else ++c.outside;
  }
  return c;
}

MazeCoverage maze_coverage(const MazeMap& m, const Dataset& d, int bins) {
  return maze_coverage_xy(m, observation_xy(d), bins);
}

std::string coverage_ascii(const MazeCoverage& c) {
  static const char kLevels[] = " .:oO@";
  const int64_t mx = *std::max_element(c.counts.begin(), c.counts.end());
  const Cell g = c.maze->eval_goal_cell();
  std::string out;
  for (int by = 0; by < c.height; ++by) {
    for (int bx = 0; bx < c.width; ++bx) {
      const int row = by / c.bins, col = bx / c.bins;
      char ch;
      if (c.maze->is_wall(row, col)) ch = '#';
      else if (c.at(bx, by) == 0 && row == g.row && col == g.col) ch = 'G';
      else ch = kLevels[level(c.at(bx, by), mx, 5)];
      out += ch;
    }
    out += '\n';
  }
  return out;
}

std::string coverage_summary(const MazeCoverage& c) {
  int free_cells = 0, visited = 0;
  for (const Cell cell : c.maze->free_cells()) {
    ++free_cells;
    int64_t n = 0;
    for (int dy = 0; dy < c.bins; ++dy)
      for (int dx = 0; dx < c.bins; ++dx) n += c.at(cell.col * c.bins + dx, cell.row * c.bins + dy);
    visited += n > 0;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%lld points (%lld outside the maze); %d of %d free cells visited (maze %s)",
                static_cast<long long>(c.points), static_cast<long long>(c.outside), visited, free_cells,
                c.maze->name.c_str());
  return buf;
}

void write_coverage_png(const MazeCoverage& c, const std::string& path, const std::vector<std::array<double, 2>>& marks,
                        int ppb) {
  ppb = std::max(1, ppb);
  const int W = c.width * ppb, H = c.height * ppb;
  std::vector<uint8_t> img(static_cast<size_t>(W) * H * 3, 255);
  auto put = [&](int x, int y, uint8_t r, uint8_t g, uint8_t b) {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    uint8_t* p = &img[(static_cast<size_t>(y) * W + x) * 3];
    p[0] = r, p[1] = g, p[2] = b;
  };
  const int64_t mx = *std::max_element(c.counts.begin(), c.counts.end());
  for (int by = 0; by < c.height; ++by)
    for (int bx = 0; bx < c.width; ++bx) {
      const Rgb col = c.maze->is_wall(by / c.bins, bx / c.bins) ? kMazeWallRgb : maze_heat_rgb(c.at(bx, by), mx);
      for (int py = 0; py < ppb; ++py)
        for (int px = 0; px < ppb; ++px) put(bx * ppb + px, by * ppb + py, col.r, col.g, col.b);
    }
  const Cell gc = c.maze->eval_goal_cell();
  const int x0 = gc.col * c.bins * ppb, y0 = gc.row * c.bins * ppb, s = c.bins * ppb;
  for (int i = 0; i < s; ++i)
    for (int t = 0; t < 2; ++t) {
      put(x0 + i, y0 + t, 0, 160, 0), put(x0 + i, y0 + s - 1 - t, 0, 160, 0);
      put(x0 + t, y0 + i, 0, 160, 0), put(x0 + s - 1 - t, y0 + i, 0, 160, 0);
    }
  const auto o = grid_origin(*c.maze);
  for (const auto& m : marks) {
    const int cx = static_cast<int>((m[0] - o[0]) / MazeMap::kScale * c.bins * ppb);
    const int cy = static_cast<int>((m[1] - o[1]) / MazeMap::kScale * c.bins * ppb);
    for (int dy = -3; dy <= 3; ++dy)
      for (int dx = -3; dx <= 3; ++dx)
        if (dx * dx + dy * dy <= 9) put(cx + dx, cy + dy, 0, 140, 0);
  }
  write_png_rgb(path, W, H, img);
}

}  // namespace iql
