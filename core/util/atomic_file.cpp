#include "core/util/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "core/util/storage_error.h"

namespace iql {

std::string unique_temp_path(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  // pid + counter are unique on one host; the random part covers pid reuse and other hosts
  // writing the same folder over a shared filesystem.
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()));
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, ".tmp.%ld.%u.%08llx", long(getpid()), counter.fetch_add(1),
                (unsigned long long)(rng() & 0xffffffffull));
  return path + suffix;
}

namespace {

// Owns the temporary file until it is renamed: on every failure path it is closed and unlinked, so
// a full disk never keeps the space a half-written file took.
class TempFile {
public:
  explicit TempFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    open_errno_ = fd_ < 0 ? errno : 0;
    created_ = fd_ >= 0;  // never unlink a file this object did not create
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (created_ && !renamed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int open_error() const { return open_errno_; }
  // 0 on success, else the errno of the write that failed (a short write is retried, so a full
  // disk shows up as ENOSPC on the next call).
  int write_all(std::string_view bytes) {
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return 0;
  }
  int sync_and_close() {
    // Some filesystems (NFS, quotas) report a full disk only here.
    if (::fsync(fd_) != 0) return errno;
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc != 0 ? errno : 0;
  }
  int rename_to(const std::string& dest) {
    if (::rename(path_.c_str(), dest.c_str()) != 0) return errno;
    renamed_ = true;
    return 0;
  }

private:
  std::string path_;
  int fd_ = -1;
  int open_errno_ = 0;
  bool created_ = false;
  bool renamed_ = false;
};

// Makes the rename durable; a folder that cannot be synced (some network filesystems) is no error.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& what) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) throw StorageError(path, "cannot create the folder for the " + what, ec.value());
  }
  TempFile tmp(unique_temp_path(path));
  if (const int err = tmp.open_error()) throw StorageError(path, "cannot create a temporary file for the " + what, err);
  if (const int err = tmp.write_all(bytes))
    throw StorageError(path, "cannot write the " + what + " (" + std::to_string(bytes.size()) + " bytes)", err);
  if (const int err = tmp.sync_and_close()) throw StorageError(path, "cannot finish writing the " + what, err);
  if (const int err = tmp.rename_to(path)) throw StorageError(path, "cannot move the " + what + " into place", err);
  sync_folder(folder);
}

}  // namespace iql
