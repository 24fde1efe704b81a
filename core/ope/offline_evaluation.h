// Offline policy evaluation of stored runs (a run, a population's members, a sweep's runs), as one call
// the CLI and the GUI share: every member's latest checkpoint is read, FQE (fqe.h) is fitted for all of
// them at once on their shared dataset, the cheap signals of their own critics (member_policy.h) are
// read, every estimate is brought to the episode-return scale (return_scale.h) and, where the env has
// D4RL references, to the normalised score, and stored in the run store's ope_estimates table.
// Methods (OpeEstimate::method):
//   fqe              FQE's Q(s0, pi(s0)) averaged over the dataset's initial states
//   critic_q_s0      the member's own min(target Q1, Q2)(s0, pi(s0))    (IQL only)
//   critic_v_s0      the member's own V(s0)                              (IQL only)
//   critic_td_error  RMS of its critics' TD error to r + gamma V(s'), lower is better (IQL only)
// Torch-free header.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ope/fqe.h"
#include "core/stats/bootstrap.h"

namespace iql {
class RunStore;
}

namespace iql::ope {

struct OpeSettings {
  bool fqe = true;     // fit FQE
  bool critic = true;  // read the members' own critics
  FqeSettings fqe_settings;
  int64_t td_rows = 50000;              // evenly spaced dataset rows for the TD error (0: all)
  stats::BootstrapSettings bootstrap;   // intervals over initial states
  bool store = true;                    // write ope_estimates rows
};

struct OpeEstimate {
  std::string method;
  double value = 0.0;                     // per-episode return (critic_td_error: the RMS error itself)
  std::optional<double> normalized_score; // D4RL-normalised value, where the env has references
  double discounted = 0.0;                // the discounted value before conversion (NaN for the TD error)
  stats::Interval interval;               // of `value`, bootstrap over initial states (TD error: NaN bounds)
  bool higher_is_better = true;           // false for critic_td_error
  std::string details_json = "{}";        // as stored
  // The number to rank members by: larger = predicted better (the negated error for the TD error);
  // the normalised score where there is one (a monotone map of the value), else the value.
  double ranking_value() const;
};

struct OpeMemberResult {
  int64_t run_id = 0;
  std::string name;
  int64_t step = 0;  // of the checkpoint evaluated
  std::string checkpoint;
  std::vector<OpeEstimate> estimates;
  const OpeEstimate* find(const std::string& method) const;  // null when absent
};

struct OpeResult {
  std::vector<OpeMemberResult> members;  // in the order of the run ids given
  std::string dataset, env;
  int max_episode_steps = 0;
  int64_t transitions = 0, initial_states = 0;
  bool fqe_ran = false;
  FqeSettings fqe_settings;
  double fqe_seconds = 0.0;     // FQE training and read-out, all members together
  double policy_seconds = 0.0;  // reading checkpoints, policy actions and critic signals
  // Transitions FQE trained on, all members: steps * batch * members.
  int64_t fqe_transitions_trained() const {
    return fqe_ran ? fqe_settings.steps * fqe_settings.batch * static_cast<int64_t>(members.size()) : 0;
  }
};

// ConfigError when a run is missing, has no checkpoint, or the runs do not share one dataset and env
// (FQE fits every member on one dataset). log receives progress lines.
OpeResult evaluate_runs_offline(RunStore& store, const std::vector<int64_t>& run_ids, const OpeSettings& settings,
                                const std::function<void(const std::string&)>& log = {});

}  // namespace iql::ope
