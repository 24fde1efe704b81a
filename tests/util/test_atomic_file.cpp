// write_file_atomically (core/util/atomic_file): a write that fails for lack of space, under a
// file-size limit or in a read-only folder throws a StorageError naming the file, what was written
// and the system's reason, removes its temporary file and leaves the file it would have replaced
// as it was; a write that succeeds leaves exactly the bytes given and nothing else.
#include <QtTest/QtTest>

#include <sys/mount.h>
#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/atomic_file.h"
#include "core/util/storage_error.h"

using namespace iql;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

std::vector<std::string> folder_names(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Runs write_file_atomically and returns the StorageError it threw (fails the test if none).
struct Failure {
  bool thrown = false;
  int err = 0;
  std::string path, message;
};
Failure failing_write(const std::string& path, const std::string& bytes) {
  Failure f;
  try {
    write_file_atomically(path, bytes, "checkpoint");
  } catch (const StorageError& e) {
    f = {true, e.error_number(), e.path(), e.what()};
  }
  return f;
}

// A tmpfs at dir with the given mount options, unmounted when the test ends.
class Tmpfs {
public:
  Tmpfs(const std::string& dir, const std::string& opts, unsigned long flags = 0) : dir_(dir) {
    fs::create_directories(dir);
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", flags, opts.c_str()) == 0;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool remount(const std::string& opts, unsigned long flags) {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | flags, opts.c_str()) == 0;
  }

private:
  std::string dir_;
  bool mounted_ = false;
};

}  // namespace

class TestAtomicFile : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void writesTheBytesAndNothingElse() {
    QTemporaryDir dir;
    const fs::path p = fs::path(dir.path().toStdString()) / "sub" / "step-100.pt";  // folder created
    const std::string bytes(100000, 'x');
    write_file_atomically(p.string(), bytes, "checkpoint");
    QCOMPARE(read_all(p), bytes);
    write_file_atomically(p.string(), "replaced", "checkpoint");
    QCOMPARE(read_all(p), std::string("replaced"));
    QCOMPARE(folder_names(p.parent_path()), std::vector<std::string>{"step-100.pt"});
  }

  // RLIMIT_FSIZE below the file's size: EFBIG (SIGXFSZ ignored, as a process under ulimit -f must).
  void fileSizeLimit() {
    QTemporaryDir dir;
    const fs::path p = fs::path(dir.path().toStdString()) / "step-200.pt";
    write_file_atomically(p.string(), "old", "checkpoint");
    rlimit saved{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved;
    limited.rlim_cur = 16384;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    const Failure f = failing_write(p.string(), std::string(100000, 'x'));
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);

    QVERIFY(f.thrown);
    QCOMPARE(f.err, EFBIG);
    QCOMPARE(f.path, p.string());
    QVERIFY2(QString::fromStdString(f.message).contains("File too large (EFBIG)"), f.message.c_str());
    QVERIFY2(f.message.rfind(p.string() + ": cannot write the checkpoint (100000 bytes)", 0) == 0, f.message.c_str());
    QCOMPARE(read_all(p), std::string("old"));  // the file it would have replaced is untouched
    QCOMPARE(folder_names(p.parent_path()), std::vector<std::string>{"step-200.pt"});
  }

  // A full filesystem: ENOSPC, the partial temporary file removed so its space is free again.
  void noSpace() {
    QTemporaryDir dir;
    const std::string mnt = dir.filePath("tiny").toStdString();
    Tmpfs tmpfs(mnt, "size=65536");
    if (!tmpfs.mounted()) QSKIP("cannot mount a tmpfs here");
    const fs::path p = fs::path(mnt) / "run-1" / "step-200.pt";
    write_file_atomically(p.string(), std::string(20000, 'a'), "checkpoint");
    const Failure f = failing_write(p.string(), std::string(60000, 'b'));  // 20000 + 60000 > 65536
    QVERIFY(f.thrown);
    QCOMPARE(f.err, ENOSPC);
    QVERIFY2(f.message.rfind(p.string() + ": cannot write the checkpoint", 0) == 0, f.message.c_str());
    QVERIFY2(QString::fromStdString(f.message).contains("No space left on device (ENOSPC)"), f.message.c_str());
    QCOMPARE(read_all(p), std::string(20000, 'a'));
    QCOMPARE(folder_names(p.parent_path()), std::vector<std::string>{"step-200.pt"});
    // The failed write's space is free again: a file that fits beside the old one is written.
    write_file_atomically((p.parent_path() / "step-300.pt").string(), std::string(30000, 'c'), "checkpoint");
  }

  // A read-only folder: EROFS when the temporary file is created, and nothing changes.
  void readOnlyFolder() {
    QTemporaryDir dir;
    const std::string mnt = dir.filePath("ro").toStdString();
    Tmpfs tmpfs(mnt, "size=65536");
    if (!tmpfs.mounted()) QSKIP("cannot mount a tmpfs here");
    const fs::path p = fs::path(mnt) / "step-100.pt";
    write_file_atomically(p.string(), "kept", "checkpoint");
    QVERIFY(tmpfs.remount("size=65536", MS_RDONLY));
    const Failure f = failing_write(p.string(), "new");
    QVERIFY(f.thrown);
    QCOMPARE(f.err, EROFS);
    QVERIFY2(f.message.rfind(p.string() + ": cannot create a temporary file for the checkpoint", 0) == 0,
             f.message.c_str());
    QVERIFY2(QString::fromStdString(f.message).contains("Read-only file system (EROFS)"), f.message.c_str());
    QCOMPARE(read_all(p), std::string("kept"));
    QCOMPARE(folder_names(mnt), std::vector<std::string>{"step-100.pt"});
  }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"
