#include "core/train/population_grid.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include "core/util/errors.h"

namespace iql {

const std::vector<std::string>& population_fields() {
  static const std::vector<std::string> f = {"expectile", "temperature", "discount", "polyak",  "actor_lr",
                                             "value_lr",  "critic_lr",   "max_weight", "dropout", "seed"};
  return f;
}

bool set_population_field(TrainConfig& c, const std::string& name_in, double v) {
  const std::string name = name_in == "tau" ? "expectile" : name_in == "beta" ? "temperature" : name_in;
  if (name == "seed") {
    if (v < 0 || v != static_cast<double>(static_cast<uint64_t>(v))) throw ConfigError("seed must be a whole number >= 0");
    c.seed = static_cast<uint64_t>(v);
    return true;
  }
  double TrainConfig::*field = nullptr;
  if (name == "expectile") field = &TrainConfig::expectile;
  else if (name == "temperature") field = &TrainConfig::temperature;
  else if (name == "discount") field = &TrainConfig::discount;
  else if (name == "polyak") field = &TrainConfig::polyak;
  else if (name == "actor_lr") field = &TrainConfig::actor_lr;
  else if (name == "value_lr") field = &TrainConfig::value_lr;
  else if (name == "critic_lr") field = &TrainConfig::critic_lr;
  else if (name == "max_weight") field = &TrainConfig::max_weight;
  else if (name == "dropout") field = &TrainConfig::dropout;
  if (!field) return false;
  c.*field = v;
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
