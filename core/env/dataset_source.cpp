#include "core/env/dataset_source.h"

#include <filesystem>

#include "core/data/dataset_loader.h"
#include "core/env/builtin_datasets.h"
#include "core/util/errors.h"

namespace iql {

Dataset load_dataset(const std::string& name_or_path) {
  if (is_builtin_dataset(name_or_path)) return load_or_create_builtin(name_or_path);
  if (!std::filesystem::exists(name_or_path)) {  // neither a built-in name nor a file
    std::string names;
    for (const auto& n : builtin_dataset_names()) names += (names.empty() ? "" : ", ") + n;
    throw DataError(name_or_path, "", "no such file, and not a built-in dataset (built-ins: " + names + ")");
  }
  return read_dataset_file(name_or_path);  // D4RL HDF5, Minari or NPZ, detected by content
}

}  // namespace iql
