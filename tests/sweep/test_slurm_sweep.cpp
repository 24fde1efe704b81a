// Sweeps on a real single-node Slurm cluster (packaging/slurm-local.sh, started here): a tau x beta x
// seed grid as a job array whose collected runs equal the same runs trained locally; a task requeued
// mid-run (scontrol requeue, then Slurm's USR1 warning) that ends with the uninterrupted metrics; a
// missing dataset reported by status and finished by retry --failed. Skipped only when this is not
// root or Slurm is not installed.
#include <QtTest/QtTest>

#include <unistd.h>

#include "core/sweep/shard_merge.h"
#include "core/sweep/sweep_folder.h"
#include "core/sweep/sweep_status.h"
#include "sweep_test_support.h"

using namespace iql;
using namespace sweeptest;

namespace {
const QString kSlurmLocal = QString(IQL_FIXTURE_DIR) + "/../../packaging/slurm-local.sh";

SweepStatus status_of(const QString& dir) { return sweep_status(SweepFolder(dir.toStdString()), true); }

// Polls a condition (each poll runs squeue) twice a second, processing events in between, like QTRY_*
// but gentler on slurmctld.
template <class F>
bool eventually(F condition, int timeout_ms) {
  QElapsedTimer t;
  t.start();
  while (!condition()) {
    if (t.elapsed() > timeout_ms) return false;
    QTest::qWait(500);
  }
  return true;
}
}  // namespace

class TestSlurmSweep : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  bool startedCluster_ = false;

  // Slurm holds a requeued job back (BeginTime, about two minutes here); a test need not wait for that.
  // Waits for `done` while task 0 goes through a requeue. Slurm holds a requeued job back (a begin
  // time about two minutes ahead); every poll that finds it pending asks Slurm to start it now, since
  // on a loaded machine a single early request can land before Slurm sets its own begin time.
  template <typename F>
  bool after_requeue(const QString& dir, F done, int timeout_ms) {
    return eventually([&] {
      if (status_of(dir).tasks[0].slurm_state == "PENDING")
        run_cmd("scontrol", {"update", "jobid=" + job_of(dir, 0), "starttime=now"});
      return done();
    }, timeout_ms);
  }

  // A job id of a task, as scontrol takes it ("123_4").
  QString job_of(const QString& dir, int task) {
    auto rec = SweepFolder(dir.toStdString()).read_record(task);
    return rec ? QString::fromStdString(rec->slurm_job) : QString();
  }

