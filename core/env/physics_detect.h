// Physics auto-detection at load time: replays a few hundred transitions of a dataset under every
// physics variant (core/env/physics_check.h) and picks the one that reproduces the data. The
// evidence (per-variant median next-observation error) is kept so the GUI and the CLI can show why,
// and the run stores it as an event. Used for `--physics auto` and the GUI's "auto" physics.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/env/physics_check.h"

namespace iql {

struct PhysicsDetection {
  std::string env;
  std::string chosen = "d4rl";  // always a valid physics name
  bool reproduced = false;      // true when the chosen variant reproduces the data (median error < 1e-4)
  std::string reason;           // one line: why this variant
  std::vector<PhysicsCheckResult> results;  // one per variant checked (empty when nothing could be replayed)
  std::string to_text() const;  // reason plus one evidence line per variant
  std::string to_json() const;  // {"env", "chosen", "reproduced", "reason", "variants": [...]}
};

// Never throws for data it cannot check: an env without physics variants (Pendulum), an env without
// state recovery or dimensions that do not match keep "d4rl" and say why in reason.
PhysicsDetection detect_physics(const Dataset& d, const std::string& env, int64_t max_transitions = 300);

}  // namespace iql
