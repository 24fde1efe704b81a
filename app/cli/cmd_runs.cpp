// iql runs list | show | export
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/cmd_runs_stats.h"
#include "core/store/run_store.h"
#include "core/store/score_curves.h"
#include "core/util/errors.h"

namespace iql::cli {

int cmd_runs_report(const ArgList& rest);  // app/cli/cmd_runs_report.cpp

namespace {
const char* kUsage =
    "usage: iql runs <list|show|export|curves|stats|final-eval|report> [--db FILE] [options]\n\n"
    "  list [--json]                       stored runs, newest first\n"
    "  show RUN_ID [--json]                a run's config, evaluations and events\n"
    "  export RUN_ID [--out FILE.csv]      metrics as CSV (step,key,value)\n"
    "  curves [--db FILE,FILE...] [--json] normalised score per evaluation step, mean +- std over seeds\n"
    "  stats [--db FILE,FILE...] [--group-by algorithm|config] [--eval last|best|final] [--json]\n"
    "                                      mean, median, IQM, optimality gap with bootstrap intervals\n"
    "  final-eval RUN|POPULATION|SWEEP [--episodes 100] [--seed S]\n"
    "                                      play last checkpoints for many episodes, store the returns\n"
    "  report --out FILE.pdf [--db FILE,...] study report (PDF): statistics, curves, heat map, OPE\n";

nlohmann::json run_json(RunStore& store, const RunInfo& r) {
  nlohmann::json j{{"id", r.id},         {"name", r.name},       {"status", r.status}, {"algorithm", r.algorithm},
                   {"dataset", r.dataset}, {"env", r.env},       {"physics", r.physics}, {"seed", r.seed},
                   {"steps", r.steps},   {"created", r.created}, {"updated", r.updated}, {"tags", r.tags},
                   {"notes", r.notes},   {"phase", r.phase}};
  if (auto s = store.best_and_final_score(r.id)) {
    j["best_score"] = s->first;
    j["final_score"] = s->second;
  }
  return j;
}

int64_t run_id_arg(const Args& a, const char* cmd) {
  if (a.positional().empty()) throw ConfigError(std::string("iql runs ") + cmd + ": missing RUN_ID (see iql runs list)");
  try {
    return std::stoll(a.positional()[0]);
  } catch (const std::exception&) {
    throw ConfigError(std::string("iql runs ") + cmd + ": RUN_ID must be an integer, got '" + a.positional()[0] + "'");
  }
}
}  // namespace

int cmd_runs(const ArgList& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::printf("%s", kUsage);
    return argv.empty() ? 2 : 0;
  }
  const std::string sub = argv[0];
  ArgList rest(argv.begin() + 1, argv.end());
  if (sub == "stats") return cmd_runs_stats(rest);
  if (sub == "final-eval") return cmd_runs_final_eval(rest);
  std::vector<OptionSpec> common = {{"db", "FILE", "run store (default in the XDG data dir)", ""},
                                    {"json", "", "machine-readable output", ""}};
  if (sub == "list") {
    Args a("runs list", "[--db FILE] [--json]", "Lists stored runs, newest first.", common);
    if (!a.parse(rest)) return 0;
    RunStore store(a.str("db").empty() ? RunStore::default_path() : a.str("db"), RunStore::Mode::read_only);
    auto runs = store.list_runs();
    if (a.flag("json")) {
      nlohmann::json j = nlohmann::json::array();
      for (auto& r : runs) j.push_back(run_json(store, r));
      std::printf("%s\n", j.dump(2).c_str());
      return 0;
    }
    std::printf("%5s  %-11s %9s  %-10s %-24s %s\n", "id", "status", "steps", "algorithm", "dataset", "name");
    for (auto& r : runs)
      std::printf("%5lld  %-11s %9lld  %-10s %-24s %s\n", static_cast<long long>(r.id), r.status.c_str(),
                  static_cast<long long>(r.steps), r.algorithm.c_str(), r.dataset.c_str(), r.name.c_str());
    return 0;
  }
  if (sub == "show") {
    Args a("runs show", "RUN_ID [--db FILE] [--json]", "Shows one run.", common, {"RUN_ID"});
    if (!a.parse(rest)) return 0;
    RunStore store(a.str("db").empty() ? RunStore::default_path() : a.str("db"), RunStore::Mode::read_only);
    const int64_t id = run_id_arg(a, "show");
    auto r = store.get_run(id);
    if (!r) throw ConfigError("iql runs show: no run " + std::to_string(id) + " in " + store.path());
    nlohmann::json j = run_json(store, *r);
    j["config"] = nlohmann::json::parse(r->config_json);
    j["evaluations"] = nlohmann::json::array();
    for (auto& e : store.evaluations(id)) {
      nlohmann::json ej{{"step", e.step}, {"return_mean", e.return_mean}, {"return_std", e.return_std}};
      if (e.normalized_score) ej["normalized_score"] = *e.normalized_score;
      j["evaluations"].push_back(ej);
    }
    j["events"] = nlohmann::json::array();
    for (auto& e : store.events(id))
      j["events"].push_back({{"step", e.step}, {"kind", e.kind}, {"payload", nlohmann::json::parse(e.payload_json)}});
    j["checkpoints"] = nlohmann::json::array();
    for (auto& c : store.checkpoints(id)) j["checkpoints"].push_back({{"step", c.step}, {"path", c.path}, {"sha256", c.sha256}});
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  if (sub == "export") {
    auto specs = common;
    specs.push_back({"out", "FILE", "CSV file (default: stdout)", ""});
    Args a("runs export", "RUN_ID [--db FILE] [--out FILE.csv]", "Exports a run's metrics as CSV.", specs, {"RUN_ID"});
    if (!a.parse(rest)) return 0;
    RunStore store(a.str("db").empty() ? RunStore::default_path() : a.str("db"), RunStore::Mode::read_only);
    const int64_t id = run_id_arg(a, "export");
    if (!store.get_run(id)) throw ConfigError("iql runs export: no run " + std::to_string(id) + " in " + store.path());
    if (a.str("out").empty()) {
      store.export_csv(id, std::cout);
    } else {
      std::ofstream f(a.str("out"));
      if (!f) throw ConfigError("iql runs export: cannot write " + a.str("out"));
      store.export_csv(id, f);
    }
    return 0;
  }
  if (sub == "curves") {
    Args a("runs curves", "[--db FILE[,FILE...]] [--json]",
           "Learning curves over seeds: runs that differ only in their seed (same store, algorithm, dataset and\n"
           "config) form a group; each evaluation step shows the group's normalised score as mean +- sample\n"
           "std (n - 1) and every run's score. Several stores (comma-separated) compare runs trained apart.",
           common);
    if (!a.parse(rest)) return 0;
    std::vector<std::string> dbs = split_comma_list(a.str("db"));
    if (dbs.empty()) dbs.push_back(RunStore::default_path());
    const auto curves = score_curves(dbs);
    if (curves.empty()) {
      std::fprintf(stderr, "iql runs curves: no run with a normalised evaluation score in %s\n", a.str("db").c_str());
      return 1;
    }
    std::printf("%s\n", a.flag("json") ? score_curves_json(curves).c_str() : score_curves_table(curves).c_str());
    return 0;
  }
  if (sub == "report") return cmd_runs_report(rest);
  std::fprintf(stderr, "iql runs: unknown subcommand '%s'\n\n%s", sub.c_str(), kUsage);
  return 2;
}

}  // namespace iql::cli
