#include "core/env/env_guess.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/env/env_registry.h"

namespace iql {

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
// The longest env name contained in text ("antmaze" must not match "ant" first; none do today).
std::string env_in(const std::string& text) {
  std::string found;
  for (const auto& env : env_names())
    if (text.find(env) != std::string::npos && env.size() > found.size()) found = env;
  return found;
}
}  // namespace

std::string guess_env(const Dataset& d) {
  for (const char* key : {"env", "env_name", "env_id", "environment"}) {
    auto it = d.metadata.find(key);
    if (it != d.metadata.end()) {
      const std::string env = env_in(lower(it->second));
      if (!env.empty()) return env;
    }
  }
  const std::string from_name = env_in(lower(std::filesystem::path(d.source).filename().string()));
  if (!from_name.empty()) return from_name;
  std::string match;
  for (const auto& env : env_names()) {
    try {
      auto e = make_env(env);
      if (e->obs_dim() != d.obs_dim || e->act_dim() != d.act_dim) continue;
    } catch (const std::exception&) {
      continue;
    }
    if (!match.empty()) return "";  // several fit (halfcheetah and walker2d share 17/6)
    match = env;
  }
  return match;
}

}  // namespace iql
