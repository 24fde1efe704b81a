// A checkpoint write that fails (issue 23: a full disk aborted `iql train` from a torch writer's
// destructor) throws a StorageError naming the checkpoint and the reason, marks the run 'failed',
// leaves no temporary file, keeps the earlier checkpoint intact, and the run resumes from that
// checkpoint to the numbers an uninterrupted run stores. The full disk is a small tmpfs sized from
// the checkpoint an identical run writes: the first checkpoint fits, the second does not.
#include <QtTest/QtTest>

#include <sys/mount.h>

#include <cerrno>
#include <filesystem>
#include <map>

#include "core/store/run_store.h"
#include "core/store/sha256.h"
#include "core/train/stored_run/stored_run.h"
#include "core/util/storage_error.h"

using namespace iql;
namespace fs = std::filesystem;

namespace {

TrainConfig config() {
  TrainConfig c;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 32;
  c.batch_size = 64;
  c.steps = 300;
  c.log_interval = 25;
  c.eval_interval = 100;
  c.eval_episodes = 2;
  c.probe_interval = 0;
  c.checkpoint_interval = 100;
  c.threads = 1;  // one thread: the resumed numbers equal the uninterrupted ones bit for bit
  c.seed = 5;
  return c;
}

// A tmpfs of `bytes` at `dir`, unmounted when the test ends (also when it fails).
class Tmpfs {
public:
  Tmpfs(const std::string& dir, int64_t bytes) : dir_(dir) {
    fs::create_directories(dir);
    const std::string opts = "size=" + std::to_string(bytes);
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) == 0;
    error_ = mounted_ ? 0 : errno;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  int error() const { return error_; }
  bool resize(int64_t bytes) {
    const std::string opts = "size=" + std::to_string(bytes);
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, opts.c_str()) == 0;
  }

private:
  std::string dir_;
  bool mounted_ = false;
  int error_ = 0;
};

std::vector<std::string> temp_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp") != std::string::npos) out.push_back(e.path().string());
  return out;
}

std::map<int64_t, double> evaluations(RunStore& s, int64_t run) {
  std::map<int64_t, double> out;
  for (auto& e : s.evaluations(run)) out[e.step] = e.return_mean;
  return out;
}

std::map<std::pair<int64_t, std::string>, double> metrics(RunStore& s, int64_t run) {
  std::map<std::pair<int64_t, std::string>, double> out;
  for (auto& m : s.metrics(run)) out[{m.step, m.key}] = m.value;
  return out;
}

}  // namespace

class TestCheckpointWriteFailure : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void initTestCase() { qputenv("XDG_DATA_HOME", home_.filePath("xdg").toUtf8()); }

  void fullDiskFailsTheRunAndResumeContinues() {
    QTemporaryDir dir;
    // The uninterrupted run: its numbers, and the size of one checkpoint.
    StoredRunRequest full;
    full.members = {config()};
    full.db_path = dir.filePath("full.db").toStdString();
    full.checkpoint_dir = dir.filePath("full-checkpoints").toStdString();
    RunControl c1;
    const StoredRunOutcome a = run_stored(full, c1, {});
    QCOMPARE(a.status, std::string("finished"));
    const int64_t size = int64_t(fs::file_size(fs::path(full.checkpoint_dir) / "run-1" / "step-100.pt"));
    QVERIFY(size > 4096);

    // Room for one checkpoint and a half (tmpfs counts whole pages).
    const int64_t pages = (size + 4095) / 4096;
    const std::string ckdir = dir.filePath("tiny").toStdString();
    Tmpfs tmpfs(ckdir, (pages + pages / 2) * 4096);
    if (!tmpfs.mounted()) QSKIP(qPrintable(QString("cannot mount a tmpfs: %1").arg(std::strerror(tmpfs.error()))));

    StoredRunRequest part = full;
    part.db_path = dir.filePath("part.db").toStdString();
    part.checkpoint_dir = ckdir;
    RunControl c2;
    const std::string failed_ckpt = (fs::path(ckdir) / "run-1" / "step-200.pt").string();
    bool threw = false;
    try {
      run_stored(part, c2, {});
    } catch (const StorageError& e) {
      threw = true;
      const QString msg = QString::fromStdString(e.what());
      QCOMPARE(e.path(), failed_ckpt);
      QCOMPARE(e.error_number(), ENOSPC);
      QVERIFY2(msg.contains(QString::fromStdString(failed_ckpt)), qPrintable(msg));
      QVERIFY2(msg.contains("checkpoint") && msg.contains("No space left on device"), qPrintable(msg));
    }
    QVERIFY(threw);

    int64_t id = 0;
    {
      RunStore s(part.db_path, RunStore::Mode::read_only);
      const auto runs = s.list_runs();
      QCOMPARE(runs.size(), size_t(1));
      id = runs[0].id;
      QCOMPARE(runs[0].status, std::string("failed"));
      const auto ck = s.checkpoints(id);
      QCOMPARE(ck.size(), size_t(1));
      QCOMPARE(ck[0].step, int64_t(100));
      QCOMPARE(Sha256::hex_file(ck[0].path), ck[0].sha256);  // the earlier checkpoint is intact
      QCOMPARE(int64_t(fs::file_size(ck[0].path)), size);
    }
    QCOMPARE(temp_files(ckdir), std::vector<std::string>{});
    QVERIFY(!fs::exists(failed_ckpt));

    // Space freed: the failed run resumes from its last good checkpoint and ends where the
    // uninterrupted run ended, with the same evaluations and metrics.
    QVERIFY(tmpfs.resize(16 * pages * 4096));
    StoredRunRequest resume;
    resume.db_path = part.db_path;
    resume.checkpoint_dir = ckdir;
    resume.resume_run_id = id;
    RunControl c3;
    const StoredRunOutcome r = run_stored(resume, c3, {});
    QCOMPARE(r.status, std::string("finished"));
    QCOMPARE(r.steps, int64_t(300));

    RunStore s1(full.db_path, RunStore::Mode::read_only), s2(part.db_path, RunStore::Mode::read_only);
    QCOMPARE(s2.get_run(id)->status, std::string("finished"));
    const auto e1 = evaluations(s1, a.members[0].run_id), e2 = evaluations(s2, id);
    QCOMPARE(e1.size(), size_t(3));  // 100, 200, 300
    QCOMPARE(e2.size(), e1.size());
    for (auto& [step, ret] : e1) {
      QVERIFY2(e2.count(step), qPrintable(QString("no evaluation at %1").arg(step)));
      QCOMPARE(e2.at(step), ret);
    }
    const auto m1 = metrics(s1, a.members[0].run_id), m2 = metrics(s2, id);
    QCOMPARE(m2.size(), m1.size());
    for (auto& [key, v] : m1) {
      QVERIFY(m2.count(key));
      QCOMPARE(m2.at(key), v);
    }
    const auto ck = s2.checkpoints(id);
    QCOMPARE(ck.size(), size_t(3));
    for (auto& c : ck) QCOMPARE(Sha256::hex_file(c.path), c.sha256);
    QCOMPARE(temp_files(ckdir), std::vector<std::string>{});
  }
};

QTEST_GUILESS_MAIN(TestCheckpointWriteFailure)
#include "test_checkpoint_write_failure.moc"
