// iql datasets list | generate | inspect
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/data/builtin_datasets.h"
#include "core/data/d4rl_hdf5_writer.h"
#include "core/data/dataset_inspector.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {
const char* kUsage =
    "usage: iql datasets <list|generate|inspect> [options]\n\n"
    "  list                         built-in datasets and where they are cached\n"
    "  generate NAME [--out FILE]   generate a built-in dataset (D4RL HDF5 layout)\n"
    "  inspect FILE|NAME [--json]   sizes, episodes, return statistics, observation/action ranges\n";
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
  if (sub == "generate") {
    Args a("datasets generate", "NAME [--out FILE] [--seed S]",
           "Generates a built-in dataset and writes it in the D4RL HDF5 layout.",
           {{"out", "FILE", "output file (default: the built-in cache path)", ""},
            {"seed", "S", "generator seed", "0"}},
           {"NAME"});
    if (!a.parse(rest)) return 0;
    if (a.positional().empty()) throw ConfigError("iql datasets generate: missing NAME (see iql datasets list)");
    const std::string name = a.positional()[0];
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
  std::fprintf(stderr, "iql datasets: unknown subcommand '%s'\n\n%s", sub.c_str(), kUsage);
  return 2;
}

}  // namespace iql::cli
