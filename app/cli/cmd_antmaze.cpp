// iql datasets generate antmaze-* (D4RL's AntMaze recipe) and iql datasets maze-map FILE: the
// argument parsing and printing; the work is in core/train/antmaze_generator and core/env/maze_coverage.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/data/dataset_loader.h"
#include "core/env/maze_coverage.h"
#include "core/env/maze_drawing.h"
#include "core/train/antmaze_generator.h"
#include "core/train/antmaze_policy_check.h"
#include "core/util/errors.h"

namespace iql::cli {

int cmd_datasets_generate_antmaze(const ArgList& argv) {
  Args a("datasets generate", "antmaze-NAME [--transitions N] [--out FILE] [--seed S]",
         "Generates an AntMaze dataset with D4RL's recipe: D4RL's low-level goal-reaching policy (sampled,\n"
         "plus N(0, 0.2^2) action noise) steered by its BFS waypoint planner toward a goal drawn per\n"
         "episode, 1000-step time-outs (1001 rows per episode), rewards and terminals relabelled against\n"
         "one evaluation goal, infos/goal, infos/qpos, infos/qvel. NAME: antmaze-umaze, antmaze-umaze-diverse,\n"
         "antmaze-medium-play, antmaze-medium-diverse, antmaze-large-play, antmaze-large-diverse.",
         {{"out", "FILE", "output file (default: NAME.hdf5)", ""},
          {"seed", "S", "generator seed", "0"},
          {"transitions", "N", "transitions (D4RL: 1000000)", "1000000"},
          {"threads", "N", "worker threads (physics + policy)", "2"},
          {"batch", "N", "episodes per lockstep group (one batched policy forward per step)", "25"},
          {"physics", "VARIANT", "d4rl or gymnasium-v4", "d4rl"},
          {"map", "PNG", "also write the xy coverage picture of the data to PNG", ""}},
         {"NAME"});
  if (!a.parse(argv)) return 0;
  AntMazeGenOptions o;
  o.dataset = a.positional().at(0);
  o.transitions = a.integer("transitions");
  o.seed = static_cast<uint64_t>(a.integer("seed"));
  o.threads = static_cast<int>(a.integer("threads"));
  o.batch = static_cast<int>(a.integer("batch"));
  o.physics = a.str("physics");
  const auto t0 = std::chrono::steady_clock::now();
  double last = -1.0;
  o.on_progress = [&](int64_t done, int64_t total) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s - last < 5.0 && done < total) return;
    last = s;
    std::fprintf(stderr, "[iql] %s: %lld/%lld transitions | %.0f transitions/s | %.0f s\n", o.dataset.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), done / std::max(s, 1e-9), s);
  };
  const AntMazeGenerated g = generate_antmaze(o);
  const std::string out = a.str("out").empty() ? o.dataset + ".hdf5" : a.str("out");
  const auto tw = std::chrono::steady_clock::now();
  write_antmaze_hdf5(g, out);
  const double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - tw).count();
  const int64_t n = g.data.size();
  std::printf("wrote %s: %lld transitions, %lld episodes (%lld of 1001 rows), %lld reward-1 transitions (%.4f), "
              "evaluation goal (%.2f, %.2f)\n",
              out.c_str(), static_cast<long long>(n), static_cast<long long>(g.episodes),
              static_cast<long long>(g.full_episodes), static_cast<long long>(g.reward_transitions),
              static_cast<double>(g.reward_transitions) / std::max<int64_t>(n, 1), g.eval_goal[0], g.eval_goal[1]);
  std::printf("time %.1f s generating (%.0f transitions/s) + %.1f s writing; thread-seconds: physics %.1f, "
              "policy %.1f, planner %.1f; planner fallbacks %lld\n",
              g.seconds, n / std::max(g.seconds, 1e-9), write_s, g.physics_seconds, g.policy_seconds, g.planner_seconds,
              static_cast<long long>(g.planner_fallbacks));
  if (!a.str("map").empty()) {
    const MazeCoverage c = maze_coverage(maze_map(o.dataset), g.data, 4);
    write_coverage_png(c, a.str("map"), {g.eval_goal}, 8);
    std::printf("wrote %s\n", a.str("map").c_str());
  }
  return 0;
}

