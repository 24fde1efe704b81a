#include "core/sweep/task_runner.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/store/run_store.h"
#include "core/train/population_run.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

namespace iql {

namespace {

std::string member_tag(const SweepMember& m) { return "sweep-member=" + std::to_string(m.index); }

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string slurm_job_name() {
  const std::string array = env_or("SLURM_ARRAY_JOB_ID", "");
  if (!array.empty()) return array + "_" + env_or("SLURM_ARRAY_TASK_ID", "?");
  return env_or("SLURM_JOB_ID", "");
}

std::string hostname() {
  char buf[256] = {0};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

// Each member as the shard has it: a new run, or the resumption of the one it already has. A member
// run that died before its first checkpoint has nothing to resume and starts over.
struct Pending {
  std::vector<TaskMember> members;
  int already_done = 0;
};

Pending members_to_train(const SweepFolder& folder, int index, const SweepPlan& plan,
                         const std::vector<SweepMember>& members) {
  const std::string shard = folder.shard_path(index);
  RunStore store(shard);  // this task is the shard's only writer
  Pending out;
  const auto runs = store.list_runs();
  for (const auto& m : members) {
    TaskMember t{m, {}, {}};
    RunOptions& o = t.options;
    o.db_path = shard;
    o.checkpoint_dir = folder.checkpoint_dir(index);
    o.name = plan.name + " " + (m.point.empty() ? "run " + std::to_string(m.index) : m.point);
    o.tags = {"sweep=" + plan.sweep_id, member_tag(m)};
    bool skip = false;
    for (const auto& r : runs) {
      if (std::find(r.tags.begin(), r.tags.end(), member_tag(m)) == r.tags.end()) continue;
      if (r.status == "finished") {
        skip = true;
      } else if (store.latest_checkpoint(r.id)) {
        o.resume_run_id = r.id;
        t.population_id = r.population_id;
      } else {
        store.delete_run(r.id);  // nothing to resume from: start this member again
      }
      break;
    }
    if (skip) {
      ++out.already_done;
      continue;
    }
    out.members.push_back(t);
  }
  return out;
}

// A population's progress reaches the task's log as one run's would: every member's start and
// evaluation, the population's events once (they are recorded for every member alike).
PopulationCallbacks population_callbacks(const RunCallbacks& cb) {
  PopulationCallbacks p;
  p.on_started = [cb](const std::string&, const std::vector<int64_t>& ids, const std::vector<TrainConfig>& cfgs) {
    if (cb.on_started)
      for (size_t k = 0; k < ids.size(); ++k) cb.on_started(ids[k], cfgs[k]);
  };
  p.on_event = [cb](int64_t member, const RunEvent& ev) {
    if (cb.on_event && (member == 0 || ev.kind.rfind("hyperparameter", 0) == 0)) cb.on_event(ev);
  };
  p.on_evaluation = [cb](int64_t, const EvalResult& e) {
    if (cb.on_evaluation) cb.on_evaluation(e);
  };
  p.on_progress = cb.on_progress;
  return p;
}

// New members in groups that can share one batched model, in plan order (first fit).
std::vector<std::vector<TaskMember>> population_groups(const std::vector<TaskMember>& fresh) {
  std::vector<std::vector<TaskMember>> groups;
  for (const auto& t : fresh) {
    bool placed = false;
    for (auto& g : groups) {
      std::vector<TrainConfig> cfgs;
      for (const auto& o : g) cfgs.push_back(o.member.config);
      cfgs.push_back(t.member.config);
      if (population_mismatch(cfgs).empty()) {
        g.push_back(t);
        placed = true;
        break;
      }
    }
    if (!placed) groups.push_back({t});
  }
  return groups;
}

}  // namespace

void train_members(const std::vector<TaskMember>& members, RunControl& control, const RunCallbacks& cb) {
  std::vector<std::string> resumed;  // populations already continued
  std::vector<TaskMember> fresh;
  for (const auto& t : members) {
    if (control.stop_requested()) return;
    if (!t.options.resume_run_id) {
      fresh.push_back(t);
    } else if (t.population_id.empty()) {
      run_training(t.member.config, t.options, control, cb);
    } else if (std::find(resumed.begin(), resumed.end(), t.population_id) == resumed.end()) {
      resumed.push_back(t.population_id);
      PopulationOptions po;
      po.db_path = t.options.db_path;
      po.checkpoint_dir = t.options.checkpoint_dir;
      po.resume_population = t.population_id;
      run_population({}, po, control, population_callbacks(cb));
    }
  }
  for (const auto& g : population_groups(fresh)) {
    if (control.stop_requested()) return;
    if (g.size() == 1) {
      run_training(g[0].member.config, g[0].options, control, cb);
      continue;
    }
    PopulationOptions po;
    po.db_path = g[0].options.db_path;
    po.checkpoint_dir = g[0].options.checkpoint_dir;
    std::vector<TrainConfig> cfgs;
    for (const auto& t : g) {
      cfgs.push_back(t.member.config);
      po.member_names.push_back(t.options.name);
      po.member_tags.push_back(t.options.tags);
    }
    run_population(cfgs, po, control, population_callbacks(cb));
  }
}

TaskRunResult run_sweep_task(const SweepFolder& folder, int index, RunControl& control, const TaskRunHooks& hooks) {
  auto log = [&](const std::string& s) {
    if (hooks.log) hooks.log(s);
  };
  TaskRecord rec = folder.read_record(index).value_or(TaskRecord{});
  rec.index = index;
  rec.state = "running";
  rec.message.clear();
  rec.attempts += 1;
  rec.host = hostname();
  rec.pid = getpid();
  rec.slurm_job = slurm_job_name();
  rec.started = unix_now();
  rec.first_step = 0;
  rec.ended = 0;
  folder.write_record(rec);

  TaskRunResult result;
  try {
    const SweepPlan plan = folder.plan();
    if (index < 0 || index >= static_cast<int>(plan.tasks.size()))
      throw ConfigError(folder.dir() + ": no task " + std::to_string(index) + " (the plan has " +
                        std::to_string(plan.tasks.size()) + ")");
    const auto& task = plan.tasks[static_cast<size_t>(index)];
    std::filesystem::create_directories(folder.checkpoint_dir(index));
    const Pending todo = members_to_train(folder, index, plan, task.members);
    rec.members_done = todo.already_done;
    folder.write_record(rec);
    std::ostringstream os;
    os << "task " << index << " of sweep " << plan.sweep_id << ": " << todo.members.size() << " of " << task.members.size()
       << " members to train (attempt " << rec.attempts << (rec.slurm_job.empty() ? "" : ", job " + rec.slurm_job)
       << ", host " << rec.host << ")";
    log(os.str());

    RunCallbacks cb;
    cb.on_started = [&](int64_t run_id, const TrainConfig& c) {
      if (rec.first_step == 0) {
        rec.first_step = unix_now();
        folder.write_record(rec);
      }
      std::ostringstream l;
      l << "run " << run_id << ": tau " << c.expectile << " beta " << c.temperature << " seed " << c.seed << ", "
        << c.steps << " steps";
      log(l.str());
    };
    cb.on_event = [&](const RunEvent& ev) { log(ev.kind + " at step " + std::to_string(ev.step)); };
    cb.on_evaluation = [&](const EvalResult& e) {
      std::ostringstream l;
      l << "eval at step " << e.step << ": return " << e.return_mean;
      log(l.str());
    };
    int last_logged = -1;
    cb.on_progress = [&](int64_t step, int64_t total, double sps) {
      const int pct = static_cast<int>(100 * step / std::max<int64_t>(1, total));
      if (pct / 25 == last_logged / 25 && step != total) return;
      last_logged = pct;
      std::ostringstream l;
      l << "step " << step << "/" << total << " (" << static_cast<int>(sps) << " steps/s)";
      log(l.str());
    };
    train_members(todo.members, control, cb);
    // count what the shard now says is finished
    {
      RunStore store(folder.shard_path(index));
      int finished = 0;
      for (const auto& r : store.list_runs())
        if (r.status == "finished") ++finished;
      rec.members_done = finished;
    }
    result.state = control.stop_requested() && rec.members_done < static_cast<int>(task.members.size()) ? "stopped" : "finished";
  } catch (const std::exception& e) {
    result.state = "failed";
    result.message = e.what();
    log(std::string("error: ") + e.what());
  }
  rec.state = result.state;
  rec.message = result.message;
  rec.ended = unix_now();
  folder.write_record(rec);
  return result;
}

}  // namespace iql
