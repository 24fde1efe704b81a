#include "core/env/env_registry.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "core/env/ant.h"
#include "core/env/antmaze_env.h"
#include "core/env/half_cheetah.h"
#include "core/env/hopper.h"
#include "core/env/pendulum.h"
#include "core/env/walker2d.h"
#include "core/util/errors.h"

namespace iql {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct Registry {
  std::mutex mu;
  std::map<std::string, EnvFactory> factories;
};

// Explicit table (not static-initialiser self-registration, which a static library's linker may
// drop). Add MuJoCo envs here: r.factories["hopper"] = [](const std::string& p) {...};
Registry& registry() {
  static Registry r;
  static std::once_flag once;
  std::call_once(once, [] {
    r.factories["pendulum"] = [](const std::string&) { return std::make_unique<PendulumEnv>(); };
    r.factories["hopper"] = [](const std::string& p) { return std::make_unique<HopperEnv>(p); };
    r.factories["halfcheetah"] = [](const std::string& p) { return std::make_unique<HalfCheetahEnv>(p); };
    r.factories["walker2d"] = [](const std::string& p) { return std::make_unique<Walker2dEnv>(p); };
    r.factories["ant"] = [](const std::string& p) { return std::make_unique<AntEnv>(p); };
    for (const char* maze : {"umaze", "medium", "large"})  // D4RL AntMaze -v2
      r.factories[std::string("antmaze-") + maze] = [maze](const std::string& p) {
        return std::make_unique<AntMazeEnv>(maze, p);
      };
  });
  return r;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::vector<std::string> physics_names() { return {"d4rl", "gymnasium-v4"}; }

std::unique_ptr<Env> make_env(const std::string& name, const std::string& physics) {
  const auto ph = physics_names();
  if (std::find(ph.begin(), ph.end(), lower(physics)) == ph.end())
    throw ConfigError("unknown physics '" + physics + "' (known: " + join(ph) + ")");
  EnvFactory factory;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    auto it = r.factories.find(lower(name));
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory) throw ConfigError("unknown environment '" + name + "' (known: " + join(env_names()) + ")");
  return factory(lower(physics));
}

std::vector<std::string> env_names() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<std::string> out;
  for (const auto& kv : r.factories) out.push_back(kv.first);
  return out;  // std::map keeps them sorted
}

bool is_env_name(const std::string& name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.factories.count(lower(name)) > 0;
}

void register_env(const std::string& name, EnvFactory factory) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.factories[lower(name)] = std::move(factory);
}

}  // namespace iql
