// Where a run's data comes from: a built-in dataset's name or a dataset file's path. In env because
// the built-in datasets are generated there (builtin_datasets.h); files are read by data's loader.
#pragma once
#include <string>

#include "core/data/dataset.h"

namespace iql {

// A built-in dataset by name (generated and cached on first use) or a file by path (D4RL HDF5,
// Minari or NPZ, detected by content). The dataset comes back validated by its reader (sizes agree,
// every value finite): DataError otherwise, naming the file and key. AntMaze data (by its detected
// environment) has its episodes delimited by timeouts only: its terminals mark "goal reached".
Dataset load_dataset(const std::string& name_or_path);

}  // namespace iql
