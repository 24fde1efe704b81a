// write_d4rl_hdf5 on a disk that cannot take the file (issue 23): a full filesystem, a file-size
// limit or a read-only folder throws a StorageError naming the dataset file and the system's reason
// (HDF5 itself says only that a write failed), removes its temporary file, and leaves a file it
// would have replaced as it was.
#include <QtTest/QtTest>

#include <sys/mount.h>
#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <filesystem>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/d4rl_hdf5_writer.h"
#include "core/util/storage_error.h"

using namespace iql;
namespace fs = std::filesystem;

namespace {

// n rows of pseudo-random (barely compressible) values, one episode ending in a timeout.
Dataset noisy_dataset(int n) {
  Dataset d;
  d.source = "test";
  d.obs_dim = 4;
  d.act_dim = 2;
  uint32_t x = 12345;
  auto next = [&x] {
    x = x * 1664525u + 1013904223u;
    return float(x >> 8) / float(1 << 24) * 2.0f - 1.0f;
  };
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 4; ++j) d.observations.push_back(next());
    for (int j = 0; j < 4; ++j) d.next_observations.push_back(next());
    for (int j = 0; j < 2; ++j) d.actions.push_back(next());
    d.rewards.push_back(next());
    d.terminals.push_back(0);
    d.timeouts.push_back(i == n - 1);
  }
  d.rebuild_episode_index();
  return d;
}

std::vector<std::string> folder_names(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Failure {
  bool thrown = false;
  int err = 0;
  std::string path, message;
};
Failure failing_write(const Dataset& d, const std::string& path) {
  Failure f;
  try {
    write_d4rl_hdf5(d, path);
  } catch (const StorageError& e) {
    f = {true, e.error_number(), e.path(), e.what()};
  }
  return f;
}

class Tmpfs {
public:
  Tmpfs(const std::string& dir, const std::string& opts) : dir_(dir) {
    fs::create_directories(dir);
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) == 0;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool remount_read_only() { return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "") == 0; }

private:
  std::string dir_;
  bool mounted_ = false;
};

}  // namespace

class TestDatasetWriteFailure : public QObject {
  Q_OBJECT

private Q_SLOTS:
  // 20000 rows of 11 floats (~880 KB) on a 256 KiB tmpfs that already holds a small dataset.
  void noSpace() {
    QTemporaryDir dir;
    const std::string mnt = dir.filePath("tiny").toStdString();
    Tmpfs tmpfs(mnt, "size=262144");
    if (!tmpfs.mounted()) QSKIP("cannot mount a tmpfs here");
    const std::string path = mnt + "/data.hdf5";
    write_d4rl_hdf5(noisy_dataset(10), path);
    const Failure f = failing_write(noisy_dataset(20000), path);
    QVERIFY(f.thrown);
    QCOMPARE(f.err, ENOSPC);
    QCOMPARE(f.path, path);
    QVERIFY2(f.message.rfind(path + ": cannot write the dataset file", 0) == 0, f.message.c_str());
    QVERIFY2(QString::fromStdString(f.message).contains("No space left on device (ENOSPC)"), f.message.c_str());
    QCOMPARE(folder_names(mnt), std::vector<std::string>{"data.hdf5"});
    QCOMPARE(read_d4rl_hdf5(path).size(), int64_t(10));  // the old file is intact
  }

  void fileSizeLimit() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("data.hdf5").toStdString();
    rlimit saved{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved;
    limited.rlim_cur = 65536;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    const Failure f = failing_write(noisy_dataset(20000), path);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);
    QVERIFY(f.thrown);
    QCOMPARE(f.err, EFBIG);
    QVERIFY2(QString::fromStdString(f.message).contains("File too large (EFBIG)"), f.message.c_str());
    QCOMPARE(folder_names(dir.path().toStdString()), std::vector<std::string>{});
  }

  void readOnlyFolder() {
    QTemporaryDir dir;
    const std::string mnt = dir.filePath("ro").toStdString();
    Tmpfs tmpfs(mnt, "size=65536");
    if (!tmpfs.mounted()) QSKIP("cannot mount a tmpfs here");
    QVERIFY(tmpfs.remount_read_only());
    const Failure f = failing_write(noisy_dataset(10), mnt + "/data.hdf5");
    QVERIFY(f.thrown);
    QCOMPARE(f.err, EROFS);
    QVERIFY2(QString::fromStdString(f.message).contains("Read-only file system (EROFS)"), f.message.c_str());
    QCOMPARE(folder_names(mnt), std::vector<std::string>{});
  }
};

QTEST_GUILESS_MAIN(TestDatasetWriteFailure)
#include "test_dataset_write_failure.moc"
