// iql bench update | doctor
#include <cstdio>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/runtime/process_setup.h"
#include "core/runtime/training_slots.h"
#include <sstream>

#include "core/bench/benchmark_suite.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/bench/device_update_bench.h"
#include "core/bench/update_bench.h"
#include "core/device/device_choice.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {
// The timed update's shape and algorithm, the same flags for the CPU path's bench and the device path's.
template <class BenchOptions>
void read_update_shape(const Args& a, BenchOptions& o) {
  o.obs_dim = static_cast<int>(a.integer("obs"));
  o.act_dim = static_cast<int>(a.integer("act"));
  o.batch = static_cast<int>(a.integer("batch"));
  o.hidden = static_cast<int>(a.integer("hidden"));
  o.steps = a.integer("steps");
  o.algorithm = a.str("algorithm");
}

int bench_suite(const ArgList& argv) {
  Args a("bench suite", "--datasets A,B,... [options]",
         "Trains each algorithm on each dataset for --steps gradient steps and --seeds seeds, evaluates the\n"
         "final policy, stores every run (tag bench-suite) and prints D4RL-normalised scores (mean +- std over\n"
         "seeds) laid out like Table 1 of the IQL paper. The env comes from the dataset's metadata or name.",
         {{"datasets", "A,B", "built-in names or ENV-KIND.hdf5 files", ""},
          {"algorithms", "A,B", "algorithms to compare", "bc,iql"},
          {"steps", "N", "gradient steps per run", "100000"},
          {"seeds", "N", "seeds per cell", "3"},
          {"eval-episodes", "N", "evaluation episodes of the final policy", "10"},
          {"physics", "VARIANT", "physics variant for MuJoCo envs", "d4rl"},
          {"tau", "TAU", "IQL expectile", "0.7"},
          {"beta", "BETA", "IQL temperature", "3.0"},
          {"threads", "N", "torch threads per run (run two suites with 1 thread each to use 2 cores best)", "2"},
          {"db", "FILE", "run store", ""},
          {"json", "", "machine-readable output", ""}});
  if (!a.parse(argv)) return 0;
  SuiteOptions o;
  o.datasets = split_comma_list(a.str("datasets"));
  o.algorithms = split_comma_list(a.str("algorithms"));
  if (o.datasets.empty()) throw ConfigError("iql bench suite: --datasets needs at least one dataset");
  o.steps = a.integer("steps");
  o.seeds = static_cast<int>(a.integer("seeds"));
  o.eval_episodes = static_cast<int>(a.integer("eval-episodes"));
  o.physics = a.str("physics");
  o.db_path = a.str("db");
  o.base.expectile = a.num("tau");
  o.base.temperature = a.num("beta");
  o.base.threads = static_cast<int>(a.integer("threads"));
  if (o.base.threads < 1) throw ConfigError("iql bench suite: --threads must be at least 1");
  if (o.steps < 1 || o.seeds < 1 || o.eval_episodes < 1)
    throw ConfigError("iql bench suite: --steps, --seeds and --eval-episodes must be positive");
  o.on_progress = [](const std::string& line) { std::fprintf(stderr, "[iql] %s\n", line.c_str()); };
  auto r = run_suite(o);
  if (a.flag("json")) std::printf("%s\n", r.to_json().c_str());
  else std::printf("D4RL-normalised score, %lld steps, %d seeds (mean +- std):\n%s", static_cast<long long>(o.steps),
                   o.seeds, r.table().c_str());
  return 0;
}

