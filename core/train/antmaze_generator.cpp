#include "core/train/antmaze_generator.h"

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "core/data/d4rl_hdf5_writer.h"
#include "core/env/antmaze_env.h"
#include "core/env/maze_goal.h"
#include "core/env/maze_planner.h"
#include "core/train/goal_reaching_policy.h"
#include "core/util/errors.h"

namespace iql {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// An episode's own stream for waypoint noise, policy samples and action noise.
struct Rng {
  std::mt19937_64 g;
  explicit Rng(uint64_t s) : g(s) {}
  double uniform() { return static_cast<double>(g() >> 11) * (1.0 / 9007199254740992.0); }
  double normal() {  // Box-Muller written out: the same numbers on every standard library
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.28318530717958647692 * u2);
  }
};

enum class Kind { kUmaze, kPlay, kDiverse };

struct Recipe {
  std::string maze;
  Kind kind;
};

Recipe recipe(const std::string& name) {
  if (name == "antmaze-umaze") return {"umaze", Kind::kUmaze};
  if (name == "antmaze-umaze-diverse") return {"umaze", Kind::kDiverse};
  if (name == "antmaze-medium-play") return {"medium", Kind::kPlay};
  if (name == "antmaze-medium-diverse") return {"medium", Kind::kDiverse};
  if (name == "antmaze-large-play") return {"large", Kind::kPlay};
  if (name == "antmaze-large-diverse") return {"large", Kind::kDiverse};
  std::string known;
  for (const auto& n : antmaze_dataset_names()) known += (known.empty() ? "" : ", ") + n;
  throw ConfigError("unknown AntMaze dataset '" + name + "' (known: " + known + ")");
}

// Everything one worker thread shares with the others: read-only inputs and the output arrays
// (each episode writes only its own rows).
struct Shared {
  const AntMazeGenOptions* o;
  const MazeMap* maze;
  Kind kind;
  const GoalReachingPolicy* policy;
  std::array<double, 2> eval_goal;
  int64_t rows_per_episode, episodes, groups;
  AntMazeGenerated* out;
  std::atomic<int64_t> next_group{0}, rows_done{0}, fallbacks{0};
  std::atomic<int> workers_left{0};
  uint64_t name_hash = 0;  // FNV-1a of the dataset name: sets with one seed do not share streams
  std::mutex mu;
  double physics_s = 0, policy_s = 0, planner_s = 0;
  std::exception_ptr error;
};

void start_episode(Shared& s, AntMazeEnv& env, uint64_t episode_seed, std::vector<float>* obs) {
  const MazeMap& m = *s.maze;
  *obs = env.reset(episode_seed);  // origin + D4RL reset noise; draws an evaluation goal we replace
  if (s.kind != Kind::kUmaze) {    // non_zero_reset: a free non-goal cell + U(0, 1) per axis
    const auto goals = m.generation_goal_cells();
    std::vector<Cell> starts;
    for (const Cell c : m.free_cells())
      if (std::find(goals.begin(), goals.end(), c) == goals.end()) starts.push_back(c);
    const Cell c = starts[std::min<size_t>(starts.size() - 1, static_cast<size_t>(env.uniform(0, 1) * starts.size()))];
    const auto [cx, cy] = m.cell_centre(c);
    env.set_xy(std::max(cx + env.uniform(0, 0.5) * 0.5 * MazeMap::kScale, 0.0),
               std::max(cy + env.uniform(0, 0.5) * 0.5 * MazeMap::kScale, 0.0));
    *obs = env.observation();
  }
  const std::vector<Cell> cells = s.kind == Kind::kDiverse ? m.free_cells() : m.generation_goal_cells();
  const Cell g = cells[std::min<size_t>(cells.size() - 1, static_cast<size_t>(env.uniform(0, 1) * cells.size()))];
  const auto goal = env.sample_goal(g);
  env.set_goal(goal[0], goal[1]);
}