private Q_SLOTS:
  void initTestCase() {
    if (geteuid() != 0) QSKIP("the Slurm tests start a single-node cluster, which needs root");
    if (QStandardPaths::findExecutable("slurmctld").isEmpty() || QStandardPaths::findExecutable("munged").isEmpty())
      QSKIP("Slurm is not installed (packaging/install-deps.sh installs slurm-wlm and munge)");
    startedCluster_ = run_cmd("bash", {kSlurmLocal, "status"}).code != 0;
    auto up = run_cmd("bash", {kSlurmLocal, "start"});
    QVERIFY2(up.code == 0, qPrintable(up.out + up.err));
    QVERIFY(tmp_.isValid());
    qputenv("XDG_DATA_HOME", tmp_.filePath("xdg").toUtf8());  // sbatch passes the environment on
  }

  void gridAsJobArrayEqualsLocalRuns() {
    const QString spec = tmp_.filePath("grid.json"), dir = tmp_.filePath("grid"), db = tmp_.filePath("main.db");
    write_text(spec, QString(R"({"name":"grid",%1,"grid":{"expectile":[0.6,0.8],"temperature":[1,3]},"seeds":[0,1]})")
                         .arg(small_base(300)));
    auto r = run_iql({"sweep", "run", spec, "--dir", dir, "--executor", "slurm", "--max-concurrent", "2"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains("submitted 8 tasks as Slurm array job"));
    SweepFolder folder(dir.toStdString());
    const auto plan = folder.plan();
    QCOMPARE(plan.tasks.size(), size_t(8));

    // the reference runs, trained here while the cluster works
    std::vector<Reference> refs;
    for (const auto& t : plan.tasks) refs.push_back(reference_run(t.members[0].config, tmp_.filePath("ref.db").toStdString()));

    // collect while tasks still run: it only adds what is there
    int collects = 0;
    QVERIFY2(eventually([&] { return (++collects, collect_sweep(folder, db.toStdString()).errors.empty() &&
                                              status_of(dir).count("finished") == 8); }, 480000), "timed out waiting for: (++collects, collect_sweep(folder, db.toStdString()).errors.empty() && status_of(dir).count(\"finished\") == 8)");
    auto st = status_of(dir);
    QCOMPARE(st.count("finished"), 8);
    const auto info = folder.info();
    QCOMPARE(info.submissions.size(), size_t(1));
    double overhead = 0;
    for (const auto& t : st.tasks) {
      QCOMPARE(t.attempts, 1);
      QVERIFY(!t.slurm_job.empty());
      overhead += t.first_step - info.submissions[0].submitted;
    }
    qInfo("submission -> first step, mean over 8 tasks (2 at a time on 2 cores): %.2f s; first task: %.2f s",
          overhead / 8, st.tasks[0].first_step - info.submissions[0].submitted);

    const auto last = collect_sweep(folder, db.toStdString());
    const auto again = collect_sweep(folder, db.toStdString());
    QCOMPARE(again.rows_copied, int64_t(0));
    QCOMPARE(again.runs_added, 0);
    const auto ids = collected_runs(db.toStdString(), plan.sweep_id);
    QCOMPARE(ids.size(), size_t(8));
    RunStore main(db.toStdString());
    QCOMPARE(main.list_runs().size(), size_t(8));
    for (size_t k = 0; k < ids.size(); ++k) {
      QString why;
      QVERIFY2(same_as_reference(main, ids[k], refs[k], &why), qPrintable(why));
      QCOMPARE(QString::fromStdString(main.get_run(ids[k])->status), QString("finished"));
    }
    qInfo("collected %d times while running; final collect %.3f s", collects, last.seconds);
  }

  void requeuedTaskEndsWithUninterruptedMetrics() {
    const QString spec = tmp_.filePath("requeue.json"), dir = tmp_.filePath("requeue");
    write_text(spec, QString(R"({"name":"requeue",%1,"grid":{"expectile":[0.7]}})").arg(small_base(30000, R"(,"log_interval":100)")));
    auto r = run_iql({"sweep", "run", spec, "--dir", dir, "--executor", "slurm"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    auto steps = [&] { return status_of(dir).tasks[0].members[0].steps_done; };
    auto state = [&] { return status_of(dir).tasks[0].state; };
    const auto cfg = SweepFolder(dir.toStdString()).plan().tasks[0].members[0].config;

    // 1. scontrol requeue while it trains: SIGTERM, it checkpoints where it is, Slurm starts it again
    QVERIFY2(eventually([&] { return steps() >= 300; }, 300000), "timed out waiting for: steps() >= 300");
    QVERIFY2(steps() < 25000, "the run finished before it could be requeued; raise its steps");
    auto q = run_cmd("scontrol", {"requeue", job_of(dir, 0)});
    QVERIFY2(q.code == 0, qPrintable(q.out + q.err));
    QVERIFY2(after_requeue(dir, [&] { return status_of(dir).tasks[0].attempts == 2 && state() == "running"; }, 180000),
             "timed out waiting for: status_of(dir).tasks[0].attempts == 2 && state() == \"running\"");

    // 2. Slurm's warning signal (what --signal=B:USR1@N delivers before the time limit): the task
    //    checkpoints and requeues itself
    const int64_t before = steps();
    QVERIFY2(eventually([&] { return steps() > before; }, 180000), "timed out waiting for: steps() > before");
    QVERIFY2(steps() < 29000, "the run finished before the warning signal; raise its steps");
    q = run_cmd("scancel", {"--batch", "--signal=USR1", job_of(dir, 0)});
    QVERIFY2(q.code == 0, qPrintable(q.out + q.err));
    QVERIFY2(after_requeue(dir, [&] { return state() == "finished"; }, 240000), "timed out waiting for: state() == \"finished\"");
    const auto st = status_of(dir).tasks[0];
    QCOMPARE(st.attempts, 3);

    // the shard's run resumed twice from its checkpoints and ends where an uninterrupted run ends
    RunStore shard(SweepFolder(dir.toStdString()).shard_path(0));
    QCOMPARE(shard.list_runs().size(), size_t(1));
    int resumes = 0;
    for (const auto& e : shard.events(1)) resumes += e.kind == "resume_from_checkpoint";
    QCOMPARE(resumes, 2);
    const auto ref = reference_run(cfg, tmp_.filePath("ref-requeue.db").toStdString());
    QString why;
    QVERIFY2(same_as_reference(shard, 1, ref, &why), qPrintable(why));
    const QString log = QString::fromStdString(SweepFolder(dir.toStdString()).log_tail(0, 200));
    QVERIFY2(log.contains("requeueing job"), qPrintable(log));
  }

  void cleanupTestCase() {
    if (startedCluster_) run_cmd("bash", {kSlurmLocal, "stop"});  // leave the machine as we found it
  }

  void missingDatasetFailsThenRetryFailedFinishes() {
    const QString spec = tmp_.filePath("fail.json"), dir = tmp_.filePath("fail"), missing = tmp_.filePath("later.hdf5");
    write_text(spec, QString(R"({"name":"fail",%1,"datasets":["pendulum-medium",{"dataset":"%2","env":"pendulum"}]})")
                         .arg(small_base(200), missing));
    auto r = run_iql({"sweep", "run", spec, "--dir", dir, "--executor", "slurm"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY2(eventually([&] { return status_of(dir).count("finished") == 1 && status_of(dir).count("failed") == 1; }, 300000), "timed out waiting for: status_of(dir).count(\"finished\") == 1 && status_of(dir).count(\"failed\") == 1");
    auto s = run_iql({"sweep", "status", dir});
    QVERIFY2(s.out.contains("later.hdf5") && s.out.contains("log tail"), qPrintable(s.out));
    auto j = run_iql({"sweep", "status", dir, "--json"});
    const auto doc = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QCOMPARE(doc["counts"].toObject()["failed"].toInt(), 1);
    QVERIFY(doc["tasks"].toArray()[1].toObject()["message"].toString().contains("later.hdf5"));

    QVERIFY(QFile::copy(QString(IQL_FIXTURE_DIR) + "/pendulum-v1-expert-imitation.hdf5", missing));
    r = run_iql({"sweep", "retry", dir, "--failed"});
    QVERIFY2(r.code == 0 && r.out.contains("submitted 1 tasks"), qPrintable(r.out + r.err));
    QVERIFY2(eventually([&] { return status_of(dir).count("finished") == 2; }, 300000), "timed out waiting for: status_of(dir).count(\"finished\") == 2");
    const auto st = status_of(dir);
    QCOMPARE(st.tasks[0].attempts, 1);
    QCOMPARE(st.tasks[1].attempts, 2);
    QCOMPARE(SweepFolder(dir.toStdString()).info().submissions.size(), size_t(2));
  }
};

QTEST_GUILESS_MAIN(TestSlurmSweep)
#include "test_slurm_sweep.moc"
