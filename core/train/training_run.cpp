#include "core/train/training_run.h"

namespace iql {

RunOutcome run_training(const TrainConfig& cfg, const RunOptions& opt, RunControl& control, const RunCallbacks& cb) {
  StoredRunRequest rq;
  rq.members = {cfg};
  rq.db_path = opt.db_path;
  rq.checkpoint_dir = opt.checkpoint_dir;
  rq.resume_run_id = opt.resume_run_id;
  rq.steps_override = opt.steps_override;
  rq.finetune_run_id = opt.finetune_run_id;
  rq.finetune_checkpoint = opt.finetune_checkpoint;
  rq.online_steps_override = opt.online_steps_override;
  rq.online_dataset_out = opt.online_dataset_out;
  if (!opt.name.empty()) rq.member_names = {opt.name};
  rq.tags = opt.tags;

  StoredRunCallbacks scb;  // the same callbacks, without the member index
  if (cb.on_started)
    scb.on_started = [&](const std::string&, const std::vector<int64_t>& ids, const std::vector<TrainConfig>& cfgs) {
      cb.on_started(ids[0], cfgs[0]);
    };
  if (cb.on_metrics) scb.on_metrics = [&](int64_t, const StepMetrics& m) { cb.on_metrics(m); };
  if (cb.on_evaluation) scb.on_evaluation = [&](int64_t, const EvalResult& e) { cb.on_evaluation(e); };
  if (cb.on_probe) scb.on_probe = [&](int64_t, const ProbeSnapshot& p) { cb.on_probe(p); };
  if (cb.on_event) scb.on_event = [&](int64_t, const RunEvent& e) { cb.on_event(e); };
  scb.on_progress = cb.on_progress;
  scb.on_online_episode = cb.on_online_episode;
  scb.on_online_progress = cb.on_online_progress;

  return run_stored(rq, control, scb).members.at(0);
}

}  // namespace iql