int cmd_datasets_maze_map(const ArgList& argv) {
  Args a("datasets maze-map", "FILE [--maze NAME] [--png OUT] [--bins N]",
         "Top-down xy coverage of an AntMaze dataset (observation columns 0 and 1) over its maze: an ASCII\n"
         "map on stdout ('#' wall, ' ' never visited, then . : o O @ by visit density, G evaluation goal\n"
         "cell) and, with --png, a picture (walls grey, density as heat, the goal cell outlined).",
         {{"maze", "NAME", "umaze, medium or large (default: from the file name or metadata)", ""},
          {"png", "OUT", "write a PNG picture too", ""},
          {"bins", "N", "bins per maze cell and axis", "4"}},
         {"FILE"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql datasets maze-map: missing FILE");
  const std::string file = a.positional()[0];
  const Dataset d = read_dataset_file(file);
  std::string maze = a.str("maze");
  if (maze.empty()) {
    const auto it = d.metadata.find("env");
    if (it != d.metadata.end() && it->second.rfind("antmaze", 0) == 0) maze = it->second;
    for (const char* m : {"umaze", "medium", "large"})
      if (maze.empty() && file.find(m) != std::string::npos) maze = m;
    if (maze.empty()) throw ConfigError("iql datasets maze-map: cannot tell the maze of '" + file + "': pass --maze");
  }
  const MazeCoverage c = maze_coverage(maze_map(maze), d, static_cast<int>(a.integer("bins")));
  std::printf("%s", coverage_ascii(c).c_str());
  std::printf("%s\n", coverage_summary(c).c_str());
  if (!a.str("png").empty()) {
    write_coverage_png(c, a.str("png"), {}, 8);
    std::printf("wrote %s\n", a.str("png").c_str());
  }
  return 0;
}

int cmd_datasets_check_antmaze_policy(const ArgList& argv) {
  Args a("datasets check-antmaze-policy", "[--maze NAME] [--episodes N] [--deterministic]",
         "Checks that D4RL's low-level AntMaze policy walks under our physics: from rest, how often it gets\n"
         "within 0.5 m of a waypoint 4 m away within 100 steps (open arena, directions around the circle),\n"
         "and the success rate of planner-driven navigation episodes in the maze (evaluation rules).",
         {{"maze", "NAME", "umaze, medium or large", "umaze"},
          {"episodes", "N", "navigation episodes", "100"},
          {"trials", "N", "waypoint trials", "100"},
          {"seed", "S", "seed", "0"},
          {"deterministic", "", "mean action tanh(mean) without noise (default: sampled + N(0, 0.2^2))", ""},
          {"physics", "VARIANT", "d4rl or gymnasium-v4", "d4rl"},
          {"png", "OUT", "draw the navigation paths over the maze", ""}});
  if (!a.parse(argv)) return 0;
  PolicyCheckOptions o;
  o.maze = a.str("maze");
  o.episodes = static_cast<int>(a.integer("episodes"));
  o.reach_trials = static_cast<int>(a.integer("trials"));
  o.seed = static_cast<uint64_t>(a.integer("seed"));
  o.sampled = !a.flag("deterministic");
  o.physics = a.str("physics");
  if (o.episodes < 1 || o.reach_trials < 1) throw ConfigError("--episodes and --trials must be positive");
  const PolicyCheckResult r = check_antmaze_policy(o);
  std::printf("%s policy (%s):\n%s", o.sampled ? "sampled + noise 0.2" : "deterministic", o.maze.c_str(),
              r.to_text().c_str());
  if (!a.str("png").empty()) {
    write_coverage_png(maze_coverage_xy(maze_map(o.maze), flatten_paths(r.paths), 8), a.str("png"), r.goals, 4);
    std::printf("wrote %s\n", a.str("png").c_str());
  }
  return 0;
}

}  // namespace iql::cli
