// The typed error for a file that could not be written (no space, quota, file-size limit, read-only
// folder, I/O error). Its own header, included only by the writers; it is a UserError, so the CLI
// prints it and exits non-zero and the GUI shows it.
#pragma once
#include <cerrno>
#include <cstring>
#include <string>

#include "core/util/errors.h"

namespace iql {

// A file could not be written (no space, quota, file-size limit, read-only folder, I/O error). Names
// the file, what was being done and the system's reason ("No space left on device (ENOSPC)"); the
// errno stays available so callers can tell a full disk from a read-only one.
class StorageError : public UserError {
public:
  StorageError(std::string path, const std::string& action, int err)
      : UserError(path + ": " + action + ": " + describe(err)), path_(std::move(path)), errno_(err) {}
  const std::string& path() const { return path_; }
  int error_number() const { return errno_; }

  // "No space left on device (ENOSPC)", the symbolic name for the errors a full or read-only disk gives.
  static std::string describe(int err) {
    const char* name = err == ENOSPC ? "ENOSPC" : err == EDQUOT ? "EDQUOT" : err == EFBIG ? "EFBIG"
                     : err == EROFS  ? "EROFS"  : err == EIO    ? "EIO"    : err == EACCES ? "EACCES"
                     : err == EPERM  ? "EPERM"  : nullptr;
    const std::string text = err ? std::strerror(err) : "unknown error";
    return name ? text + " (" + name + ")" : text;
  }
  // True for the errnos a failed write on a full, limited or read-only filesystem leaves behind.
  static bool is_storage_errno(int err) {
    return err == ENOSPC || err == EDQUOT || err == EFBIG || err == EROFS || err == EIO || err == EACCES ||
           err == EPERM;
  }

private:
  std::string path_;
  int errno_;
};

}  // namespace iql
