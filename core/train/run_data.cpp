#include "core/train/run_data.h"


#include "core/env/dataset_source.h"
#include "core/env/env_registry.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

namespace iql {

bool normalizes_observations(const TrainConfig& c) { return c.normalize_obs || c.algorithm == "iql-corl"; }

std::string applied_reward_mode(const TrainConfig& c) {
  return c.algorithm == "iql-corl" && c.reward_mode == "auto" ? std::string("none") : c.effective_reward_mode();
}

namespace {

// Members validated and resolved, able to share one model. One model has one environment and one
// physics: with member 0's physics "auto", every member's is chosen from the data (below).
std::vector<TrainConfig> checked_members(std::vector<TrainConfig> members) {
  for (auto& c : members) {
    c.validate();
    c = c.resolved();
  }
  if (!members.empty() && members[0].physics == "auto")
    for (auto& c : members) c.physics = "auto";
  if (auto why = population_mismatch(members); !why.empty()) throw ConfigError(why);
  return members;
}

// Dataset and environment must agree on dimensions before any training.
void check_dimensions(const Dataset& d, const Env& env) {
  if (d.obs_dim != env.obs_dim())
    throw DataError(d.source, "observations",
                    "has obs_dim " + std::to_string(d.obs_dim) + ", but env '" + env.name() + "' expects shape (N, " +
                        std::to_string(env.obs_dim()) + ")");
  if (d.act_dim != env.act_dim())
    throw DataError(d.source, "actions",
                    "has act_dim " + std::to_string(d.act_dim) + ", but env '" + env.name() + "' expects shape (N, " +
                        std::to_string(env.act_dim()) + ")");
}

// Everything after reading: `raw` is valid (sizes agree, values finite), `members` checked.
PreparedData prepare(std::vector<TrainConfig> members, Dataset raw) {
  PreparedData p;
  if (members[0].physics == "auto") {
    p.report.detection = detect_physics(raw, members[0].env);
    for (auto& c : members) c.physics = p.report.detection->chosen;
  }
  const TrainConfig& c0 = members[0];
  const auto env = make_env(c0.env, c0.physics);
  check_dimensions(raw, *env);
  p.action_high = env->action_high();
  p.report.clip = clip_actions_to_bound(raw, p.action_high);
  if (raw.episode_starts.empty()) raw.rebuild_episode_index();
  scale_and_clip_actions(raw, p.action_high);
  p.reward_mode = applied_reward_mode(c0);
  p.reward_scale = preprocess_rewards(raw, p.reward_mode);
  if (normalizes_observations(c0)) p.norm = normalize_observations(raw);
  p.data = std::move(raw);
  p.members = std::move(members);
  return p;
}

}  // namespace

PreparedData prepare_run_data(std::vector<TrainConfig> members) {
  members = checked_members(std::move(members));
  Dataset raw = load_dataset(members[0].dataset);  // validated by its reader
  return prepare(std::move(members), std::move(raw));
}

PreparedData prepare_run_data(std::vector<TrainConfig> members, Dataset raw) {
  members = checked_members(std::move(members));
  raw.validate();
  return prepare(std::move(members), std::move(raw));
}

}  // namespace iql
