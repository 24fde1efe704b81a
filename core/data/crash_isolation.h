// Runs a read of an untrusted file in a forked child first, so that a crash inside a library we
// cannot fix (Debian 12's libhdf5 1.10.8 segfaults on some corrupt files: fuzz/known-libhdf5/)
// becomes a DataError naming the file instead of taking the GUI or a sweep worker down.
// The child's outcome decides: exit 0 -> return (the caller then reads in-process), a thrown
// DataError/UserError -> the same message rethrown here, a signal or a hang -> DataError.
// Torch-free. Costs one extra read of the file (about 0.1 s per 100 MB of HDF5 on these machines).
#pragma once
#include <functional>
#include <mutex>
#include <string>

namespace iql {

// Runs `read` in a child process and reports how it ended (see above). `file` names the file in
// errors. `timeout_s` bounds the child (a corrupt file can make a library loop). Set
// IQL_NO_CRASH_ISOLATION=1 to run `read` in-process instead (debugging under gdb).
void check_in_child(const std::string& file, const std::function<void()>& read, int timeout_s = 600);

// Held by every HDF5 read and write of ours and across fork(), so that no thread of this process is
// inside libhdf5 (holding its global lock) when a child is forked. (glibc's malloc is fork-safe;
// GCC 12's ASan allocator is not: the sanitizer runs set IQL_NO_CRASH_ISOLATION=1, see
// packaging/sanitizers/sanitizer-env.sh.)
std::mutex& hdf5_mutex();

}  // namespace iql
