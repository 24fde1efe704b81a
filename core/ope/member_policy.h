// One stored member's checkpoint, read for offline evaluation: its deterministic policy's actions
// (clip(tanh mean), the action the workbench's evaluation plays) at every next observation and every
// initial state of the dataset, and, for IQL members, the cheap signals its own networks give without
// training: min of the target twin critics Q(s0, pi(s0)), V(s0), and the TD error of its critics to
// r + gamma (1 - terminal) V(s') on the dataset. Critic values are brought back to the dataset's raw
// reward scale (the member trained on preprocessed rewards). Torch stays in the .cpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/train_config.h"
#include "core/data/dataset.h"

namespace iql::ope {

// The checkpoint's stored run settings (TrainConfig) and, once its networks are read, its step.
// DataError for an unreadable file.
struct CheckpointHeader {
  TrainConfig config;
  int64_t step = 0;  // filled by evaluate_member_policy
};
CheckpointHeader read_checkpoint_header(const std::string& path);

struct CriticSignals {
  std::vector<double> q_s0;  // per initial state, discounted return in raw reward units
  std::vector<double> v_s0;
  double td_rms = 0.0;       // RMS over twins and rows, raw reward units
  std::string reward_mode;   // as the member trained ("locomotion", "antmaze", "none")
  double reward_scale = 1.0; // the factor its rewards were multiplied by (locomotion), else 1
};

struct MemberPolicyOutputs {
  CheckpointHeader header;
  std::vector<float> next_actions;      // rows * act_dim
  std::vector<float> start_actions;     // start_rows * act_dim
  std::optional<CriticSignals> critic;  // IQL members only
};

// `data`: raw observations and rewards, actions scaled to [-1, 1] as training saw them (prepare_run_data
// with reward mode "none" and no observation normalisation); each member's own observation normaliser
// is read from its checkpoint. td_rows: that many evenly spaced rows for the TD error (0: all).
// DataError when the checkpoint's networks do not fit the data's dimensions.
MemberPolicyOutputs evaluate_member_policy(const std::string& checkpoint, const Dataset& data,
                                           const std::vector<int64_t>& start_rows, int64_t td_rows);

}  // namespace iql::ope
