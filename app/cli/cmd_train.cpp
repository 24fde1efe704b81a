// iql train: one stored training run with a progress line on stderr.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <memory>
#include <optional>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/train/iql_presets.h"
#include <filesystem>

#include "core/store/run_store.h"
#include "core/train/control_file.h"
#include "core/train/population_grid.h"
#include "core/train/population_run.h"
#include "core/train/training_run.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {
RunControl* g_control = nullptr;
void on_sigint(int) {
  if (g_control) g_control->request_stop();  // the loop stops at the next step and stores 'stopped'
}

std::string clock_text(double s) {
  char buf[32];
  const long t = static_cast<long>(s);
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

std::string format_return(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", r);
  return buf;
}

}  // namespace

int run_and_report(const TrainConfig& c, const RunOptions& opt, bool json, const std::string& control_file = "");
int run_population_and_report(const std::vector<TrainConfig>& members, const PopulationOptions& opt, bool json,
                              const std::string& control_file);

int cmd_train(const ArgList& argv) {
  const TrainConfig d;
  auto S = [](double v) { std::ostringstream os; os << v; return os.str(); };
  Args a("train", "--dataset NAME|FILE [options]",
         "Trains on an offline dataset (built-in name or D4RL-layout HDF5 file), evaluates the deterministic\n"
         "policy in the environment, and stores the run (metrics, evaluations, histograms, events,\n"
         "checkpoints) in the SQLite run store. Ctrl-C stops cleanly and keeps everything stored.",
         {{"dataset", "NAME|FILE", "built-in dataset (iql datasets list) or HDF5 file", d.dataset},
          {"env", "NAME", "evaluation environment", d.env},
          {"physics", "VARIANT",
           "auto (replay 300 transitions under each MuJoCo physics variant, pick the one that reproduces the "
           "data, print and store the evidence), d4rl or gymnasium-v4",
           "auto"},
          {"algorithm", "NAME", "iql (official), iql-corl (CORL variant), bc (behaviour cloning)", d.algorithm},
          {"steps", "N", "gradient steps", "1000000"},
          {"seed", "S", "seed for torch, batch sampler and environments", "0"},
          {"db", "FILE", "run store (SQLite); default in the XDG data dir", ""},
          {"expectile", "TAU", "expectile tau of the value loss (alias --tau)", S(d.expectile)},
          {"tau", "TAU", "same as --expectile", ""},
          {"temperature", "BETA", "inverse temperature beta of AWR (alias --beta)", S(d.temperature)},
          {"beta", "BETA", "same as --temperature", ""},
          {"discount", "GAMMA", "discount factor", S(d.discount)},
          {"polyak", "RATE", "target critic update rate", S(d.polyak)},
          {"actor-lr", "LR", "actor learning rate (cosine-decayed in offline-only runs)", S(d.actor_lr)},
          {"value-lr", "LR", "value learning rate", S(d.value_lr)},
          {"critic-lr", "LR", "critic learning rate", S(d.critic_lr)},
          {"no-cosine", "", "keep the actor learning rate constant", ""},
          {"cosine-with-online", "", "with --online-steps: cosine-decay the actor lr offline anyway (official: constant)", ""},
          {"max-weight", "W", "clip of the AWR weights exp(beta A)", S(d.max_weight)},
          {"hidden", "N", "hidden units of every MLP (2 hidden layers)", S(d.hidden)},
          {"batch", "N", "batch size", S(d.batch_size)},
          {"policy", "TYPE", "gaussian or deterministic", d.policy},
          {"dropout", "P", "actor dropout", S(d.dropout)},
          {"reward-mode", "MODE", "auto, locomotion (x1000/return range), antmaze (r-1), none", d.reward_mode},
          {"normalize-obs", "", "normalise observations by dataset mean/std", ""},
          {"eval-interval", "N", "evaluate every N steps (0: only at the end)", S(d.eval_interval)},
          {"eval-episodes", "N", "episodes per evaluation", S(d.eval_episodes)},
          {"log-interval", "N", "store metrics every N steps", S(d.log_interval)},
          {"probe-interval", "N", "value/advantage histograms every N steps (0: off)", S(d.probe_interval)},
          {"checkpoint-interval", "N", "checkpoint every N steps (0: only at the end)", "0"},
          {"threads", "N", "torch intra-op threads (0: auto, a fair share of the cores among running trainings)", S(d.threads)},
          {"name", "TEXT", "run name", ""},
          {"tags", "A,B", "comma-separated tags", ""},
          {"resume", "RUN_ID", "continue a stored run from its latest checkpoint (to --steps if given)", ""},
          {"online-steps", "N", "after the offline steps, fine-tune online for N environment steps", "0"},
          {"online-buffer", "N", "online replay capacity (pre-filled with the dataset)", std::to_string(d.online_buffer)},
          {"online-updates-per-step", "N", "gradient steps per environment step online", "1"},
          {"save-online-dataset", "FILE", "write the online transitions as a D4RL-layout HDF5 file", ""},
          {"population", "", "train every combination of the comma lists given to --tau, --beta, --seed,\n"
                             "--discount, --polyak, --*-lr, --max-weight, --dropout as one batched model\n"
                             "(each member is stored as its own run, linked by a population id)", ""},
          {"resume-population", "ID", "continue a stored population from its members' checkpoints", ""},
          {"control", "FILE", "apply live changes appended to FILE: 'NAME VALUE [MEMBER]', pause, resume, stop", ""},
          {"preset", "NAME", "official settings: locomotion, antmaze (tau 0.9, beta 10, r-1, 100 eval episodes), "
                             "antmaze-finetune (+ constant actor lr, 1M online steps, 2M buffer), kitchen; "
                             "options given explicitly still win", ""},
          {"json", "", "print the outcome as JSON on stdout", ""}});
  if (!a.parse(argv)) return 0;

  // Population lists: option -> field; scalar options below read the first value.
  static const std::vector<std::pair<std::string, std::string>> kListOptions = {
      {"expectile", "expectile"}, {"tau", "expectile"},      {"temperature", "temperature"}, {"beta", "temperature"},
      {"discount", "discount"},   {"polyak", "polyak"},      {"actor-lr", "actor_lr"},       {"value-lr", "value_lr"},
      {"critic-lr", "critic_lr"}, {"max-weight", "max_weight"}, {"dropout", "dropout"},      {"seed", "seed"}};
  ValueLists lists;
  for (const auto& [opt, field] : kListOptions) {
    if (!a.has(opt)) continue;
    const auto items = split_list(a.str(opt));
    if (items.size() > 1 && !a.flag("population"))
      throw ConfigError("--" + opt + " " + a.str(opt) + ": a list of values needs --population");
    std::vector<double> values;
    for (const auto& s : items) {
      try {
        size_t used = 0;
        values.push_back(std::stod(s, &used));
        if (used != s.size()) throw std::invalid_argument(s);
      } catch (const std::exception&) {
        throw ConfigError("--" + opt + ": '" + s + "' is not a number");
      }
    }
    lists.emplace_back(field, values);
  }
  auto first = [&](const std::string& opt) {  // the scalar value of an option that may hold a list
    return a.has(opt) ? std::stod(split_list(a.str(opt)).at(0)) : a.num(opt);
  };

  TrainConfig c;
  c.dataset = a.str("dataset");
  c.env = a.str("env");
  c.physics = a.str("physics");
  c.algorithm = a.str("algorithm");
  c.steps = a.integer("steps");
  c.seed = static_cast<uint64_t>(first("seed"));
  c.expectile = a.has("tau") ? first("tau") : first("expectile");
  c.temperature = a.has("beta") ? first("beta") : first("temperature");
  c.discount = first("discount");
  c.polyak = first("polyak");
  c.actor_lr = first("actor-lr");
  c.value_lr = first("value-lr");
  c.critic_lr = first("critic-lr");
  c.actor_cosine_decay = !a.flag("no-cosine");
  c.actor_cosine_with_online = a.flag("cosine-with-online");
  c.max_weight = first("max-weight");
  c.hidden = static_cast<int>(a.integer("hidden"));
  c.batch_size = static_cast<int>(a.integer("batch"));
  c.policy = a.str("policy");
  c.dropout = first("dropout");
  c.reward_mode = a.str("reward-mode");
  c.normalize_obs = a.flag("normalize-obs");
  c.eval_interval = a.integer("eval-interval");
  c.eval_episodes = static_cast<int>(a.integer("eval-episodes"));
  c.log_interval = a.integer("log-interval");
  c.probe_interval = a.integer("probe-interval");
  c.checkpoint_interval = a.integer("checkpoint-interval");
  c.threads = static_cast<int>(a.integer("threads"));
  c.online_steps = a.integer("online-steps");
  c.online_buffer = a.integer("online-buffer");
  c.online_updates_per_step = static_cast<int>(a.integer("online-updates-per-step"));
  if (a.has("preset")) {  // the preset replaces defaults, not what the user typed
    apply_preset(iql_preset(a.str("preset")), c);
    if (a.has("expectile") || a.has("tau")) c.expectile = a.has("tau") ? first("tau") : first("expectile");
    if (a.has("temperature") || a.has("beta")) c.temperature = a.has("beta") ? first("beta") : first("temperature");
    if (a.has("reward-mode")) c.reward_mode = a.str("reward-mode");
    if (a.has("dropout")) c.dropout = first("dropout");
    if (a.has("eval-episodes")) c.eval_episodes = static_cast<int>(a.integer("eval-episodes"));
    if (a.has("no-cosine")) c.actor_cosine_decay = false;
    if (a.has("online-steps")) c.online_steps = a.integer("online-steps");
    if (a.has("online-buffer")) c.online_buffer = a.integer("online-buffer");
  }
  c.validate();

  if (a.flag("population") || a.has("resume-population")) {
    PopulationOptions popt;
    popt.db_path = a.str("db");
    popt.tags = split_list(a.str("tags"));
    popt.resume_population = a.str("resume-population");
    if (a.has("resume-population") && a.has("steps")) popt.steps_override = c.steps;
    const auto members = popt.resume_population.empty() ? population_grid(c, lists) : std::vector<TrainConfig>{};
    return run_population_and_report(members, popt, a.flag("json"), a.str("control"));
  }

  RunOptions opt;
  opt.db_path = a.str("db");
  opt.name = a.str("name");
  opt.tags = split_list(a.str("tags"));
  opt.online_dataset_out = a.str("save-online-dataset");
  if (a.has("resume")) {
    opt.resume_run_id = a.integer("resume");
    if (a.has("steps")) opt.steps_override = c.steps;
    if (a.has("online-steps")) opt.online_steps_override = c.online_steps;
  }
  return run_and_report(c, opt, a.flag("json"), a.str("control"));
}

