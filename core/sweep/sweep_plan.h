// A sweep plan: the spec's members packed into tasks. A task is what one process (a local job or one
// Slurm array element) trains; its members share dataset, env, algorithm and network shape, so a task
// can become one population (one batched model) once population training lands. Tasks are numbered
// 0..n-1 and never renumbered: a task's index names its folder, its shard store and its array element.
#pragma once
#include <string>
#include <vector>

#include "core/sweep/sweep_spec.h"

namespace iql {

struct SweepTask {
  int index = 0;
  std::vector<SweepMember> members;
  int threads() const;  // the most any member asks for: the cores the task needs
};

struct SweepPlan {
  std::string sweep_id;  // unique per sweep folder: name-YYYYmmddTHHMMSS-xxxx
  std::string name;
  int members_per_task = 1;
  std::vector<SweepTask> tasks;

  int member_count() const;
  // Packs members in expansion order into tasks of at most members_per_task; members that could not
  // share one batched model (any setting but the table's per-member ones differs) never share a task.
  static SweepPlan make(const SweepSpec& spec, const std::string& sweep_id);
  static std::string new_sweep_id(const std::string& name);
  std::string to_json() const;
  static SweepPlan from_json(const std::string& json, const std::string& origin);
  // Human-readable listing for `iql sweep plan`.
  std::string describe() const;
};

}  // namespace iql
