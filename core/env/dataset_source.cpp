#include "core/env/dataset_source.h"

#include <filesystem>

#include "core/data/dataset_loader.h"
#include "core/env/builtin_datasets.h"
#include "core/env/env_guess.h"
#include "core/util/errors.h"

namespace iql {

namespace {

// AntMaze data marks every row near the goal terminal while its episode runs on to the time limit:
// there only timeouts (and breaks in the data) end an episode, or 20 episodes count as thousands.
Dataset with_episode_index(Dataset d) {
  if (guess_env(d).rfind("antmaze", 0) == 0) d.rebuild_episode_index(Dataset::EpisodeEnds::TimeoutsOnly);
  return d;
}

}  // namespace

Dataset load_dataset(const std::string& name_or_path) {
  if (is_builtin_dataset(name_or_path)) return with_episode_index(load_or_create_builtin(name_or_path));
  if (!std::filesystem::exists(name_or_path)) {  // neither a built-in name nor a file
    std::string names;
    for (const auto& n : builtin_dataset_names()) names += (names.empty() ? "" : ", ") + n;
    throw DataError(name_or_path, "", "no such file, and not a built-in dataset (built-ins: " + names + ")");
  }
  return with_episode_index(read_dataset_file(name_or_path));  // D4RL HDF5, Minari or NPZ, detected by content
}

}  // namespace iql
