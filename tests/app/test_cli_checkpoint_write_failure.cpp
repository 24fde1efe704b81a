// `iql train` whose checkpoint folder fills up (issue 23: it aborted with exit 134 from a torch
// writer's destructor) exits 2 with an error naming the checkpoint and the reason, leaves the run
// 'failed' with its earlier checkpoint and no temporary file, and `iql train --resume` continues it
// to the end once there is space. The full disk is a tmpfs over the store's checkpoint folder, sized
// from the checkpoint an identical run writes: the first checkpoint fits, the second does not.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/mount.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace {
struct Result {
  QProcess::ExitStatus status;
  int code;
  QString out, err;
};

Result run_iql(const QStringList& args, const QString& home) {
  QProcess p;
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("XDG_DATA_HOME", home);  // built-in datasets go here
  p.setProcessEnvironment(env);
  p.start(IQL_CLI_PATH, args);
  if (!p.waitForFinished(300000)) return {QProcess::CrashExit, -1, {}, "timeout"};
  return {p.exitStatus(), p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

QStringList train_args(const QString& db) {
  return {"train", "--dataset", "pendulum-medium", "--steps", "300", "--hidden", "32", "--batch", "64",
          "--checkpoint-interval", "100", "--eval-interval", "100", "--eval-episodes", "2", "--threads", "1",
          "--db", db, "--json"};
}

QJsonObject only_run(const QString& db, const QString& home) {
  auto list = run_iql({"runs", "list", "--db", db, "--json"}, home);
  const auto runs = QJsonDocument::fromJson(list.out.toUtf8()).array();
  return runs.size() == 1 ? runs[0].toObject() : QJsonObject{};
}

std::vector<std::string> temp_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp") != std::string::npos) out.push_back(e.path().string());
  return out;
}
}  // namespace

class TestCliCheckpointWriteFailure : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void fullCheckpointFolderFailsCleanlyAndResumes() {
    // An identical run on ordinary disk: the size of one checkpoint.
    const QString ref_db = home_.filePath("ref.db");
    auto ref = run_iql(train_args(ref_db), home_.path());
    QVERIFY2(ref.code == 0, qPrintable(ref.err));
    const int64_t size = int64_t(fs::file_size(home_.filePath("ref-checkpoints/run-1/step-100.pt").toStdString()));
    const int64_t pages = (size + 4095) / 4096;

    const QString db = home_.filePath("runs.db");
    const std::string ckdir = home_.filePath("runs-checkpoints").toStdString();  // the store's folder
    fs::create_directories(ckdir);
    const std::string opts = "size=" + std::to_string((pages + pages / 2) * 4096);
    if (::mount("tmpfs", ckdir.c_str(), "tmpfs", 0, opts.c_str()) != 0) QSKIP("cannot mount a tmpfs here");
    struct Unmount {
      std::string dir;
      ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
    } unmount{ckdir};

    auto r = run_iql(train_args(db), home_.path());
    QCOMPARE(r.status, QProcess::NormalExit);  // not killed by SIGABRT
    QVERIFY2(r.code == 2, qPrintable(QString("exit %1: %2").arg(r.code).arg(r.err)));
    const QString failed = QString::fromStdString((fs::path(ckdir) / "run-1" / "step-200.pt").string());
    QVERIFY2(r.err.contains("error: " + failed + ": cannot write the checkpoint"), qPrintable(r.err));
    QVERIFY2(r.err.contains("No space left on device (ENOSPC)"), qPrintable(r.err));
    QVERIFY2(!r.err.contains("terminate called"), qPrintable(r.err));

    const QJsonObject run = only_run(db, home_.path());
    QCOMPARE(run["status"].toString(), QString("failed"));
    QCOMPARE(temp_files(ckdir), std::vector<std::string>{});
    QVERIFY(fs::exists(fs::path(ckdir) / "run-1" / "step-100.pt"));
    QVERIFY(!fs::exists(failed.toStdString()));

    // Space freed: the run resumes from step 100 and finishes.
    QVERIFY(::mount("tmpfs", ckdir.c_str(), "tmpfs", MS_REMOUNT, ("size=" + std::to_string(16 * pages * 4096)).c_str()) == 0);
    const QString id = QString::number(run["id"].toInteger());
    auto resumed = run_iql({"train", "--resume", id, "--db", db, "--json"}, home_.path());
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    const QJsonObject out = QJsonDocument::fromJson(resumed.out.toUtf8()).object();
    QCOMPARE(out["status"].toString(), QString("finished"));
    QCOMPARE(out["steps"].toInteger(), 300);
    QCOMPARE(only_run(db, home_.path())["status"].toString(), QString("finished"));
    QCOMPARE(temp_files(ckdir), std::vector<std::string>{});
  }
};

QTEST_GUILESS_MAIN(TestCliCheckpointWriteFailure)
#include "test_cli_checkpoint_write_failure.moc"
