// Evaluates the policy stored in a checkpoint file, without the dataset it was trained on.
#pragma once
#include <string>

#include "core/train/training_types.h"

namespace iql {

// env/physics empty: those the run was trained with. Throws DataError for an unreadable file.
EvalResult evaluate_checkpoint(const std::string& path, const std::string& env, const std::string& physics,
                               int episodes, uint64_t seed);

}  // namespace iql
