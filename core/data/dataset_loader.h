// One entry point for dataset files on disk: detects the format by content, not by extension,
// and dispatches to the matching reader. Torch-free.
//   HDF5 signature at offset 0 -> D4rlHdf5, or Minari when the root holds episode_* groups
//   (and no 'observations' dataset); zip signature -> Npz; a directory -> Minari.
// Anything else throws iql::DataError(path, "", "...expected ...").
#pragma once
#include <string>

#include "core/data/dataset.h"

namespace iql {

enum class DatasetFormat { D4rlHdf5, Minari, Npz };

const char* format_name(DatasetFormat f);  // "D4RL HDF5", "Minari", "NPZ rollouts"
DatasetFormat detect_format(const std::string& path);
// Reads any supported file. HDF5 files (D4RL, Minari) are read in a child process first, so that a
// libhdf5 crash on a corrupt file is a DataError here (core/data/crash_isolation.h).
Dataset read_dataset_file(const std::string& path);

}  // namespace iql
