// iql sweep plan | run | task | status | retry | collect: many training runs from one spec, on this
// machine or on a Slurm cluster, each task writing its own shard store in the sweep folder.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/store/run_store.h"
#include "core/sweep/shard_merge.h"
#include "core/sweep/sweep_executor.h"
#include "core/sweep/sweep_status.h"
#include "core/sweep/synthetic_sweep.h"
#include "core/sweep/task_runner.h"
#include "core/config/train_settings.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {

using ojson = nlohmann::ordered_json;

const char* kSweepUsage =
    "usage: iql sweep <plan|run|task|status|retry|collect> ...\n\n"
    "  plan SPEC | FLAGS       print the runs a spec expands to and how they are packed into tasks\n"
    "  run SPEC | FLAGS        create the sweep folder and run it (--executor local | slurm)\n"
    "  status SWEEP_DIR        every task's state, progress and the best configurations so far\n"
    "  retry SWEEP_DIR         run again what did not finish (--failed: only failed or lost tasks)\n"
    "  collect SWEEP_DIR       merge every task's shard store into the main run store (idempotent)\n"
    "  task SWEEP_DIR INDEX    run one task (what each local job or Slurm array element executes)\n\n"
    "A SPEC is a JSON file (see README, 'Sweeps'). Instead of a file, give `iql train` flags with\n"
    "comma-separated values; a flag with several values becomes a grid axis, e.g.\n"
    "  iql sweep plan --dataset pendulum-medium --steps 300 --tau 0.5,0.7 --beta 1,3 --seed 0,1\n";

// Options of the sweep commands themselves (everything else on a plan/run line is a config flag).
std::vector<OptionSpec> sweep_options(bool run) {
  std::vector<OptionSpec> o = {{"name", "TEXT", "sweep name (jobs, folder)", ""},
                               {"members-per-task", "N", "runs packed into one task (one population later)", ""},
                               {"json", "", "machine-readable output", ""}};
  if (run) {
    o.push_back({"dir", "DIR", "sweep folder (on a filesystem every node sees)", "./SWEEP_ID"});
  }
  return o;
}

std::vector<OptionSpec> executor_options() {
  return {{"executor", "local|slurm", "where the tasks run", "local"},
          {"jobs", "N", "local: tasks at once (jobs x threads never exceeds the cores)", "cores / threads"},
          {"partition", "P", "slurm: partition", ""},
          {"time", "T", "slurm: time limit per task (e.g. 2:00:00)", ""},
          {"cpus-per-task", "C", "slurm: cores per task (at least the spec's threads)", ""},
          {"mem", "M", "slurm: memory per task (e.g. 4G)", ""},
          {"gres", "G", "slurm: generic resources (e.g. gpu:1)", ""},
          {"max-concurrent", "K", "slurm: at most K array tasks at once", ""},
          {"signal-seconds", "S", "slurm: USR1 this long before the time limit: checkpoint and requeue", "120"},
          {"sbatch", "ARG", "slurm: one more #SBATCH line, e.g. --account=lab (repeatable as A;B)", ""}};
}

// A flag's text as the JSON value its setting stores ("0.5" -> 0.5, "hopper" -> "hopper").
ojson setting_value(const TrainSetting& s, const std::string& flag, const std::string& text) {
  TrainConfig scratch;
  try {
    set_setting_text(s, scratch, text);
  } catch (const ConfigError& e) {
    throw ConfigError("iql sweep: --" + flag + " " + e.what());
  }
  return ojson::parse(setting_json(s, scratch));
}

