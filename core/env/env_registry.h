// Name -> environment factory. Pendulum is built in; MuJoCo locomotion envs (hopper, halfcheetah,
// walker2d, ant, antmaze-umaze|medium|large) are added by one register line each in env_registry.cpp's builtin table.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/env/env.h"

namespace iql {

// physics: "d4rl" (D4RL-era MuJoCo dynamics) or "gymnasium-v4"; ignored by Pendulum.
using EnvFactory = std::function<std::unique_ptr<Env>(const std::string& physics)>;

// Names are matched case-insensitively. Throws ConfigError for an unknown name (listing the known
// ones) or an unknown physics value.
std::unique_ptr<Env> make_env(const std::string& name, const std::string& physics = "d4rl");

// Known names, sorted.
std::vector<std::string> env_names();
bool is_env_name(const std::string& name);

// Adds or replaces a factory (tests, plug-ins). Thread-safe.
void register_env(const std::string& name, EnvFactory factory);

// The accepted physics values.
std::vector<std::string> physics_names();

}  // namespace iql