// Runs one group of episodes [first, first + n) in lockstep.
void run_group(Shared& s, std::vector<std::unique_ptr<AntMazeEnv>>& envs, int64_t first, int n) {
  const AntMazeGenOptions& o = *s.o;
  AntMazeGenerated& out = *s.out;
  Dataset& d = out.data;
  constexpr int I = GoalReachingPolicy::kInputDim, A = GoalReachingPolicy::kActDim;
  std::vector<std::vector<float>> obs(n);
  std::vector<Rng> rngs;
  std::vector<int64_t> length(n);
  int64_t longest = 0;
  for (int k = 0; k < n; ++k) {
    const int64_t e = first + k;
    const uint64_t es = splitmix64((o.seed ^ s.name_hash) * 0x100000001b3ULL + static_cast<uint64_t>(e));
    rngs.emplace_back(splitmix64(es));
    start_episode(s, *envs[k], es, &obs[k]);
    length[k] = std::min(s.rows_per_episode, o.transitions - e * s.rows_per_episode);
    longest = std::max(longest, length[k]);
  }
  std::vector<float> in(static_cast<size_t>(n) * I), mean(static_cast<size_t>(n) * A), log_std(mean.size());
  std::vector<int> live;
  double physics = 0, policy = 0, planner = 0;
  int64_t fallbacks = 0;
  for (int64_t t = 0; t < longest; ++t) {
    auto t0 = Clock::now();
    live.clear();
    for (int k = 0; k < n; ++k)
      if (t < length[k]) live.push_back(k);
    const int L = static_cast<int>(live.size());
    for (int j = 0; j < L; ++j) {
      const int k = live[j];
      bool fb = false;
      const auto xy = envs[k]->xy();
      Rng& rng = rngs[k];
      const auto wp = d4rl_waypoint(*s.maze, xy[0], xy[1], envs[k]->goal(), [&rng] { return rng.uniform(); }, &fb);
      fallbacks += fb;
      GoalReachingPolicy::make_input(obs[k].data(), wp[0], wp[1], &in[static_cast<size_t>(j) * I]);
    }
    auto t1 = Clock::now();
    planner += std::chrono::duration<double>(t1 - t0).count();
    s.policy->forward(in.data(), L, mean.data(), log_std.data());
    auto t2 = Clock::now();
    policy += std::chrono::duration<double>(t2 - t1).count();
    for (int j = 0; j < L; ++j) {
      const int k = live[j];
      AntMazeEnv& env = *envs[k];
      const int64_t row = (first + k) * s.rows_per_episode + t;
      std::vector<float> a(A);
      for (int i = 0; i < A; ++i) {  // policy.get_action (a sample), then the script's noise
        const size_t at = static_cast<size_t>(j) * A + i;
        const double sample = std::tanh(mean[at] + std::exp(log_std[at]) * rngs[k].normal());
        a[i] = static_cast<float>(std::clamp(sample + o.action_noise * rngs[k].normal(), -1.0, 1.0));
      }
      std::copy(obs[k].begin(), obs[k].end(), &d.observations[row * 29]);
      std::copy(a.begin(), a.end(), &d.actions[row * A]);
      const StepResult r = env.step(a);
      std::copy(r.observation.begin(), r.observation.end(), &d.next_observations[row * 29]);
      const mjData* md = env.data();
      for (int i = 0; i < 15; ++i) out.qpos[row * 15 + i] = static_cast<float>(md->qpos[i]);
      for (int i = 0; i < 14; ++i) out.qvel[row * 14 + i] = static_cast<float>(md->qvel[i]);
      out.goals[row * 2] = static_cast<float>(env.goal()[0]);
      out.goals[row * 2 + 1] = static_cast<float>(env.goal()[1]);
      // relabel_antmaze_rewards: sparse reward and terminal from the post-step position
      const bool hit = within_goal(md->qpos[0], md->qpos[1], s.eval_goal);
      d.rewards[row] = hit ? 1.0f : 0.0f;
      d.terminals[row] = hit;
      d.timeouts[row] = t >= o.episode_steps;  // ts >= max_episode_steps in D4RL's loop
      obs[k] = r.observation;
    }
    physics += since(t2);
    s.rows_done += L;
  }
  s.fallbacks += fallbacks;
  std::lock_guard<std::mutex> lock(s.mu);
  s.physics_s += physics;
  s.policy_s += policy;
  s.planner_s += planner;
}

void worker(Shared& s) {
  try {
    std::vector<std::unique_ptr<AntMazeEnv>> envs;
    for (int k = 0; k < s.o->batch; ++k) {
      envs.push_back(std::make_unique<AntMazeEnv>(s.maze->name, s.o->physics));
      envs.back()->set_done_on_success(false);  // generation: dense reward, never done
    }
    for (int64_t g; (g = s.next_group++) < s.groups;) {
      const int64_t first = g * s.o->batch;
      run_group(s, envs, first, static_cast<int>(std::min<int64_t>(s.o->batch, s.episodes - first)));
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.error) s.error = std::current_exception();
    s.next_group = s.groups;  // the others stop at their next group
  }
  --s.workers_left;
}

}  // namespace

const std::vector<std::string>& antmaze_dataset_names() {
  static const std::vector<std::string> n = {"antmaze-umaze",        "antmaze-umaze-diverse",  "antmaze-medium-play",
                                             "antmaze-medium-diverse", "antmaze-large-play", "antmaze-large-diverse"};
  return n;
}

