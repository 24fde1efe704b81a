// iql eval: run a checkpoint's deterministic policy in an environment.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/env/maze_coverage.h"
#include "core/env/maze_drawing.h"
#include "core/env/maze_goal.h"
#include "core/env/maze_map.h"
#include "core/train/checkpoint_eval.h"
#include "core/util/errors.h"

namespace iql::cli {

int cmd_eval(const ArgList& argv) {
  Args a("eval", "CHECKPOINT [--env NAME] [--episodes N] [--seed S] [--json]",
         "Evaluates the deterministic policy stored in a checkpoint (written by iql train) and prints the\n"
         "mean and std of the episode return and, where known, the D4RL-normalised score.",
         {{"env", "NAME", "environment (default: the one the run was trained for)", ""},
          {"physics", "VARIANT", "physics variant (default: the run's)", ""},
          {"episodes", "N", "number of episodes", "10"},
          {"seed", "S", "episodes seeded S, S+1, ... (default: the run's own evaluation episodes at that step)", ""},
          {"threads", "N", "torch intra-op threads", "2"},
          {"device", "DEV", "cpu, cuda or auto: where the policy runs (physics stays on the CPU)", "auto"},
          {"maze-png", "OUT", "AntMaze: draw the episodes' paths over the maze, goals marked, and count successes", ""},
          {"json", "", "machine-readable output", ""}},
         {"CHECKPOINT"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql eval: missing CHECKPOINT (a .pt file written by iql train)");
  const int episodes = static_cast<int>(a.integer("episodes"));
  if (episodes < 1) throw ConfigError("iql eval: --episodes expects a positive integer");
  set_threads(static_cast<int>(a.integer("threads")));
  std::optional<uint64_t> seed;
  if (a.has("seed")) seed = static_cast<uint64_t>(a.integer("seed"));
  const std::string png = a.str("maze-png");
  EvaluationPaths paths;
  auto r = evaluate_checkpoint(a.positional()[0], a.str("env"), a.str("physics"), episodes, seed,
                               png.empty() ? nullptr : &paths, a.str("device"));
  int reached = -1;
  if (!png.empty()) {
    if (paths.goals.empty()) throw ConfigError("iql eval: --maze-png needs an AntMaze environment, not '" + paths.env + "'");
    reached = 0;
    for (size_t e = 0; e < paths.xy.size(); ++e) reached += episode_reached_goal(r.returns, e);
    write_coverage_png(maze_coverage_xy(maze_map(paths.env), flatten_paths(paths.xy), 8), png, paths.goals, 8);
  }
  int64_t env_steps = 0;
  for (int64_t n : r.lengths) env_steps += n;
  if (a.flag("json")) {
    nlohmann::json j{{"checkpoint", a.positional()[0]}, {"step", r.step},           {"episodes", episodes},
                     {"return_mean", r.return_mean},    {"return_std", r.return_std}, {"returns", r.returns},
                     {"lengths", r.lengths},            {"env_steps", env_steps},     {"seconds", r.seconds}};
    if (r.normalized_score) j["normalized_score"] = *r.normalized_score;
    if (reached >= 0) j["reached_goal"] = reached, j["maze_png"] = png;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("return %.1f +- %.1f over %d episodes (policy after %lld steps)", r.return_mean, r.return_std,
                episodes, static_cast<long long>(r.step));
    if (r.normalized_score) std::printf(", normalised score %.1f", *r.normalized_score);
    std::printf("\n%lld environment steps (episodes of %lld to %lld) in %.3f s\n", static_cast<long long>(env_steps),
                static_cast<long long>(*std::min_element(r.lengths.begin(), r.lengths.end())),
                static_cast<long long>(*std::max_element(r.lengths.begin(), r.lengths.end())), r.seconds);
    if (reached >= 0) std::printf("%d of %d episodes reached the goal; their paths are drawn in %s\n", reached, episodes, png.c_str());
  }
  return 0;
}

}  // namespace iql::cli
