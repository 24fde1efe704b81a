// Evaluates the policy stored in a checkpoint file, without the dataset it was trained on.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/train/evaluation_paths.h"
#include "core/train/training_types.h"

namespace iql {

// env/physics empty: those the run was trained with. Without a seed the episodes are the run's own
// evaluation episodes at the checkpoint's step (train::evaluation_seeds), so the numbers match the
// stored evaluation of that step; with one, episodes are seeded seed, seed + 1, ...
// Throws DataError for an unreadable file.
// With `paths`: also each episode's xy path (and AntMaze goal), see evaluation_paths.h.
// device: cpu, cuda or auto, where the policy's forward passes run (the physics stays on the CPU).
EvalResult evaluate_checkpoint(const std::string& path, const std::string& env, const std::string& physics,
                               int episodes, std::optional<uint64_t> seed = std::nullopt,
                               EvaluationPaths* paths = nullptr, const std::string& device = "cpu");

}  // namespace iql