int run_and_report(const TrainConfig& c, const RunOptions& opt, bool json, const std::string& control_file) {

  RunControl control;
  g_control = &control;
  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);
  const bool tty = isatty(fileno(stderr));
  StepMetrics last_metrics;
  std::optional<double> last_online_return;  // none until the first online episode ends
  std::optional<EvalResult> last_eval;
  RunCallbacks cb;
  cb.on_started = [&](int64_t id, const TrainConfig& cfg) {
    std::fprintf(stderr, "[iql] run %lld: %s on %s, env %s, tau %.3g, beta %.3g, %lld steps, seed %llu\n",
                 static_cast<long long>(id), cfg.algorithm.c_str(), cfg.dataset.c_str(), cfg.env.c_str(),
                 cfg.expectile, cfg.temperature, static_cast<long long>(cfg.steps),
                 static_cast<unsigned long long>(cfg.seed));
  };
  cb.on_metrics = [&](const StepMetrics& m) { last_metrics = m; };
  cb.on_evaluation = [&](const EvalResult& e) {
    last_eval = e;
    std::fprintf(stderr, "%s[iql] eval at step %lld: return %.1f +- %.1f", tty ? "\r\033[K" : "",
                 static_cast<long long>(e.step), e.return_mean, e.return_std);
    if (e.normalized_score) std::fprintf(stderr, ", normalised score %.1f", *e.normalized_score);
    std::fprintf(stderr, " (%.2f s)\n", e.seconds);
  };
  cb.on_event = [&](const RunEvent& ev) {
    if (!ev.detail.empty()) {  // load-time facts: physics evidence, clipped actions
      const char* what = ev.kind == "actions_clipped" ? "warning: dataset actions" : "physics auto";
      std::fprintf(stderr, "%s[iql] %s: %s%s", tty ? "\r\033[K" : "", what, ev.detail.c_str(),
                   ev.detail.back() == '\n' ? "" : "\n");
      return;
    }
    std::fprintf(stderr, "%s[iql] %s at step %lld\n", tty ? "\r\033[K" : "", ev.kind.c_str(),
                 static_cast<long long>(ev.step));
  };
  auto last_line = std::chrono::steady_clock::now() - std::chrono::hours(1);
  cb.on_online_episode = [&](int64_t step, const OnlineStepInfo& info) {
    last_online_return = info.episode_return;
    if (!tty) return;
    std::fprintf(stderr, "\r\033[K[iql] online episode done at env step %lld: return %.1f (%lld steps)\n",
                 static_cast<long long>(info.env_steps), info.episode_return,
                 static_cast<long long>(info.episode_length));
    (void)step;
  };
  auto last_online_line = std::chrono::steady_clock::now() - std::chrono::hours(1);
  cb.on_online_progress = [&](int64_t env_steps, int64_t total, double sps) {
    auto now = std::chrono::steady_clock::now();
    if (!tty && now - last_online_line < std::chrono::seconds(5) && env_steps != total) return;
    last_online_line = now;
    std::fprintf(stderr, "%s[iql] online phase: env step %lld/%lld %3.0f%% | %.0f env steps/s | ETA %s | last episode return %s%s",
                 tty ? "\r\033[K" : "", static_cast<long long>(env_steps), static_cast<long long>(total),
                 100.0 * env_steps / total, sps, clock_text(sps > 0 ? (total - env_steps) / sps : 0.0).c_str(),
                 last_online_return ? format_return(*last_online_return).c_str() : "none yet", tty ? "" : "\n");
  };
  cb.on_progress = [&](int64_t step, int64_t total, double sps) {
    auto now = std::chrono::steady_clock::now();
    if (!tty && now - last_line < std::chrono::seconds(5) && step != total) return;
    last_line = now;
    const double eta = sps > 0 ? (total - step) / sps : 0.0;
    std::fprintf(stderr, "%s[iql] step %lld/%lld %3.0f%% | %.0f steps/s | ETA %s | v_loss %.4g q_loss %.4g actor_loss %.4g%s",
                 tty ? "\r\033[K" : "", static_cast<long long>(step), static_cast<long long>(total),
                 100.0 * step / total, sps, clock_text(eta).c_str(), last_metrics.value("v_loss"),
                 last_metrics.value("q_loss"), last_metrics.value("actor_loss"), tty ? "" : "\n");
  };
  std::unique_ptr<ControlFileWatcher> watcher;
  if (!control_file.empty())
    watcher = std::make_unique<ControlFileWatcher>(control_file, control, [](const std::string& why) {
      std::fprintf(stderr, "[iql] control file: ignored %s\n", why.c_str());
    });
  auto out = run_training(c, opt, control, cb);
  watcher.reset();
  g_control = nullptr;
  if (tty) std::fprintf(stderr, "\n");

  if (out.nothing_to_do) {
    if (json)
      std::printf("%s\n", nlohmann::json{{"run_id", out.run_id}, {"status", out.status}, {"steps", out.steps},
                                         {"nothing_to_do", true}, {"db", out.db_path}}.dump(2).c_str());
    else
      std::printf("run %lld is already finished at step %lld: nothing to do (pass --steps N above %lld to train on)\n",
                  static_cast<long long>(out.run_id), static_cast<long long>(out.steps),
                  static_cast<long long>(out.steps));
    return 0;
  }
  if (json) {
    nlohmann::json j{{"run_id", out.run_id}, {"status", out.status}, {"steps", out.steps},
                     {"steps_per_s", out.steps_per_s}, {"db", out.db_path}, {"checkpoint", out.checkpoint_path}};
    if (out.final_evaluation) {
      j["return_mean"] = out.final_evaluation->return_mean;
      j["return_std"] = out.final_evaluation->return_std;
      if (out.final_evaluation->normalized_score) j["normalized_score"] = *out.final_evaluation->normalized_score;
    }
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("run %lld %s after %lld steps", static_cast<long long>(out.run_id), out.status.c_str(),
                static_cast<long long>(out.steps));
    // A fine-tuning run takes no offline steps here, so it has no offline rate to report.
    if (out.steps_per_s > 0) std::printf(" (%.0f offline steps/s)", out.steps_per_s);
    std::printf("\n");
    if (out.final_evaluation) {
      std::printf("evaluation return: %.1f +- %.1f over %zu episodes", out.final_evaluation->return_mean,
                  out.final_evaluation->return_std, out.final_evaluation->returns.size());
      if (out.final_evaluation->normalized_score)
        std::printf(", normalised score %.1f", *out.final_evaluation->normalized_score);
      std::printf("\n");
    }
    if (!out.online_dataset_path.empty()) std::printf("online transitions: %s\n", out.online_dataset_path.c_str());
    std::printf("stored in: %s (run %lld)\ncheckpoint: %s\n", out.db_path.c_str(), static_cast<long long>(out.run_id),
                out.checkpoint_path.c_str());
  }
  return 0;
}

