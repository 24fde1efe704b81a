// Files that several processes may write at once (built-in datasets, generated data, checkpoints)
// are written to a private temporary file beside the destination and renamed into place. rename()
// is atomic within a directory, so a reader sees the old file or the new one, never half of one;
// and since no two writers share a temporary name, none truncates, locks or deletes another's.
#pragma once
#include <string>
#include <string_view>

namespace iql {

// "<path>.tmp.<pid>.<counter>.<random>": unique across processes and threads, in path's folder.
std::string unique_temp_path(const std::string& path);

// Writes bytes to path atomically: creates its folder, writes a private temporary file beside it,
// fsyncs and renames it into place. Any failure (no space, quota, file-size limit, read-only folder)
// removes the temporary file and throws StorageError naming path, `what` ("checkpoint") and the
// system's reason; the destination is then untouched. Under a file-size limit (ulimit -f) the
// process must ignore SIGXFSZ, whose default action kills it, for the write to fail with EFBIG.
void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& what);

}  // namespace iql