int bench_table(const ArgList& argv) {
  Args a("bench table", "--db FILE [options]",
         "Prints the Table-1-style score table from runs already in a store: every finished run with the\n"
         "tag, grouped by dataset and algorithm, scored by its last evaluation. Use it to join suites that\n"
         "ran side by side on one store.",
         {{"db", "FILE", "run store", ""},
          {"tag", "TAG", "runs carrying this tag", "bench-suite"},
          {"steps", "N", "only runs trained for exactly N steps (0: any)", "0"},
          {"json", "", "machine-readable output", ""}});
  if (!a.parse(argv)) return 0;
  const std::string db = a.str("db").empty() ? RunStore::default_path() : a.str("db");
  auto r = suite_from_store(db, a.str("tag"), a.integer("steps"));
  if (r.cells.empty()) {
    std::fprintf(stderr, "iql bench table: %s has no finished, evaluated runs tagged '%s'%s\n", db.c_str(),
                 a.str("tag").c_str(), a.integer("steps") > 0 ? " with that --steps" : "");
    return 1;
  }
  if (a.flag("json")) std::printf("%s\n", r.to_json().c_str());
  else std::printf("D4RL-normalised score from %s (mean +- std over seeds):\n%s", db.c_str(), r.table().c_str());
  return 0;
}
}  // namespace

int cmd_bench(const ArgList& argv) {
  const char* usage =
      "usage: iql bench update [--obs N] [--act N] [--batch N] [--threads N] [--steps N] [--json]\n"
      "       iql bench suite --datasets A,B [--steps N] [--seeds N] [--json]\n"
      "       iql bench table --db FILE [--tag T] [--steps N] [--json]\n"
      "       iql bench collect [--shards N] [--steps N] [--dir DIR] [--json]\n\n"
      "  update   times the full IQL update (V, actor, Q, targets) and the same step's GEMMs alone\n"
      "  suite    trains IQL and BC on datasets x seeds and prints a Table-1-style score table\n"
      "  table    the same table from runs already stored (joins suites run side by side)\n"
      "  collect  times iql sweep collect over synthetic shards (one N-step run each)\n";
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::printf("%s", usage);
    return argv.empty() ? 2 : 0;
  }
  if (argv[0] == "suite") return bench_suite(ArgList(argv.begin() + 1, argv.end()));
  if (argv[0] == "table") return bench_table(ArgList(argv.begin() + 1, argv.end()));
  if (argv[0] == "collect") return cmd_bench_collect(ArgList(argv.begin() + 1, argv.end()));
  if (argv[0] != "update") {
    std::fprintf(stderr, "iql bench: unknown benchmark '%s'\n\n%s", argv[0].c_str(), usage);
    return 2;
  }
  UpdateBenchOptions d;
  Args a("bench update", "[options]",
         "Times the full IQL update step on synthetic data, then the same step's matrix multiplications\n"
         "alone (the GEMM bound), and prints both and their ratio.",
         {{"obs", "N", "observation dimension", std::to_string(d.obs_dim)},
          {"act", "N", "action dimension", std::to_string(d.act_dim)},
          {"batch", "N", "batch size", std::to_string(d.batch)},
          {"hidden", "N", "hidden units", std::to_string(d.hidden)},
          {"threads", "N", "torch intra-op threads", std::to_string(d.threads)},
          {"steps", "N", "timed update steps", std::to_string(d.steps)},
          {"algorithm", "NAME", "iql or iql-corl", d.algorithm},
          {"population", "P", "also time P members as one batched model (same run, same threads)", "0"},
          {"device", "DEV", "cpu (the CPU path above), cuda or auto: cuda times the device path (core/device)", "cpu"},
          {"device-path", "", "with --device cpu: time the device path on the CPU instead", ""},
          {"populations", "LIST", "device path: population sizes to time, e.g. 1,8,64,256", "1"},
          {"cuda-graphs", "on|off|both", "device path on CUDA: replay a captured graph, run eagerly, or both", "both"},
          {"matmul-precision", "P", "device path: fp32 or tf32", "fp32"},
          {"json", "", "machine-readable output", ""}});
  if (!a.parse(ArgList(argv.begin() + 1, argv.end()))) return 0;
  const std::string device = device::resolve_device(a.str("device"));
  if (device == "cuda" || a.flag("device-path")) {
    DeviceBenchOptions o;
    o.device = device;
    read_update_shape(a, o);
    o.matmul_precision = a.str("matmul-precision");
    set_threads(static_cast<int>(a.integer("threads")));
    o.populations.clear();
    std::stringstream list(a.str("populations"));
    for (std::string item; std::getline(list, item, ',');) {
      try {
        size_t used = 0;
        const int p = std::stoi(item, &used);
        if (used != item.size() || p < 1) throw std::invalid_argument(item);
        o.populations.push_back(p);
      } catch (const std::exception&) {
        throw ConfigError("iql bench update: --populations expects positive integers separated by commas, got '" + item + "'");
      }
    }
    const std::string g = a.str("cuda-graphs");
    if (g == "on") o.graphs = {true};
    else if (g == "off") o.graphs = {false};
    else if (g == "both") o.graphs = {false, true};
    else throw ConfigError("iql bench update: --cuda-graphs expects on, off or both, got '" + g + "'");
    if (o.obs_dim < 1 || o.act_dim < 1 || o.batch < 1 || o.hidden < 1 || o.steps < 1)
      throw ConfigError("iql bench update: --obs, --act, --batch, --hidden and --steps must be positive");
    if (o.algorithm != "iql" && o.algorithm != "iql-corl" && o.algorithm != "bc")
      throw ConfigError("iql bench update: --algorithm expects iql, iql-corl or bc");
    auto r = bench_device_update(o);
    std::printf("%s", a.flag("json") ? (r.to_json() + "\n").c_str() : r.to_text().c_str());
    return 0;
  }
  UpdateBenchOptions o;
  read_update_shape(a, o);
  o.threads = static_cast<int>(a.integer("threads"));
  o.population = static_cast<int>(a.integer("population"));
  if (o.obs_dim < 1 || o.act_dim < 1 || o.batch < 1 || o.hidden < 1 || o.threads < 1 || o.steps < 1)
    throw ConfigError("iql bench update: --obs, --act, --batch, --hidden, --threads and --steps must be positive");
  if (o.algorithm != "iql" && o.algorithm != "iql-corl")
    throw ConfigError("iql bench update: --algorithm expects iql or iql-corl");
  auto r = bench_update(o);
  std::printf("%s", a.flag("json") ? (r.to_json() + "\n").c_str() : r.to_text().c_str());
  return 0;
}