int cmd_finetune(const ArgList& argv) {
  Args a("finetune", "RUN_ID|CHECKPOINT --online-steps N [options]",
         "Continues a stored offline run online (IQL paper, section 5.3): a new run, linked to the offline\n"
         "one, starts from its checkpoint, pre-fills a replay buffer with the dataset, samples actions from\n"
         "the stochastic policy and takes gradient steps as it interacts, without actor lr decay.",
         {{"online-steps", "N", "environment steps", ""},
          {"online-buffer", "N", "replay capacity", ""},
          {"online-updates-per-step", "N", "gradient steps per environment step", ""},
          {"db", "FILE", "run store (default in the XDG data dir)", ""},
          {"save-online-dataset", "FILE", "write the online transitions as a D4RL-layout HDF5 file", ""},
          {"name", "TEXT", "name of the new run", ""},
          {"json", "", "print the outcome as JSON on stdout", ""}},
         {"RUN_ID|CHECKPOINT"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql finetune: missing RUN_ID or CHECKPOINT (see iql runs list)");
  if (!a.has("online-steps")) throw ConfigError("iql finetune: --online-steps N is required");
  RunOptions opt;
  opt.db_path = a.str("db");
  opt.name = a.str("name");
  opt.online_dataset_out = a.str("save-online-dataset");
  opt.online_steps_override = a.integer("online-steps");
  const std::string target = a.positional()[0];
  if (std::filesystem::exists(target)) {
    RunStore store(opt.db_path.empty() ? RunStore::default_path() : opt.db_path);
    for (auto& r : store.list_runs())
      for (auto& ck : store.checkpoints(r.id))
        if (std::filesystem::exists(ck.path) && std::filesystem::equivalent(ck.path, target)) opt.finetune_run_id = r.id;
    if (!opt.finetune_run_id) throw ConfigError("iql finetune: " + target + " is not a checkpoint of any run in " + store.path());
    opt.finetune_checkpoint = target;
  } else {
    try {
      opt.finetune_run_id = std::stoll(target);
    } catch (const std::exception&) {
      throw ConfigError("iql finetune: '" + target + "' is neither a checkpoint file nor a run id");
    }
  }
  RunStore store(opt.db_path.empty() ? RunStore::default_path() : opt.db_path);
  auto parent = store.get_run(*opt.finetune_run_id);
  if (!parent) throw ConfigError("iql finetune: no run " + std::to_string(*opt.finetune_run_id) + " in " + store.path());
  TrainConfig c = TrainConfig::from_json(parent->config_json);
  if (a.has("online-buffer")) c.online_buffer = a.integer("online-buffer");
  if (a.has("online-updates-per-step")) c.online_updates_per_step = static_cast<int>(a.integer("online-updates-per-step"));
  return run_and_report(c, opt, a.flag("json"));
}

}  // namespace iql::cli