// Splits argv into the command's own options (returned) and `iql train`-style config flags, which
// become a spec (base values, and a grid axis for every flag with several values).
std::vector<std::string> split_spec_flags(const std::vector<std::string>& argv, const std::vector<OptionSpec>& own,
                                          ojson& spec) {
  std::vector<std::string> rest;
  ojson base = ojson::object(), grid = ojson::object(), seeds;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--help") {
      rest.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) value = name.substr(eq + 1), name = name.substr(0, eq), inline_value = true;
    bool is_own = false;
    for (const auto& o : own) is_own = is_own || o.name == name;
    if (is_own) {
      rest.push_back(a);
      if (!inline_value && i + 1 < argv.size()) {
        for (const auto& o : own)
          if (o.name == name && !o.value_name.empty()) rest.push_back(argv[++i]);
      }
      continue;
    }
    const TrainSetting* setting = find_setting_by_flag(name);  // the settings table names every config flag
    if (!setting) throw ConfigError("iql sweep: unknown option --" + name + " (see iql sweep --help)");
    const std::string& field = setting->key;
    if (setting->is_switch()) {
      if (inline_value) throw ConfigError("iql sweep: --" + name + " takes no value");
      base[field] = setting->switch_value;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argv.size()) throw ConfigError("iql sweep: --" + name + " needs a value");
      value = argv[++i];
    }
    const auto values = split_comma_list(value);
    if (values.empty()) throw ConfigError("iql sweep: --" + name + " needs a value");
    ojson axis = ojson::array();
    for (auto& v : values) axis.push_back(setting_value(*setting, name, v));
    if (field == "seed") seeds = axis;  // the spec's own seeds axis, expanded last
    else if (values.size() == 1) base[field] = axis[0];
    else grid[field] = axis;
  }
  spec = ojson::object();
  if (!base.empty()) spec["base"] = base;
  if (!grid.empty()) spec["grid"] = grid;
  if (!seeds.is_null()) spec["seeds"] = seeds;
  return rest;
}

// The spec of plan/run: a file given as the positional argument, or config flags.
SweepSpec load_spec(const Args& a, const ojson& flag_spec) {
  ojson j;
  std::string origin = "command-line flags";
  if (!a.positional().empty()) {
    if (!flag_spec.empty()) throw ConfigError("iql sweep: give a SPEC file or config flags, not both");
    origin = a.positional()[0];
    try {
      j = ojson::parse(read_file(origin));
    } catch (const nlohmann::json::exception& e) {
      throw ConfigError(origin + ": not valid JSON: " + e.what());
    }
  } else {
    if (flag_spec.empty()) throw ConfigError("iql sweep: give a SPEC file or config flags (see iql sweep --help)");
    j = flag_spec;
  }
  if (a.has("name")) j["name"] = a.str("name");
  if (a.has("members-per-task")) j["members_per_task"] = a.integer("members-per-task");
  return SweepSpec::parse(j.dump(), origin);
}

// The command's Slurm flags over what the sweep was last submitted with (so retry keeps --time etc.).
SlurmOptions slurm_options(const Args& a, const SweepInfo& previous) {
  SlurmOptions o = SlurmOptions::from_json(previous.slurm_options_json);
  auto keep = [&](const char* flag, std::string& field) {
    if (a.has(flag)) field = a.str(flag);
  };
  keep("partition", o.partition);
  keep("time", o.time);
  keep("mem", o.mem);
  keep("gres", o.gres);
  if (a.has("cpus-per-task")) o.cpus_per_task = static_cast<int>(a.integer("cpus-per-task"));
  if (a.has("max-concurrent")) o.max_concurrent = static_cast<int>(a.integer("max-concurrent"));
  if (a.has("signal-seconds")) o.signal_seconds = static_cast<int>(a.integer("signal-seconds"));
  if (a.has("sbatch")) o.extra = split_comma_list(a.str("sbatch"));
  return o;
}

volatile int g_stop = 0;
void on_stop(int) { g_stop = 1; }

