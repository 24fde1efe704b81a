#include "core/env/maze_drawing.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/util/errors.h"

namespace iql {

Rgb maze_heat_rgb(int64_t count, int64_t max_count) {
  if (count <= 0) return {};
  const double f = max_count > 1 ? std::log(static_cast<double>(count)) / std::log(static_cast<double>(max_count)) : 1.0;
  return {static_cast<uint8_t>(255 - 120 * std::max(0.0, f - 0.6) / 0.4), static_cast<uint8_t>(235 * (1.0 - f)),
          static_cast<uint8_t>(150 * (1.0 - f) * (1.0 - f))};
}

std::vector<float> observation_xy(const Dataset& d) {
  if (d.obs_dim < 2)
    throw DataError(d.source, "observations",
                    "has " + std::to_string(d.obs_dim) + " columns, expected x, y in columns 0 and 1");
  std::vector<float> xy(static_cast<size_t>(d.size()) * 2);
  for (int64_t i = 0; i < d.size(); ++i) {
    xy[2 * i] = d.observations[i * d.obs_dim];
    xy[2 * i + 1] = d.observations[i * d.obs_dim + 1];
  }
  return xy;
}

std::vector<float> flatten_paths(const std::vector<std::vector<float>>& paths) {
  std::vector<float> xy;
  for (const auto& p : paths) xy.insert(xy.end(), p.begin(), p.end());
  return xy;
}

std::vector<std::array<double, 2>> path_points(const std::vector<float>& xy) {
  std::vector<std::array<double, 2>> points;
  points.reserve(xy.size() / 2);
  for (size_t i = 0; i + 1 < xy.size(); i += 2) points.push_back({xy[i], xy[i + 1]});
  return points;
}

}  // namespace iql
