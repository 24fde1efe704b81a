// iql datasets list | generate | inspect
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/env/builtin_datasets.h"
#include "core/data/d4rl_hdf5_writer.h"
#include "core/data/dataset_inspector.h"
#include "core/bench/benchmark_suite.h"
#include "core/env/physics_check.h"
#include "core/train/d4rl_generator.h"
#include "core/env/dataset_source.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {
const char* kUsage =
    "usage: iql datasets <list|generate|inspect> [options]\n\n"
    "  list                         built-in datasets and where they are cached\n"
    "  generate NAME [--out FILE]   generate a built-in dataset (D4RL HDF5 layout)\n"
    "  generate antmaze-NAME        D4RL's AntMaze recipe (antmaze-umaze, -umaze-diverse, -medium-play, ...)\n"
    "  maze-map FILE [--png OUT]    top-down xy coverage of an AntMaze dataset over its maze\n"
    "  check-antmaze-policy         does D4RL's low-level AntMaze policy walk here? (reach, navigate)\n"
    "  inspect FILE|NAME [--json]   sizes, episodes, return statistics, observation/action ranges\n"
    "  check-physics FILE --env E   replay transitions through our physics, report the errors\n";
}

int cmd_datasets(const ArgList& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::printf("%s", kUsage);
    return argv.empty() ? 2 : 0;
  }
  const std::string sub = argv[0];
  ArgList rest(argv.begin() + 1, argv.end());
  if (sub == "list") {
    Args a("datasets list", "[--json]", "Lists the built-in datasets (generated on first use).",
           {{"json", "", "machine-readable output", ""}});
    if (!a.parse(rest)) return 0;
    nlohmann::json j = nlohmann::json::array();
    for (const auto& n : builtin_dataset_names()) {
      const auto path = builtin_dataset_path(n);
      const bool cached = std::filesystem::exists(path);
      j.push_back({{"name", n}, {"env", "pendulum"}, {"path", path}, {"cached", cached}});
      if (!a.flag("json")) std::printf("%-24s env pendulum  %s%s\n", n.c_str(), cached ? "" : "(created on first use) ", path.c_str());
    }
    if (a.flag("json")) std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  // AntMaze: D4RL's recipe (cmd_antmaze.cpp -> core/train/antmaze_generator)
  if (sub == "generate" && !rest.empty() && rest[0].rfind("antmaze", 0) == 0) return cmd_datasets_generate_antmaze(rest);
  if (sub == "maze-map") return cmd_datasets_maze_map(rest);
  if (sub == "check-antmaze-policy") return cmd_datasets_check_antmaze_policy(rest);
  if (sub == "generate") {
    Args a("datasets generate", "NAME [--out FILE] [options]",
           "Generates a dataset in the D4RL HDF5 layout. NAME is a built-in Pendulum dataset, or ENV-KIND\n"
           "(e.g. hopper-medium-replay) with KIND random, medium, medium-replay, expert or medium-expert.\n"
           "random takes uniform random actions (seconds, no policy). The others train a SAC behaviour\n"
           "policy online as D4RL did (medium = the policy when it first reaches one third of the way from\n"
           "random to expert return; medium-replay = its replay buffer until then; expert = the final\n"
           "policy; medium-expert = medium + expert). Each file is written as soon as its data exists.",
           {{"out", "FILE", "output file (default: built-in cache path, or ENV-KIND.hdf5)", ""},
            {"seed", "S", "generator seed", "0"},
            {"physics", "VARIANT", "d4rl or gymnasium-v4 (MuJoCo envs)", "d4rl"},
            {"transitions", "N", "transitions per recorded dataset (D4RL: 1000000)", "1000000"},
            {"sac-steps", "N", "SAC environment steps at most", "1000000"},
            {"start-steps", "N", "uniform random steps before SAC acts", "10000"},
            {"eval-interval", "N", "SAC evaluation interval (medium is detected at evaluations)", "5000"},
            {"hidden", "N", "hidden units of the SAC networks", "256"},
            {"threads", "N", "torch intra-op threads", "2"},
            {"all-to", "DIR", "also write all five kinds into DIR as ENV-KIND.hdf5", ""}},
           {"NAME"});
    if (!a.parse(rest)) return 0;
    if (a.positional().empty()) throw ConfigError("iql datasets generate: missing NAME (see iql datasets list)");
    const std::string name = a.positional()[0];
    if (!is_builtin_dataset(name)) {
      const auto parts = split_dataset_name(name);
      const std::string env = parts.first, kind = parts.second;  // (lambdas below capture them)
      GenerationOptions o;
      o.env = env;
      o.physics = a.str("physics");
      o.seed = static_cast<uint64_t>(a.integer("seed"));
      o.transitions = a.integer("transitions");
      o.sac_steps = a.integer("sac-steps");
      o.start_steps = a.integer("start-steps");
      o.eval_interval = a.integer("eval-interval");
      o.hidden = static_cast<int>(a.integer("hidden"));
      o.threads = static_cast<int>(a.integer("threads"));
      if (o.transitions < 1 || o.sac_steps < 1 || o.eval_interval < 1 || o.start_steps < 0)
        throw ConfigError("iql datasets generate: --transitions, --sac-steps and --eval-interval must be positive");
      const auto t0 = std::chrono::steady_clock::now();
      o.on_progress = [&](const std::string& phase, int64_t done, int64_t total, double ret) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (phase == "sac")
          std::fprintf(stderr, "[iql] SAC step %lld/%lld | eval return %.1f | %.0f steps/s | %.0f s\n",
                       static_cast<long long>(done), static_cast<long long>(total), ret, done / std::max(s, 1e-9), s);
        else
          std::fprintf(stderr, "[iql] recording %s: %lld transitions | %.0f s\n", phase.c_str(),
                       static_cast<long long>(total), s);
      };
      // Each kind goes to disk as soon as it exists, so a failure late in SAC keeps what was done.
      const std::string out = a.str("out").empty() ? name + ".hdf5" : a.str("out");
      const std::string all_to = a.str("all-to");
      if (!all_to.empty()) std::filesystem::create_directories(all_to);
      o.on_dataset = [&](const std::string& k, const Dataset& d) {
        if (k == kind) write_d4rl_hdf5(d, out);
        if (!all_to.empty()) {
          const auto path = (std::filesystem::path(all_to) / (env + "-" + k + ".hdf5")).string();
          write_d4rl_hdf5(d, path);
          std::fprintf(stderr, "[iql] wrote %s\n", path.c_str());
        }
      };
      auto report = [&](const Dataset& d, double seconds) {
        auto s = inspect_dataset(d);
        std::printf("wrote %s: %lld transitions, %lld episodes, return mean %.1f (%.1f s)\n", out.c_str(),
                    static_cast<long long>(s.transitions), static_cast<long long>(s.episodes), s.return_mean, seconds);
      };
      if (kind == "random" && all_to.empty()) {  // uniform random actions: no SAC needed
        const auto d = generate_random_dataset(o);
        report(d, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        return 0;
      }
      auto g = generate_d4rl_style(o);
      report(g.by_kind(kind), g.seconds);
      std::printf("medium threshold %.1f reached at SAC step %lld (return %.1f); final SAC return %.1f; %.0f s\n",
                  g.medium_threshold, static_cast<long long>(g.medium_at_step), g.medium_policy_return,
                  g.expert_policy_return, g.seconds);
      return 0;
    }
    auto d = generate_builtin_dataset(name, static_cast<uint64_t>(a.integer("seed")));
    const std::string out = a.str("out").empty() ? builtin_dataset_path(name) : a.str("out");
    write_d4rl_hdf5(d, out);
    auto s = inspect_dataset(d);
    std::printf("wrote %s: %lld transitions, %lld episodes, return mean %.1f\n", out.c_str(),
                static_cast<long long>(s.transitions), static_cast<long long>(s.episodes), s.return_mean);
    return 0;
  }
  if (sub == "inspect") {
    Args a("datasets inspect", "FILE|NAME [--json]",
           "Reads a dataset (validating it) and prints its statistics.", {{"json", "", "machine-readable output", ""}},
           {"FILE"});
    if (!a.parse(rest)) return 0;
    if (a.positional().empty()) throw ConfigError("iql datasets inspect: missing FILE");
    auto d = load_dataset(a.positional()[0]);
    auto s = inspect_dataset(d);
    std::printf("%s\n", a.flag("json") ? stats_to_json(s).c_str() : stats_to_text(s).c_str());
    return 0;
  }
  if (sub == "check-physics") {
    Args a("datasets check-physics", "FILE --env NAME [--physics VARIANT] [--json]",
           "Replays every transition one step through our environment from the state recovered from its\n"
           "observation, under each physics variant (or the one given), and reports next-observation and\n"
           "reward errors: the variant with near-zero errors is the simulator that produced the data.",
           {{"env", "NAME", "environment of the data (default: from metadata or file name)", ""},
            {"physics", "VARIANT", "d4rl or gymnasium-v4 (default: both)", ""},
            {"max", "N", "check at most N transitions (0: all)", "0"},
            {"json", "", "machine-readable output", ""}},
           {"FILE"});
    if (!a.parse(rest)) return 0;
    if (a.positional().empty()) throw ConfigError("iql datasets check-physics: missing FILE");
    auto d = load_dataset(a.positional()[0]);
    std::string env = a.str("env");
    if (env.empty()) env = env_for_dataset(a.positional()[0]);
    std::vector<std::string> variants = a.str("physics").empty() ? std::vector<std::string>{"d4rl", "gymnasium-v4"}
                                                                 : std::vector<std::string>{a.str("physics")};
    if (env == "pendulum") variants = {"d4rl"};
    nlohmann::json all = nlohmann::json::array();
    for (const auto& v : variants) {
      auto r = check_physics(d, env, v, a.integer("max"));
      if (a.flag("json")) all.push_back(nlohmann::json::parse(r.to_json()));
      else std::printf("%s", r.to_text().c_str());
    }
    if (a.flag("json")) std::printf("%s\n", all.dump(2).c_str());
    return 0;
  }
  std::fprintf(stderr, "iql datasets: unknown subcommand '%s'\n\n%s", sub.c_str(), kUsage);
  return 2;
}

}  // namespace iql::cli
