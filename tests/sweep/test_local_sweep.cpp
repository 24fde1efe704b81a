// A sweep run by the local executor (real `iql sweep` processes): plan from flags, jobs x threads kept
// within the cores, results equal to the same runs trained directly, a failed task reported with its
// message and log tail, `retry --failed` finishing it, and collect into a main store.
#include <QtTest/QtTest>

#include <QJsonDocument>
#include <QJsonObject>

#include "core/sweep/shard_merge.h"
#include "core/sweep/sweep_executor.h"
#include "core/sweep/sweep_folder.h"
#include "core/sweep/sweep_status.h"
#include "core/util/errors.h"
#include "sweep_test_support.h"

using namespace iql;
using namespace sweeptest;

class TestLocalSweep : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    qputenv("XDG_DATA_HOME", tmp_.filePath("xdg").toUtf8());  // built-in datasets go here
  }

  void planFromTrainFlags() {
    auto r = run_iql({"sweep", "plan", "--dataset", "pendulum-medium", "--steps", "300", "--tau", "0.5,0.7", "--beta",
                      "1,3", "--seed", "0,1", "--members-per-task", "4"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("8 runs in 2 tasks"), qPrintable(r.out));
    QVERIFY(r.out.contains("tau=0.7 beta=3 seed=1"));
    r = run_iql({"sweep", "plan", "--tau", "0.5,1.5"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("expectile"), qPrintable(r.err));
  }

  void concurrencyNeverOversubscribes() {
    QCOMPARE(local_concurrency(8, 1, 2), 2);
    QCOMPARE(local_concurrency(8, 2, 2), 1);
    QCOMPARE(local_concurrency(0, 2, 16), 8);
    QCOMPARE(local_concurrency(3, 2, 16), 3);
    QVERIFY_THROWS_EXCEPTION(ConfigError, local_concurrency(1, 4, 2));
  }

  // Two auto-threads tasks at once each own one CPU, so each records and trains with one thread,
  // whatever the machine (before, each took every CPU: two oversubscribed two cores, and a task's
  // thread count, hence its numbers, followed the machine it ran on).
  void autoThreadsTasksOwnTheirCpus() {
    if (usable_cores() < 2) QSKIP("needs two CPUs");
    const QString spec = tmp_.filePath("auto.json");
    write_text(spec, QString(R"({"name":"auto",%1,"datasets":["pendulum-medium"],"grid":{"expectile":[0.6,0.8]}})")
                         .arg(small_base(100, R"(,"seed":0)").replace(R"("threads":1)", R"("threads":0)")));
    const QString dir = tmp_.filePath("auto-sweep");
    auto r = run_iql({"sweep", "run", spec, "--dir", dir, "--executor", "local", "--jobs", "2"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString db = tmp_.filePath("auto.db");
    QCOMPARE(run_iql({"sweep", "collect", dir, "--db", db}).code, 0);
    RunStore store(db.toStdString());
    int checked = 0;
    for (const auto& run : store.list_runs())
      for (const auto& e : store.events(run.id))
        if (e.kind == "runtime") {
          const auto j = QJsonDocument::fromJson(QByteArray::fromStdString(e.payload_json)).object();
          QCOMPARE(j["threads"].toInt(), 1);
          ++checked;
        }
    QCOMPARE(checked, 2);
  }

  void runFailRetryCollect() {
    const QString missing = tmp_.filePath("later.hdf5");
    const QString spec = tmp_.filePath("spec.json");
    write_text(spec, QString(R"({"name":"local",%1,"datasets":["pendulum-medium",{"dataset":"%2","env":"pendulum"}],)"
                             R"("grid":{"expectile":[0.6,0.8]}})")
                         .arg(small_base(200), missing));
    const QString dir = tmp_.filePath("sweep");
    auto r = run_iql({"sweep", "run", spec, "--dir", dir, "--executor", "local", "--jobs", "8"});
    // the two tasks on the missing file fail, the others finish; the exit status says so
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("running 2 tasks at once, not 8"), qPrintable(r.err));
    SweepFolder folder(dir.toStdString());
    auto st = sweep_status(folder, false);
    QCOMPARE(st.count("finished"), 2);
    QCOMPARE(st.count("failed"), 2);
    const auto& failed = st.tasks[2];
    QCOMPARE(QString::fromStdString(failed.state), QString("failed"));
    QVERIFY2(QString::fromStdString(failed.message).contains("later.hdf5"), failed.message.c_str());
    QVERIFY(QString::fromStdString(failed.log_tail).contains("later.hdf5"));
    auto s = run_iql({"sweep", "status", dir});
    QCOMPARE(s.code, 0);
    QVERIFY(s.out.contains("later.hdf5") && s.out.contains("log tail"));

    // fix it, retry only what failed
    QVERIFY(QFile::copy(QString(IQL_FIXTURE_DIR) + "/pendulum-v1-expert-imitation.hdf5", missing));
    r = run_iql({"sweep", "retry", dir, "--failed"});
    QCOMPARE(r.code, 0);
    st = sweep_status(folder, false);
    QCOMPARE(st.count("finished"), 4);
    QCOMPARE(st.tasks[0].attempts, 1);  // finished tasks were not run again
    QCOMPARE(st.tasks[2].attempts, 2);
    QVERIFY(run_iql({"sweep", "retry", dir}).out.contains("nothing to run"));

    // collect, twice; the collected runs equal the same configs trained directly
    const QString db = tmp_.filePath("main.db");
    r = run_iql({"sweep", "collect", dir, "--db", db});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("4 new runs"), qPrintable(r.out));
    r = run_iql({"sweep", "collect", dir, "--db", db});
    QVERIFY2(r.out.contains("0 new runs, 0 updated, 0 rows"), qPrintable(r.out));
    const auto plan = folder.plan();
    const auto ids = collected_runs(db.toStdString(), plan.sweep_id);
    QCOMPARE(ids.size(), size_t(4));
    RunStore main(db.toStdString());
    for (size_t k = 0; k < ids.size(); ++k) {
      const auto& member = plan.tasks[k].members[0];
      const auto ref = reference_run(member.config, tmp_.filePath("ref.db").toStdString());
      QString why;
      QVERIFY2(same_as_reference(main, ids[k], ref, &why), qPrintable(why));
      QVERIFY(QString::fromStdString(main.latest_checkpoint(ids[k])->path).startsWith(dir));
    }
  }
};

QTEST_GUILESS_MAIN(TestLocalSweep)
#include "test_local_sweep.moc"
