// Files that several processes may write at once (built-in datasets, generated data, checkpoints)
// are written to a private temporary file beside the destination and renamed into place. rename()
// is atomic within a directory, so a reader sees the old file or the new one, never half of one;
// and since no two writers share a temporary name, none truncates, locks or deletes another's.
#pragma once
#include <string>

namespace iql {

// "<path>.tmp.<pid>.<counter>.<random>": unique across processes and threads, in path's folder.
std::string unique_temp_path(const std::string& path);

}  // namespace iql
