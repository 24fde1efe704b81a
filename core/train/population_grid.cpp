#include "core/train/population_grid.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include "core/util/errors.h"

namespace iql {

namespace {
// Grid lists carry doubles: only numeric per-member settings take one.
bool grid_setting(const TrainSetting& s) { return s.per_member && s.is_numeric(); }
}  // namespace

const std::vector<std::string>& population_fields() {
  static const std::vector<std::string> f = [] {
    std::vector<std::string> names;
    for (const auto& s : train_settings())
      if (grid_setting(s)) names.push_back(s.key);
    return names;
  }();
  return f;
}

bool set_population_field(TrainConfig& c, const std::string& name, double v) {
  const TrainSetting* s = find_setting(name);
  if (!s || !grid_setting(*s)) return false;
  set_setting_number(*s, c, v);
  return true;
}

std::vector<TrainConfig> population_grid(const TrainConfig& base, const ValueLists& lists) {
  std::vector<TrainConfig> out = {base};
  for (const auto& [name, values] : lists) {
    if (values.empty()) throw ConfigError("population list for '" + name + "' is empty");
    std::vector<TrainConfig> next;
    for (const auto& c : out)
      for (double v : values) {
        TrainConfig m = c;
        if (!set_population_field(m, name, v))
          throw ConfigError("'" + name + "' cannot vary within a population (scalar hyperparameters and seed only)");
        next.push_back(m);
      }
    out = std::move(next);
  }
  for (const auto& c : out) c.validate();
  return out;
}

std::string new_population_id() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(getpid()));
  char out[64];
  std::snprintf(out, sizeof out, "pop-%s-%08llx", when, static_cast<unsigned long long>(rng() & 0xffffffffULL));
  return out;
}

}  // namespace iql
