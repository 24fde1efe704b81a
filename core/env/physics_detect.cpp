#include "core/env/physics_detect.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/env/env_registry.h"
#include "core/util/errors.h"

namespace iql {

namespace {
constexpr double kReproduced = 1e-4;  // median max-abs next-obs error of a matching simulator (float32 data)

std::string sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}
}  // namespace

PhysicsDetection detect_physics(const Dataset& d, const std::string& env, int64_t max_transitions) {
  PhysicsDetection det;
  det.env = env;
  if (env == "pendulum") {
    det.reason = "physics variants do not apply to pendulum";
    return det;
  }
  for (const std::string& physics : physics_names()) {
    try {
      PhysicsCheckResult r = check_physics(d, env, physics, max_transitions);
      if (r.checked > 0) det.results.push_back(std::move(r));
    } catch (const UserError& e) {
      det.reason = std::string("not checked (") + e.what() + "); keeping d4rl";
      det.results.clear();
      return det;
    }
  }
  if (det.results.empty()) {
    det.reason = "no transition could be replayed (state not recoverable); keeping d4rl";
    return det;
  }
  const PhysicsCheckResult* best = &det.results.front();
  for (const auto& r : det.results)
    if (r.obs_error.median < best->obs_error.median) best = &r;
  const PhysicsCheckResult* second = nullptr;
  for (const auto& r : det.results)
    if (&r != best && (!second || r.obs_error.median < second->obs_error.median)) second = &r;
  const bool distinct = !second || second->obs_error.median > 10 * best->obs_error.median + kReproduced;
  if (best->obs_error.median < kReproduced && distinct) {
    det.chosen = best->physics;
    det.reproduced = true;
    det.reason = best->physics + " reproduces the data (median next-obs error " + sci(best->obs_error.median) +
                 (second ? " vs " + sci(second->obs_error.median) + " under " + second->physics : std::string()) + ")";
  } else if (best->obs_error.median < kReproduced) {
    det.reason = "every variant reproduces the data equally well; keeping d4rl";
  } else {
    det.reason = "no variant reproduces the data (best median next-obs error " + sci(best->obs_error.median) + " under " +
                 best->physics + "); keeping d4rl";
  }
  return det;
}

std::string PhysicsDetection::to_text() const {
  std::ostringstream os;
  os << "physics " << chosen << ": " << reason << "\n";
  for (const auto& r : results)
    os << "  " << r.physics << ": " << r.checked << " transitions replayed, median next-obs error "
       << sci(r.obs_error.median) << ", " << static_cast<int>(100.0 * r.obs_error.fraction_below_1e4 + 0.5)
       << "% below 1e-4\n";
  return os.str();
}

std::string PhysicsDetection::to_json() const {
  nlohmann::json variants = nlohmann::json::array();
  for (const auto& r : results)
    variants.push_back({{"physics", r.physics},
                        {"checked", r.checked},
                        {"skipped", r.skipped},
                        {"median_next_obs_error", r.obs_error.median},
                        {"fraction_below_1e-4", r.obs_error.fraction_below_1e4}});
  return nlohmann::json{{"env", env}, {"chosen", chosen}, {"reproduced", reproduced}, {"reason", reason},
                        {"variants", variants}}
      .dump();
}

}  // namespace iql
