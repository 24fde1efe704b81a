// A GUI training session whose checkpoint folder, or whose store, is on a full disk (issue 23): the
// worker's error reaches the GUI as `failed` with the file's path and the reason, the session ends in
// the Failed state with the run stored as 'failed' and no temporary file, and the process trains on.
// The full disks are small tmpfs mounts (the tests run as root; they skip where mounting is refused).
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <sys/mount.h>

#include <filesystem>

#include "core/config/train_config.h"
#include "core/store/run_store.h"
#include "ui/session/training_session.h"

using iqlui::TrainingSession;
namespace fs = std::filesystem;

class TestTrainingWriteFailure : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

  static iql::TrainConfig config() {
    iql::TrainConfig c;
    c.dataset = "pendulum-medium";
    c.hidden = 32;
    c.batch_size = 64;
    c.steps = 300;
    c.eval_interval = 100;
    c.eval_episodes = 2;
    c.probe_interval = 0;
    c.checkpoint_interval = 100;
    c.threads = 1;
    return c;
  }

private Q_SLOTS:
  void initTestCase() { qputenv("XDG_DATA_HOME", home_.filePath("xdg").toUtf8()); }

  void fullCheckpointFolderIsReported() {
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.db");
    const std::string ckdir = dir.filePath("runs-checkpoints").toStdString();  // the store's folder
    fs::create_directories(ckdir);
    if (::mount("tmpfs", ckdir.c_str(), "tmpfs", 0, "size=4096") != 0) QSKIP("cannot mount a tmpfs here");
    struct Unmount {
      std::string dir;
      ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
    } unmount{ckdir};

    TrainingSession s;
    QSignalSpy failed(&s, &TrainingSession::failed);
    QSignalSpy finished(&s, &TrainingSession::finished);
    s.start(config(), db);
    QVERIFY(failed.wait(120000));
    const QString message = failed.at(0).at(0).toString();
    const QString ckpt = QString::fromStdString((fs::path(ckdir) / "run-1" / "step-100.pt").string());
    QVERIFY2(message.contains(ckpt + ": cannot write the checkpoint"), qPrintable(message));
    QVERIFY2(message.contains("No space left on device (ENOSPC)"), qPrintable(message));
    QCOMPARE(finished.count(), 0);
    QCOMPARE(s.state(), TrainingSession::State::Failed);

    iql::RunStore store(db.toStdString(), iql::RunStore::Mode::read_only);
    QCOMPARE(store.get_run(1)->status, std::string("failed"));
    for (auto& e : fs::recursive_directory_iterator(ckdir))
      QVERIFY2(e.path().filename().string().find(".tmp") == std::string::npos, e.path().c_str());

    // The process is still up: a new session (a session runs once) trains into another store.
    iql::TrainConfig c = config();
    c.checkpoint_interval = 0;
    c.steps = 100;
    TrainingSession next;
    QSignalSpy finished2(&next, &TrainingSession::finished);
    next.start(c, dir.filePath("other.db"));
    QVERIFY(finished2.wait(120000));
    QCOMPARE(next.state(), TrainingSession::State::Finished);
  }

  // The store itself on a full disk: SQLite's failed commit reaches the GUI as `failed` naming the
  // database and the reason, the run is marked failed (or the message says it could not be), and the
  // window's process lives on. The store stays consistent: it passes SQLite's integrity check, and its
  // step count covers the metrics committed before the disk filled.
  void fullStoreIsReported() {
    QTemporaryDir dir;
    const std::string mnt = dir.filePath("disk").toStdString();
    fs::create_directories(mnt);
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=2m") != 0) QSKIP("cannot mount a tmpfs here");
    struct Unmount {
      std::string dir;
      ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
    } unmount{mnt};
    const QString db = QString::fromStdString(mnt + "/runs.db");

    iql::TrainConfig c = config();
    c.checkpoint_interval = 0;
    c.eval_interval = 100000;
    c.log_interval = 1;
    c.steps = 100000;  // far more metrics than 2 MiB holds
    TrainingSession s;
    QSignalSpy failed(&s, &TrainingSession::failed);
    QSignalSpy finished(&s, &TrainingSession::finished);
    s.start(c, db);
    QVERIFY(failed.wait(240000));
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(db), qPrintable(message));
    QVERIFY2(message.contains("disk is full"), qPrintable(message));
    QCOMPARE(finished.count(), 0);
    QCOMPARE(s.state(), TrainingSession::State::Failed);

    iql::RunStore store(db.toStdString(), iql::RunStore::Mode::read_only);
    QCOMPARE(store.integrity_check(), std::string("ok"));
    const auto run = store.get_run(1);
    QVERIFY(run.has_value());
    // The failed commit's frames are rolled back, which usually leaves room in the WAL for the small
    // status change; where it does not, the message must say the run could not be marked.
    if (run->status == "running")  // its writer, this process, is alive
      QVERIFY2(message.contains("could not be marked failed either"), qPrintable(message));
    else
      QCOMPARE(run->status, std::string("failed"));
    // What was committed is whole: the stored step count covers every stored metric.
    for (const auto& [step, value] : store.metric_series(1, "v_loss")) QVERIFY(step <= run->steps);
  }
};

QTEST_MAIN(TestTrainingWriteFailure)
#include "test_training_write_failure.moc"
