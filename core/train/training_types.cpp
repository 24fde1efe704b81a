#include "core/train/training_types.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace iql {

std::string RunEvent::payload_json() const {
  if (!payload.empty()) return payload;
  nlohmann::json j;
  if (kind == "hyperparameter" || kind == "hyperparameter_rejected") j = {{"name", name}, {"old", old_value}, {"new", new_value}};
  else j = nlohmann::json::object();
  return j.dump();
}

Histogram make_histogram(const std::string& name, const std::vector<float>& values, int bins) {
  Histogram h;
  h.name = name;
  double lo = 0.0, hi = 1.0;
  if (!values.empty()) {
    auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    lo = *mn;
    hi = *mx;
  }
  if (!(hi > lo)) {  // constant data: a unit-wide bin range around it
    lo -= 0.5;
    hi += 0.5;
  }
  h.edges.resize(bins + 1);
  for (int i = 0; i <= bins; ++i) h.edges[i] = lo + (hi - lo) * i / bins;
  h.counts.assign(bins, 0.0);
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    int b = static_cast<int>((v - lo) / (hi - lo) * bins);
    h.counts[std::clamp(b, 0, bins - 1)] += 1.0;
  }
  return h;
}

}  // namespace iql