bool is_antmaze_dataset_name(const std::string& name) {
  const auto& n = antmaze_dataset_names();
  return std::find(n.begin(), n.end(), name) != n.end();
}

AntMazeGenerated generate_antmaze(const AntMazeGenOptions& o) {
  const auto t0 = Clock::now();
  const Recipe rc = recipe(o.dataset);
  if (o.transitions <= 0) throw ConfigError("--transitions must be positive, got " + std::to_string(o.transitions));
  if (o.threads <= 0 || o.batch <= 0 || o.episode_steps <= 0)
    throw ConfigError("AntMaze generation: threads, batch and episode_steps must be positive");
  const GoalReachingPolicy policy(o.policy_path.empty() ? GoalReachingPolicy::default_path() : o.policy_path);
  const MazeMap& maze = maze_map(rc.maze);

  AntMazeGenerated g;
  {  // relabel_antmaze_rewards: one evaluation env reset draws the goal every row is scored against
    AntMazeEnv ev(rc.maze, o.physics);
    ev.reset(splitmix64(o.seed ^ 0x5eed5eedULL));
    g.eval_goal = ev.goal();
  }
  const int64_t n = o.transitions, per = o.episode_steps + 1;
  Dataset& d = g.data;
  d.obs_dim = 29;
  d.act_dim = 8;
  d.observations.assign(n * 29, 0.f);
  d.next_observations.assign(n * 29, 0.f);
  d.actions.assign(n * 8, 0.f);
  d.rewards.assign(n, 0.f);
  d.terminals.assign(n, 0);
  d.timeouts.assign(n, 0);
  g.goals.assign(n * 2, 0.f);
  g.qpos.assign(n * 15, 0.f);
  g.qvel.assign(n * 14, 0.f);

  Shared s;
  s.o = &o;
  s.maze = &maze;
  s.kind = rc.kind;
  s.policy = &policy;
  s.eval_goal = g.eval_goal;
  s.rows_per_episode = per;
  s.episodes = (n + per - 1) / per;
  s.groups = (s.episodes + o.batch - 1) / o.batch;
  s.out = &g;
  s.name_hash = 0xcbf29ce484222325ULL;
  for (unsigned char ch : o.dataset) s.name_hash = (s.name_hash ^ ch) * 0x100000001b3ULL;

  // Each worker runs its groups' forwards itself: one intra-op thread each, no oversubscription.
  const int old_threads = torch::get_num_threads();
  torch::set_num_threads(1);
  std::vector<std::thread> pool;
  const int nthreads = static_cast<int>(std::min<int64_t>(o.threads, s.groups));
  s.workers_left = nthreads;
  for (int i = 0; i < nthreads; ++i) pool.emplace_back([&s] { worker(s); });
  while (s.workers_left.load() > 0) {  // progress from this thread, a few times a second
    if (o.on_progress) o.on_progress(s.rows_done.load(), n);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (auto& t : pool) t.join();
  torch::set_num_threads(old_threads);
  if (s.error) std::rethrow_exception(s.error);
  if (o.on_progress) o.on_progress(n, n);

  d.source = o.dataset;
  g.episodes = s.episodes;
  g.full_episodes = n / per;
  g.planner_fallbacks = s.fallbacks.load();
  for (float r : d.rewards) g.reward_transitions += r > 0.5f;
  g.physics_seconds = s.physics_s;
  g.policy_seconds = s.policy_s;
  g.planner_seconds = s.planner_s;
  d.rebuild_episode_index();
  auto& md = d.metadata;
  md["generator"] = "iql-workbench d4rl antmaze (D4RL goal-reaching policy + BFS planner)";
  md["env"] = "antmaze-" + rc.maze;
  md["dataset"] = o.dataset;
  md["physics"] = o.physics;
  md["seed"] = std::to_string(o.seed);
  md["batch"] = std::to_string(o.batch);
  md["action_noise"] = std::to_string(o.action_noise);
  md["transitions"] = std::to_string(n);
  md["episodes"] = std::to_string(g.episodes);
  md["eval_goal"] = std::to_string(g.eval_goal[0]) + " " + std::to_string(g.eval_goal[1]);
  md["reward_transitions"] = std::to_string(g.reward_transitions);
  md["planner_fallbacks"] = std::to_string(g.planner_fallbacks);
  g.seconds = since(t0);
  return g;
}

void write_antmaze_hdf5(const AntMazeGenerated& g, const std::string& path) {
  write_d4rl_hdf5(g.data, path, {{"infos/goal", 2, g.goals}, {"infos/qpos", 15, g.qpos}, {"infos/qvel", 14, g.qvel}});
}

}  // namespace iql