int cmd_doctor(const ArgList& argv) {
  if (!argv.empty() && argv[0] == "--version") {
    set_threads(2);
    std::printf("iql (IQL Workbench) 0.1.0\n%s\n", runtime_info_text().c_str());
    return 0;
  }
  Args a("doctor", "[--threads N]", "Shows the torch version, the BLAS library torch calls, and the thread count.",
         {{"threads", "N", "set this many intra-op threads first", "2"}});
  if (!a.parse(argv)) return 0;
  set_threads(static_cast<int>(a.integer("threads")));
  auto r = runtime_info();
  std::printf("torch:   %s\nthreads: %d\nBLAS:    %s\npath:    %s\n", r.torch_version.c_str(), r.threads,
              r.blas_name.c_str(), r.blas_path.c_str());
  const auto s = runtime::blas_status();
  if (s.is_openblas) {
    std::printf("core:    %s%s\nconfig:  %s\nnote:    %s\n", s.core.c_str(),
                s.corrected ? (" (corrected from " + s.corrected_from + ")").c_str()
                            : (s.user_set ? " (OPENBLAS_CORETYPE set by the user)" : ""),
                s.config.c_str(), s.reason.c_str());
  }
  std::printf("OpenMP:  %s\n", s.omp_wait.c_str());
  std::printf("auto:    a run with threads 0 trains with %d (the CPUs this process may use, at most %d)\n",
              runtime::default_training_threads(), runtime::kMaxAutoThreads);
  std::printf("running: %d training(s) of this user on this machine\n", runtime::live_training_slots());
  if (r.blas_name.find("reference") != std::string::npos)
    std::printf("warning: the reference BLAS is ~35x slower; run packaging/install-deps.sh\n");
  return 0;
}

}  // namespace iql::cli
