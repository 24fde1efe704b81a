#include "core/train/stored_run/stored_run.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/data/d4rl_hdf5_writer.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/runtime/training_slots.h"
#include "core/store/run_store.h"
#include "core/train/population_grid.h"
#include "core/train/run_data.h"
#include "core/train/stored_run/live_gate.h"
#include "core/train/stored_run/run_recorder.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

#include <nlohmann/json.hpp>

namespace iql {

using namespace stored_run;

namespace {

// Where the runs come from: new rows, stored runs resumed, or a parent run fine-tuned.
struct Sources {
  std::vector<TrainConfig> cfgs;
  std::vector<int64_t> ids;                   // resumed runs, in member order (empty for new runs)
  std::vector<CheckpointRecord> start_from;   // one per member when starting from checkpoints
  std::vector<std::string> statuses;          // the resumed runs' stored statuses
  std::string population_id;
};

// The latest step at which every run has a checkpoint (members are saved together, but a kill
// between two members' files leaves them one interval apart).
std::vector<CheckpointRecord> common_checkpoints(RunStore& store, const std::vector<int64_t>& ids) {
  std::map<int64_t, std::vector<CheckpointRecord>> by_step;  // step -> one record per member, in member order
  for (auto id : ids) {
    std::map<int64_t, CheckpointRecord> latest_at;  // a step saved twice counts once (the later record)
    for (auto& c : store.checkpoints(id)) latest_at[c.step] = c;
    for (auto& [step, c] : latest_at) by_step[step].push_back(c);
  }
  for (auto it = by_step.rbegin(); it != by_step.rend(); ++it)
    if (it->second.size() == ids.size()) return it->second;
  return {};
}

std::vector<RunInfo> population_runs(RunStore& store, const std::string& population, const std::string& db) {
  std::vector<RunInfo> runs;
  for (auto& r : store.list_runs())
    if (r.population_id == population) runs.push_back(r);
  if (runs.empty()) throw ConfigError("no population '" + population + "' in " + db);
  std::sort(runs.begin(), runs.end(),
            [](const RunInfo& a, const RunInfo& b) { return a.population_member < b.population_member; });
  return runs;
}

Sources find_sources(const StoredRunRequest& rq, RunStore& store, const std::string& db) {
  Sources s;
  s.cfgs = rq.members;
  const bool finetune = rq.finetune_run_id.has_value();
  std::vector<RunInfo> runs;
  if (!rq.resume_population.empty()) {
    runs = population_runs(store, rq.resume_population, db);
    s.population_id = rq.resume_population;
  } else if (rq.resume_run_id || finetune) {
    const int64_t id = rq.resume_run_id ? *rq.resume_run_id : *rq.finetune_run_id;
    auto info = store.get_run(id);
    if (!info) throw ConfigError("no run with id " + std::to_string(id) + " in " + db);
    runs.push_back(*info);
  } else {
    return s;
  }
  std::vector<int64_t> ids;
  for (auto& r : runs) ids.push_back(r.id);
  if (!finetune) {  // resuming continues with the stored configs; fine-tuning takes the caller's
    s.cfgs.clear();
    for (auto& r : runs) s.cfgs.push_back(TrainConfig::from_json(r.config_json));
    s.ids = ids;
    for (auto& r : runs) s.statuses.push_back(r.status);
  }
  for (auto& c : s.cfgs) {
    if (rq.steps_override) c.steps = *rq.steps_override;
    if (rq.online_steps_override) c.online_steps = *rq.online_steps_override;
  }
  s.start_from = common_checkpoints(store, ids);
  if (finetune && !rq.finetune_checkpoint.empty()) {
    s.start_from.clear();
    for (auto& c : store.checkpoints(ids[0]))
      if (std::filesystem::equivalent(c.path, rq.finetune_checkpoint)) s.start_from = {c};
    if (s.start_from.empty())
      throw ConfigError(rq.finetune_checkpoint + " is not a checkpoint of run " + std::to_string(ids[0]));
  }
  if (s.start_from.empty())
    throw ConfigError(rq.resume_population.empty()
                          ? "run " + std::to_string(ids[0]) + " has no checkpoint to start from"
                          : "population " + rq.resume_population + " has no step at which every member has a checkpoint");
  if (finetune && (s.cfgs.empty() || s.cfgs[0].online_steps <= 0))
    throw ConfigError("fine-tuning needs online_steps > 0 (--online-steps N)");
  return s;
}

// The threads a run trains with, fixed for its lifetime (threads change the rounding, so a count that
// followed the machine's load changed a seed's numbers): the setting when it names a count; for auto
// (0) the count a resumed run recorded when it started (its first 'runtime' event), so it continues
// bit-identically, else the machine's fixed default. Stored configs keep 0 (threads do not tell
// experiments apart); the 'runtime' event of every start and resume records the resolved count.
int run_threads(RunStore& store, const Sources& s) {
  const int asked = s.cfgs.empty() ? 0 : s.cfgs[0].threads;
  if (asked > 0) return asked;
  if (!s.ids.empty())
    for (const auto& ev : store.events(s.ids[0])) {
      if (ev.kind != "runtime") continue;
      const auto j = nlohmann::json::parse(ev.payload_json, nullptr, false);
      if (j.is_object() && j.contains("threads") && j["threads"].is_number_integer() && j["threads"].get<int>() > 0)
        return j["threads"].get<int>();
      break;  // the first one tells how the run started; runs stored before issue 23 may lack it
    }
  return runtime::default_training_threads();
}

// Resumed runs that are finished and whose checkpoints are their final ones: training would add
// nothing, and evaluating again would only repeat the last evaluation row.
bool nothing_left(const Sources& s) {
  if (s.ids.empty()) return false;
  for (size_t k = 0; k < s.ids.size(); ++k)
    if (s.statuses[k] != "finished" || s.start_from[k].step < s.cfgs[k].steps) return false;
  return true;
}

std::vector<int64_t> create_runs(RunStore& store, const StoredRunRequest& rq, const std::vector<TrainConfig>& cfgs,
                                 const std::string& population_id) {
  const int64_t P = static_cast<int64_t>(cfgs.size());
  const bool finetune = rq.finetune_run_id.has_value();
  std::vector<int64_t> ids;
  for (int64_t k = 0; k < P; ++k) {
    const auto& c = cfgs[k];
    RunInfo info;
    if (!rq.member_names.empty()) info.name = rq.member_names[k];
    else if (rq.population) info.name = default_name(c, false) + " [pop " + std::to_string(k + 1) + "/" + std::to_string(P) + "]";
    else info.name = default_name(c, finetune);
    info.status = "running";
    info.algorithm = c.algorithm;
    info.dataset = c.dataset;
    info.env = c.env;
    info.physics = c.physics;
    info.config_json = c.to_json();
    info.seed = static_cast<int64_t>(c.seed);
    info.tags = rq.tags;
    if (!rq.member_tags.empty()) info.tags.insert(info.tags.end(), rq.member_tags[k].begin(), rq.member_tags[k].end());
    info.parent_run_id = rq.finetune_run_id;
    info.phase = finetune ? "online" : (c.online_steps > 0 ? "offline+online" : "offline");
    if (rq.population) {
      info.population_id = population_id;
      info.population_member = k;
    }
    ids.push_back(store.create_run(info));
  }
  return ids;
}

// The events every member starts with (after the 'runtime' event): load-time fixes, resume or fine-tune.
void record_start(RunRecorder& rec, const Trainer& trainer, const DataLoadReport& load, const StoredRunRequest& rq) {
  const int64_t step = trainer.step_count();
  if (load.detection && load.detection->env != "pendulum") {  // pendulum has no physics variants
    RunEvent ev{step, "physics_detected", "physics", 0, 0};
    ev.detail = load.detection->to_text();
    ev.payload = load.detection->to_json();
    rec.event_all(ev);
  }
  if (load.clip.rows_clipped > 0) {
    RunEvent ev{step, "actions_clipped", "actions", 0, load.clip.fraction()};
    ev.detail = load.clip.to_text();
    ev.payload = load.clip.to_json();
    rec.event_all(ev);
  }
  if (rq.resume_run_id || !rq.resume_population.empty()) rec.event_all({step, "resume_from_checkpoint", "", 0, 0});
  if (rq.finetune_run_id) rec.event_all({step, "finetune_from_run", "", 0, 0});
}

// Offline phase: gradient steps on the dataset, every member at once.
void train_offline(Trainer& trainer, RunRecorder& rec, LiveGate& gate, const TrainConfig& c0,
                   const StoredRunCallbacks& cb, StoredRunOutcome& out) {
  Progress progress(trainer.step_count());
  std::string facts = trainer.device_facts_json();
  while (trainer.step_count() < c0.steps && gate.pass()) {
    const int64_t next = trainer.step_count() + 1;
    const bool want = next % c0.log_interval == 0 || next == c0.steps;
    auto ms = trainer.step_members(want);
    if (want) rec.metrics(ms);
    if (want && trainer.device_facts_json() != facts) {  // a CUDA graph capture failed: say so in the run
      facts = trainer.device_facts_json();
      rec.runtime_info(next, facts);
    }
    if (c0.eval_interval > 0 && next % c0.eval_interval == 0) rec.evaluate(trainer, c0.eval_episodes);
    if (c0.probe_interval > 0 && next % c0.probe_interval == 0) rec.probe(trainer);
    if (c0.checkpoint_interval > 0 && next % c0.checkpoint_interval == 0) rec.checkpoint(trainer, next);
    if (rec.flush_due()) rec.flush(next);
    if (progress.due(next == c0.steps)) {
      out.steps_per_s = progress.rate(next);
      if (cb.on_progress) cb.on_progress(next, c0.steps, out.steps_per_s);
    }
  }
}

// Online phase of a one-member run: environment interaction with updates (fine-tuning).
void train_online(Trainer& trainer, RunRecorder& rec, LiveGate& gate, const TrainConfig& c,
                  const StoredRunCallbacks& cb) {
  if (rec.last_evaluation_step() != trainer.step_count()) rec.evaluate(trainer, c.eval_episodes);  // the offline score
  rec.flush(trainer.step_count());
  rec.event(0, {trainer.step_count(), "phase", "online", 0, static_cast<double>(c.online_steps)});
  trainer.begin_online();
  Progress progress(0);
  int64_t env_steps = 0;
  while (env_steps < c.online_steps && gate.pass()) {
    const bool want = (env_steps + 1) % c.log_interval == 0;
    StepMetrics m;
    auto info = trainer.online_step(want, &m);
    env_steps = info.env_steps;
    if (want) {
      m.values.emplace_back("online_env_steps", static_cast<double>(env_steps));
      rec.metrics({m});
    }
    if (info.episode_done) {
      rec.metric(0, trainer.step_count(), "online_episode_return", info.episode_return);
      if (cb.on_online_episode) cb.on_online_episode(trainer.step_count(), info);
    }
    if (c.eval_interval > 0 && env_steps % c.eval_interval == 0) rec.evaluate(trainer, c.eval_episodes);
    if (c.probe_interval > 0 && env_steps % c.probe_interval == 0) rec.probe(trainer);
    if (rec.flush_due()) rec.flush(trainer.step_count());
    if (progress.due(env_steps == c.online_steps) && cb.on_online_progress)
      cb.on_online_progress(env_steps, c.online_steps, progress.rate(env_steps));
  }
}

// The end of a run. A stopped run may be resumed (sweep tasks requeued by Slurm): it checkpoints
// before its stop-time evaluation, so the resumed run's evaluation seeds continue as if it had never
// stopped (an evaluation counts in the checkpoint).
void finish(Trainer& trainer, RunRecorder& rec, const TrainConfig& c0, bool stopped) {
  const int64_t done = trainer.step_count();
  rec.flush(done);
  const bool final_checkpoint = c0.checkpoint_interval <= 0 || done % c0.checkpoint_interval != 0 || trainer.online();
  if (stopped && final_checkpoint) rec.checkpoint(trainer, done);
  if (rec.last_evaluation_step() != done) rec.evaluate(trainer, c0.eval_episodes);
  if (!stopped && final_checkpoint) rec.checkpoint(trainer, done);
  rec.status(stopped ? "stopped" : "finished");
}

StoredRunOutcome nothing_to_do(const Sources& s, const std::string& db) {
  StoredRunOutcome out;
  out.population_id = s.population_id;
  out.status = "finished";
  out.nothing_to_do = true;
  out.steps = s.start_from[0].step;
  out.db_path = db;
  for (size_t k = 0; k < s.ids.size(); ++k) {
    MemberOutcome r;
    r.run_id = s.ids[k];
    r.status = s.statuses[k];
    r.steps = s.start_from[k].step;
    r.checkpoint_path = s.start_from[k].path;
    r.db_path = db;
    r.nothing_to_do = true;
    out.members.push_back(r);
  }
  return out;
}

// After a failure: store the metrics still buffered, then the status, each on its own, so a full disk
// that refused the metrics may still take the status row's small change. Returns what the user must
// know when the status could not be stored either (empty when it was).
std::string mark_failed(RunRecorder& rec, int64_t step) {
  try {
    rec.flush(step);
  } catch (const std::exception&) {
  }
  try {
    rec.status("failed");
    return {};
  } catch (const std::exception& e) {
    return std::string("; the run could not be marked failed either (") + e.what() +
           "): it shows as 'interrupted' once this process ends, and resumes from its last checkpoint";
  }
}

}  // namespace

StoredRunOutcome run_stored(const StoredRunRequest& rq, RunControl& control, const StoredRunCallbacks& cb) {
  runtime::TrainingSlot slot;  // tells other processes a training runs here (it sets no one's threads)
  StoredRunOutcome out;
  out.db_path = rq.db_path.empty() ? RunStore::default_path() : rq.db_path;
  RunStore store(out.db_path);

  Sources src = find_sources(rq, store, out.db_path);
  if (nothing_left(src)) return nothing_to_do(src, out.db_path);
  const int threads = run_threads(store, src);
  if (src.cfgs.empty()) throw ConfigError("a population needs at least one member");
  if ((!rq.member_names.empty() && rq.member_names.size() != src.cfgs.size()) ||
      (!rq.member_tags.empty() && rq.member_tags.size() != src.cfgs.size()))
    throw ConfigError("a population of " + std::to_string(src.cfgs.size()) + " members needs one name and one tag list per member");
  // Validated, clipped and scaled once; bad input throws here, before run rows exist.
  PreparedData prepared = prepare_run_data(src.cfgs);
  src.cfgs = prepared.members;  // as stored: resolved, physics chosen
  const DataLoadReport load = prepared.report;
  Trainer trainer(std::move(prepared));
  set_threads(threads);  // after the trainer's own set_threads(setting): a resumed run keeps its recorded count
  const int64_t P = trainer.members();
  for (size_t k = 0; k < src.start_from.size(); ++k) trainer.load_member_checkpoint(k, src.start_from[k].path);

  std::vector<int64_t> ids = src.ids;
  if (ids.empty()) {
    out.population_id = rq.population ? new_population_id() : "";
    ids = create_runs(store, rq, src.cfgs, out.population_id);
  } else {
    out.population_id = src.population_id;
    for (int64_t k = 0; k < P; ++k) {
      store.forget_after(ids[k], src.start_from[k].step);  // a killed run recorded beyond its checkpoint
      store.update_status(ids[k], "running");
    }
  }
  RunRecorder rec(store, ids, rq.checkpoint_dir, out.db_path, cb);
  rec.runtime_info(trainer.step_count(), trainer.device_facts_json());
  if (cb.on_started) {
    std::vector<TrainConfig> now;
    for (int64_t k = 0; k < P; ++k) now.push_back(trainer.member_config(k));
    cb.on_started(out.population_id, ids, now);
  }
  record_start(rec, trainer, load, rq);

  LiveGate gate(control, trainer, rec);
  const TrainConfig& c0 = trainer.member_config(0);
  try {
    train_offline(trainer, rec, gate, c0, cb, out);
    if (!gate.stopped() && c0.online_steps > 0) train_online(trainer, rec, gate, c0, cb);
    finish(trainer, rec, c0, gate.stopped());
  } catch (const std::exception& e) {
    const std::string unmarked = mark_failed(rec, trainer.step_count());
    if (!unmarked.empty()) throw StoreError(e.what() + unmarked);
    throw;
  }
  out.status = gate.stopped() ? "stopped" : "finished";
  out.steps = trainer.step_count();
  out.device_json = trainer.device_facts_json();
  for (int64_t k = 0; k < P; ++k) {
    MemberOutcome r;
    r.run_id = ids[k];
    r.status = out.status;
    r.steps = out.steps;
    r.final_evaluation = rec.last_evaluation(k);
    r.checkpoint_path = rec.last_checkpoint(k);
    r.steps_per_s = out.steps_per_s;
    r.db_path = out.db_path;
    out.members.push_back(r);
  }
  if (trainer.online() && !rq.online_dataset_out.empty()) {
    write_d4rl_hdf5(trainer.online_dataset(), rq.online_dataset_out);
    out.members[0].online_dataset_path = rq.online_dataset_out;
  }
  return out;
}

}  // namespace iql