void log_line(const std::string& s) {
  char t[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(t, sizeof t, "%H:%M:%S", std::localtime(&now));
  std::fprintf(stderr, "[%s] %s\n", t, s.c_str());
}

// Runs (or submits) the given tasks; the common end of run and retry.
int execute(const SweepFolder& folder, const std::vector<int>& tasks, const Args& a) {
  const std::string executor = a.has("executor") ? a.str("executor") : (folder.info().executor.empty() ? "local" : folder.info().executor);
  if (tasks.empty()) {
    std::printf("nothing to run in %s\n", folder.dir().c_str());
    return 0;
  }
  prepare_datasets(folder.plan());
  const std::string iql_path = self_executable();
  if (executor == "slurm") {
    if (!slurm_available())
      throw ConfigError("iql sweep: --executor slurm, but squeue does not answer (is Slurm installed and running? "
                        "packaging/slurm-local.sh start brings up a single-node cluster)");
    const auto ids = submit_slurm(folder, tasks, iql_path, slurm_options(a, folder.info()), slurm_max_array_size());
    std::printf("submitted %zu tasks as Slurm array job%s", tasks.size(), ids.size() == 1 ? "" : "s");
    for (auto& id : ids) std::printf(" %s", id.c_str());
    std::printf("\nwatch: iql sweep status %s\ncollect: iql sweep collect %s\n", folder.dir().c_str(), folder.dir().c_str());
    return 0;
  }
  if (executor != "local") throw ConfigError("iql sweep: --executor must be local or slurm, got '" + executor + "'");
  LocalOptions o;
  if (a.has("jobs")) o.jobs = static_cast<int>(a.integer("jobs"));
  o.log = log_line;
  struct sigaction sa {};
  sa.sa_handler = on_stop;  // no SA_RESTART: the wait for children returns to forward the stop
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  const int not_finished = run_local(folder, tasks, iql_path, o, &g_stop);
  std::printf("%s", sweep_status(folder, false).table().c_str());
  return not_finished == 0 ? 0 : 1;
}

int sweep_plan(const ArgList& argv) {
  auto own = sweep_options(false);
  ojson flags;
  const auto rest = split_spec_flags(argv, own, flags);
  Args a("sweep plan", "SPEC | --FIELD V1,V2,... [options]", "Prints the runs a sweep spec expands to and their packing into tasks.",
         own, {"SPEC"});
  if (!a.parse(rest)) return 0;
  const SweepSpec spec = load_spec(a, flags);
  const SweepPlan plan = SweepPlan::make(spec, spec.name);
  if (a.flag("json")) std::printf("%s\n", plan.to_json().c_str());
  else std::printf("%s", plan.describe().c_str());
  return 0;
}

int sweep_run(const ArgList& argv) {
  auto own = sweep_options(true);
  for (auto& o : executor_options()) own.push_back(o);
  ojson flags;
  const auto rest = split_spec_flags(argv, own, flags);
  Args a("sweep run", "SPEC | --FIELD V1,V2,... [--dir DIR] [--executor local|slurm] [options]",
         "Creates the sweep folder (spec, plan, one folder per task) and runs every task: locally as child\n"
         "processes, or on Slurm as job arrays of `iql sweep task DIR INDEX` (chunked below MaxArraySize).",
         own, {"SPEC"});
  if (!a.parse(rest)) return 0;
  const SweepSpec spec = load_spec(a, flags);
  const SweepPlan plan = SweepPlan::make(spec, SweepPlan::new_sweep_id(spec.name));
  const SweepFolder folder(a.has("dir") ? a.str("dir") : plan.sweep_id);
  folder.create(spec, plan);
  std::fprintf(stderr, "[iql] sweep %s: %d runs in %zu tasks, folder %s\n", plan.sweep_id.c_str(), plan.member_count(),
               plan.tasks.size(), folder.dir().c_str());
  std::vector<int> all;
  for (const auto& t : plan.tasks) all.push_back(t.index);
  return execute(folder, all, a);
}

int sweep_retry(const ArgList& argv) {
  auto own = executor_options();
  own.push_back({"failed", "", "only tasks that failed or were lost", ""});
  Args a("sweep retry", "SWEEP_DIR [--failed] [executor options]",
         "Runs again every task that did not finish (members resume from their checkpoints; finished\n"
         "members are kept). Tasks still queued or running are left alone.",
         own, {"SWEEP_DIR"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql sweep retry: missing SWEEP_DIR");
  const SweepFolder folder(a.positional()[0]);
  return execute(folder, tasks_to_run(folder, a.flag("failed")), a);
}

RunControl* g_task_control = nullptr;
volatile sig_atomic_t g_requeue = 0;
void on_task_signal(int sig) {
  if (sig == SIGUSR1) g_requeue = 1;
  if (g_task_control) g_task_control->request_stop();  // members checkpoint at the next step
}

int sweep_task(const ArgList& argv) {
  Args a("sweep task", "SWEEP_DIR INDEX",
         "Runs one task of a sweep into its shard store (what each Slurm array element runs). USR1 (Slurm's\n"
         "warning before the time limit) checkpoints and requeues the job; TERM checkpoints and stops.",
         {}, {"SWEEP_DIR", "INDEX"});
  if (!a.parse(argv)) return 0;
  if (a.positional().size() != 2) throw ConfigError("iql sweep task: needs SWEEP_DIR and INDEX");
  const SweepFolder folder(a.positional()[0]);
  int index = 0;
  try {
    index = std::stoi(a.positional()[1]);
  } catch (const std::exception&) {
    throw ConfigError("iql sweep task: INDEX must be an integer, got '" + a.positional()[1] + "'");
  }
  RunControl control;
  g_task_control = &control;
  struct sigaction sa {};
  sa.sa_handler = on_task_signal;
  sigaction(SIGUSR1, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  TaskRunHooks hooks;
  hooks.log = log_line;
  const auto r = run_sweep_task(folder, index, control, hooks);
  g_task_control = nullptr;
  const char* job = std::getenv("SLURM_JOB_ID");
  if (g_requeue && r.state == "stopped" && job && *job) {
    auto rec = folder.read_record(index).value_or(TaskRecord{});
    rec.state = "requeued";
    folder.write_record(rec);
    log_line(std::string("checkpointed; requeueing job ") + job);
    const auto q = run_command({"scontrol", "requeue", job});
    if (q.code != 0) {
      log_line("scontrol requeue failed: " + q.out);
      return 1;
    }
    return 0;
  }
  log_line("task " + std::to_string(index) + " " + r.state + (r.message.empty() ? "" : ": " + r.message));
  return r.state == "failed" ? 1 : 0;
}

int sweep_status_cmd(const ArgList& argv) {
  Args a("sweep status", "SWEEP_DIR [--json]",
         "Shows every task's state (its own record and squeue), progress (its shard, read-only), failures\n"
         "with the tail of their log, and the best configurations so far.",
         {{"json", "", "machine-readable output", ""}}, {"SWEEP_DIR"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql sweep status: missing SWEEP_DIR");
  const auto st = sweep_status(SweepFolder(a.positional()[0]), true);
  std::printf("%s\n", a.flag("json") ? st.to_json().c_str() : st.table().c_str());
  return 0;
}

int sweep_collect(const ArgList& argv) {
  Args a("sweep collect", "SWEEP_DIR [--db FILE]",
         "Merges every task's shard store into the main run store: new runs, and what running ones wrote\n"
         "since the last collect. Collecting twice changes nothing; shards are only read.",
         {{"db", "FILE", "main run store (default in the XDG data dir)", ""}, {"json", "", "machine-readable output", ""}},
         {"SWEEP_DIR"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql sweep collect: missing SWEEP_DIR");
  const std::string db = a.has("db") ? a.str("db") : RunStore::default_path();
  const auto st = collect_sweep(SweepFolder(a.positional()[0]), db);
  if (a.flag("json")) {
    std::printf("%s\n", nlohmann::json{{"db", db}, {"shards", st.shards}, {"runs_added", st.runs_added},
                                       {"runs_updated", st.runs_updated}, {"runs_recopied", st.runs_recopied},
                                       {"rows_copied", st.rows_copied},
                                       {"errors", st.errors}, {"seconds", st.seconds}}
                            .dump(2)
                            .c_str());
  } else {
    std::printf("collected %d shards into %s in %.2f s: %d new runs, %d updated, %lld rows\n", st.shards, db.c_str(),
                st.seconds, st.runs_added, st.runs_updated, static_cast<long long>(st.rows_copied));
    if (st.runs_recopied > 0)
      std::printf("%d runs copied again from the start: resumed from a checkpoint (or restarted) since the last collect\n",
                  st.runs_recopied);
    if (st.skipped_running > 0)
      std::printf("%d shards still written on other hosts: collect again when their tasks end\n", st.skipped_running);
    for (auto& e : st.errors) std::printf("skipped: %s\n", e.c_str());
  }
  return st.errors.empty() ? 0 : 1;
}

}  // namespace

int cmd_bench_collect(const ArgList& argv) {
  SyntheticSweepOptions d;
  Args a("bench collect", "[--shards N] [--steps N] [--dir DIR] [--json]",
         "Writes a sweep folder of N synthetic shards, each one finished run of --steps steps stored the way\n"
         "training stores it (metrics every 100 steps, evaluations, histograms, a checkpoint row), then\n"
         "times iql sweep collect into a fresh main store, and again (nothing new: the idempotent pass).",
         {{"shards", "N", "tasks (one shard store each)", std::to_string(d.shards)},
          {"steps", "N", "steps of each shard's run", std::to_string(d.steps)},
          {"dir", "DIR", "where to write the sweep folder and main store (default: a new temp folder)", ""},
          {"json", "", "machine-readable output", ""}});
  if (!a.parse(argv)) return 0;
  d.shards = static_cast<int>(a.integer("shards"));
  d.steps = a.integer("steps");
  if (d.shards < 1 || d.steps < d.log_interval) throw ConfigError("iql bench collect: --shards >= 1 and --steps >= 100");
  namespace fs = std::filesystem;
  std::string dir = a.str("dir");
  if (dir.empty()) {
    char tmpl[] = "/tmp/iql-bench-collect-XXXXXX";
    if (!mkdtemp(tmpl)) throw ConfigError("iql bench collect: cannot create a temp folder");
    dir = tmpl;
  }
  const std::string sweep_dir = dir + "/sweep", db = dir + "/main.db";
  auto t0 = std::chrono::steady_clock::now();
  const int64_t rows = make_synthetic_sweep(sweep_dir, d);
  const double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uintmax_t shard_bytes = 0;
  for (auto& e : fs::recursive_directory_iterator(sweep_dir + "/tasks"))
    if (e.is_regular_file()) shard_bytes += e.file_size();
  const auto first = collect_sweep(SweepFolder(sweep_dir), db);
  const auto second = collect_sweep(SweepFolder(sweep_dir), db);
  { RunStore checkpoint(db); }  // let the last connection fold the WAL into the file before measuring
  uintmax_t db_bytes = fs::file_size(db);
  if (fs::exists(db + "-wal")) db_bytes += fs::file_size(db + "-wal");
  if (a.flag("json")) {
    std::printf("%s\n", nlohmann::json{{"shards", d.shards}, {"steps", d.steps}, {"metric_rows", rows}, {"generate_s", gen_s},
                                       {"shard_bytes", shard_bytes}, {"collect_s", first.seconds}, {"runs", first.runs_added},
                                       {"rows_copied", first.rows_copied}, {"recollect_s", second.seconds},
                                       {"recollect_rows", second.rows_copied}, {"main_db_bytes", db_bytes}, {"dir", dir}}
                            .dump(2)
                            .c_str());
  } else {
    std::printf("%d shards x one %lld-step run (%lld metric rows, shards %.1f MB, written in %.1f s)\n", d.shards,
                static_cast<long long>(d.steps), static_cast<long long>(rows), shard_bytes / 1e6, gen_s);
    std::printf("collect: %.2f s, %d runs, %lld rows -> main store %.1f MB\n", first.seconds, first.runs_added,
                static_cast<long long>(first.rows_copied), db_bytes / 1e6);
    std::printf("collect again: %.2f s, %lld rows (idempotent)\nfolder: %s\n", second.seconds,
                static_cast<long long>(second.rows_copied), dir.c_str());
  }
  return 0;
}

int cmd_sweep(const ArgList& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::printf("%s", kSweepUsage);
    return argv.empty() ? 2 : 0;
  }
  const std::string sub = argv[0];
  const ArgList rest(argv.begin() + 1, argv.end());
  if (sub == "plan") return sweep_plan(rest);
  if (sub == "run") return sweep_run(rest);
  if (sub == "task") return sweep_task(rest);
  if (sub == "status") return sweep_status_cmd(rest);
  if (sub == "retry") return sweep_retry(rest);
  if (sub == "collect") return sweep_collect(rest);
  throw ConfigError("iql sweep: unknown subcommand '" + sub + "' (plan, run, task, status, retry, collect)");
}

}  // namespace iql::cli
