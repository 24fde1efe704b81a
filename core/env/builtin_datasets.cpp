#include "core/env/builtin_datasets.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>

#include "core/data/crash_isolation.h"
#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/d4rl_hdf5_writer.h"
#include "core/env/pendulum.h"
#include "core/env/pendulum_controllers.h"
#include "core/util/errors.h"

namespace iql {

namespace {

// Bump when generation changes, so stale cached files are regenerated.
const char* const kGenerator = "iql-workbench builtin pendulum v1";

struct Spec {
  const char* name;
  int episodes;
  const char* behaviour;  // human-readable, stored in metadata
  std::function<PendulumBehaviour(int episode, int episodes)> schedule;
};

const std::vector<Spec>& specs() {
  static const std::vector<Spec> s = {
      {"pendulum-random", 100, "uniform random torque in [-2, 2]",
       [](int, int) { return pendulum_random_behaviour(); }},
      {"pendulum-medium", 100, "expert with p=0.6 uniform random actions and N(0, 0.5) noise",
       [](int, int) { return pendulum_medium_behaviour(); }},
      // Random-action probability falls linearly from 1 (random) to medium's over the episodes.
      {"pendulum-medium-replay", 75, "policies improving linearly from random to medium",
       [](int e, int n) {
         PendulumBehaviour m = pendulum_medium_behaviour();
         const double frac = n > 1 ? static_cast<double>(e) / (n - 1) : 1.0;
         m.random_prob = 1.0 - frac * (1.0 - m.random_prob);
         return m;
       }},
      {"pendulum-expert", 100, "expert with N(0, 0.1) action noise",
       [](int, int) { return pendulum_expert_behaviour(); }},
  };
  return s;
}

const Spec& find_spec(const std::string& name) {
  for (const auto& s : specs())
    if (name == s.name) return s;
  std::string known;
  for (const auto& s : specs()) known += (known.empty() ? "" : ", ") + std::string(s.name);
  throw ConfigError("unknown built-in dataset '" + name + "' (known: " + known + ")");
}

// splitmix64: independent env/policy streams per dataset from one user seed.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Portable string hash (std::hash differs between standard libraries).
uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

}  // namespace

std::vector<std::string> builtin_dataset_names() {
  std::vector<std::string> out;
  for (const auto& s : specs()) out.emplace_back(s.name);
  return out;
}

bool is_builtin_dataset(const std::string& name) {
  for (const auto& s : specs())
    if (name == s.name) return true;
  return false;
}

Dataset generate_builtin_dataset(const std::string& name, uint64_t seed) {
  const Spec& spec = find_spec(name);
  const uint64_t salt = fnv1a(name) & 0xFFFFFFFFull;
  PendulumEnv env;
  PendulumBehaviourPolicy policy(spec.schedule(0, spec.episodes), mix(seed ^ (salt << 1)));
  const int T = env.max_episode_steps();
  const int64_t n = static_cast<int64_t>(spec.episodes) * T;

  Dataset d;
  d.source = name;
  d.obs_dim = env.obs_dim();
  d.act_dim = env.act_dim();
  d.observations.reserve(n * d.obs_dim);
  d.next_observations.reserve(n * d.obs_dim);
  d.actions.reserve(n);
  d.rewards.reserve(n);
  d.terminals.assign(n, 0);
  d.timeouts.assign(n, 0);

  std::vector<float> obs = env.reset(mix(seed ^ ((salt << 1) | 1)));
  for (int e = 0; e < spec.episodes; ++e) {
    if (e > 0) obs = env.reset();
    policy.set_behaviour(spec.schedule(e, spec.episodes));
    for (int t = 0; t < T; ++t) {
      const std::vector<float> a = policy.act(obs);
      StepResult r = env.step(a);
      d.observations.insert(d.observations.end(), obs.begin(), obs.end());
      d.actions.push_back(a[0]);
      d.rewards.push_back(static_cast<float>(r.reward));
      d.next_observations.insert(d.next_observations.end(), r.observation.begin(),
                                 r.observation.end());
      d.timeouts[d.rewards.size() - 1] = r.timeout ? 1 : 0;
      obs = std::move(r.observation);
    }
  }
  d.rebuild_episode_index();

  double mean = 0.0;
  for (double r : d.episode_returns()) mean += r;
  mean /= static_cast<double>(d.num_episodes());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", mean);
  d.metadata["generator"] = kGenerator;
  d.metadata["env"] = "pendulum";
  d.metadata["dataset"] = name;
  d.metadata["seed"] = std::to_string(seed);
  d.metadata["behaviour"] = spec.behaviour;
  d.metadata["behaviour_return_mean"] = buf;
  d.metadata["episodes"] = std::to_string(spec.episodes);
  return d;
}

std::string builtin_dataset_path(const std::string& name) {
  find_spec(name);  // reject unknown names before building a path from them
  std::filesystem::path base;
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg && std::filesystem::path(xdg).is_absolute()) {  // XDG: relative = ignore
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    if (!home || !*home) throw ConfigError("neither XDG_DATA_HOME nor HOME is set: no place for built-in datasets");
    base = std::filesystem::path(home) / ".local" / "share";
  }
  return (base / "iql-workbench" / "datasets" / (name + ".hdf5")).string();
}

namespace {

// The cached file when it exists, reads whole and comes from this generator; else nothing.
bool read_cached(const std::string& path, Dataset* out) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  try {
    std::unique_lock<std::mutex> lock(hdf5_mutex());  // see crash_isolation.h (our own cache: no child)
    Dataset d = read_d4rl_hdf5(path);
    lock.unlock();
    auto it = d.metadata.find("generator");
    if (it == d.metadata.end() || it->second != kGenerator) return false;
    *out = std::move(d);
    return true;
  } catch (const UserError&) {
    return false;  // corrupt, partial or stale cache: regenerate
  }
}

}  // namespace

Dataset load_or_create_builtin(const std::string& name) {
  const std::string path = builtin_dataset_path(name);
  Dataset d;
  if (read_cached(path, &d)) return d;
  d = generate_builtin_dataset(name, 0);
  // Another process may have written it while we generated (first use by several runs at once):
  // its file is as good as ours (generation is deterministic), so take it and write nothing.
  Dataset theirs;
  if (read_cached(path, &theirs)) return theirs;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) throw DataError(path, "", "cannot create its folder: " + ec.message());
  // The writer writes a private temporary file and renames it, so concurrent writers never
  // collide and readers never see half a file; the last rename wins with an identical file.
  write_d4rl_hdf5(d, path);
  d.source = path;
  return d;
}

}  // namespace iql
