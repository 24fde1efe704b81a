// iql train and iql finetune: flags -> a stored-run request, run and reported by run_reporter.
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/run_reporter.h"
#include "app/cli/setting_options.h"
#include "core/store/run_store.h"
#include "core/train/iql_presets.h"
#include "core/train/population_grid.h"
#include "core/config/train_settings.h"
#include "core/util/errors.h"

namespace iql::cli {

int cmd_train(const ArgList& argv) {
  // Every TrainConfig field's flag comes from the settings table; these are the command's own.
  std::vector<OptionSpec> options = setting_options();
  const std::vector<OptionSpec> own = {
      {"db", "FILE", "run store (SQLite); default in the XDG data dir", ""},
      {"name", "TEXT", "run name", ""},
      {"tags", "A,B", "comma-separated tags", ""},
      {"resume", "RUN_ID", "continue a stored run from its latest checkpoint (to --steps if given)", ""},
      {"save-online-dataset", "FILE", "write the online transitions as a D4RL-layout HDF5 file", ""},
      {"population", "", "train every combination of the comma lists given to\n" + population_list_flags() +
                             " as one batched model\n(each member is stored as its own run, linked by a population id)", ""},
      {"resume-population", "ID", "continue a stored population from its members' checkpoints", ""},
      {"control", "FILE", "apply live changes appended to FILE: 'NAME VALUE [MEMBER]', pause, resume, stop", ""},
      {"preset", "NAME", "official settings: locomotion, antmaze (tau 0.9, beta 10, r-1, 100 eval episodes), "
                         "antmaze-finetune (+ constant actor lr, 1M online steps, 2M buffer), kitchen; "
                         "options given explicitly still win", ""},
      {"json", "", "print the outcome as JSON on stdout", ""}};
  options.insert(options.end(), own.begin(), own.end());
  Args a("train", "--dataset NAME|FILE [options]",
         "Trains on an offline dataset (built-in name or D4RL-layout HDF5 file), evaluates the deterministic\n"
         "policy in the environment, and stores the run (metrics, evaluations, histograms, events,\n"
         "checkpoints) in the SQLite run store. Ctrl-C stops cleanly and keeps everything stored.",
         options);
  if (!a.parse(argv)) return 0;

  for (const auto& [flag, text] : a.given()) {
    const TrainSetting* s = find_setting_by_flag(flag);
    if (s && s->per_member && split_comma_list(text).size() > 1 && !a.flag("population"))
      throw ConfigError("--" + flag + " " + text + ": a list of values needs --population");
  }
  // Defaults, then the preset, then the flags given: options given explicitly win over the preset.
  TrainConfig c = cli_default_config();
  if (a.has("preset")) apply_preset(iql_preset(a.str("preset")), c);
  ValueLists lists;  // population lists, first value already in c
  try {
    c = apply_setting_flags(c, a.given(), &lists);
  } catch (const ConfigError& e) {
    throw ConfigError(std::string("iql train: ") + e.what());
  }
  c.validate();

  if (a.flag("population") || a.has("resume-population")) {
    StoredRunRequest rq;
    rq.population = true;
    rq.db_path = a.str("db");
    rq.tags = split_comma_list(a.str("tags"));
    rq.resume_population = a.str("resume-population");
    if (a.has("resume-population") && a.has("steps")) rq.steps_override = c.steps;
    if (rq.resume_population.empty()) rq.members = population_grid(c, lists);
    return train_and_report(rq, a.flag("json"), a.str("control"));
  }

  StoredRunRequest rq;
  rq.members = {c};
  rq.db_path = a.str("db");
  if (a.has("name")) rq.member_names = {a.str("name")};
  rq.tags = split_comma_list(a.str("tags"));
  rq.online_dataset_out = a.str("save-online-dataset");
  if (a.has("resume")) {
    rq.resume_run_id = a.integer("resume");
    if (a.has("steps")) rq.steps_override = c.steps;
    if (a.has("online-steps")) rq.online_steps_override = c.online_steps;
  }
  return train_and_report(rq, a.flag("json"), a.str("control"));
}

int cmd_finetune(const ArgList& argv) {
  Args a("finetune", "RUN_ID|CHECKPOINT --online-steps N [options]",
         "Continues a stored offline run online (IQL paper, section 5.3): a new run, linked to the offline\n"
         "one, starts from its checkpoint, pre-fills a replay buffer with the dataset, samples actions from\n"
         "the stochastic policy and takes gradient steps as it interacts, without actor lr decay.",
         {{"online-steps", "N", "environment steps", ""},
          {"online-buffer", "N", "replay capacity", ""},
          {"online-updates-per-step", "N", "gradient steps per environment step", ""},
          {"device", "DEV", "cpu, cuda or auto (default: the offline run's setting)", ""},
          {"db", "FILE", "run store (default in the XDG data dir)", ""},
          {"save-online-dataset", "FILE", "write the online transitions as a D4RL-layout HDF5 file", ""},
          {"name", "TEXT", "name of the new run", ""},
          {"json", "", "print the outcome as JSON on stdout", ""}},
         {"RUN_ID|CHECKPOINT"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty()) throw ConfigError("iql finetune: missing RUN_ID or CHECKPOINT (see iql runs list)");
  if (!a.has("online-steps")) throw ConfigError("iql finetune: --online-steps N is required");
  StoredRunRequest opt;
  opt.db_path = a.str("db");
  if (a.has("name")) opt.member_names = {a.str("name")};
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
  if (a.has("device")) c.device = a.str("device");
  opt.members = {c};
  return train_and_report(opt, a.flag("json"));
}

}  // namespace iql::cli
