// iql sweep collect on real SQLite shards: idempotent (a second collect copies nothing), incremental
// while a task still writes (it sees committed rows only, never blocks or modifies the shard), copies
// a run again when the shard resumed or restarted it since, and it keeps run links (sweep id,
// population id, parent run), checkpoints and events.
#include <QtTest/QtTest>

#include <sqlite3.h>

#include "core/store/run_store.h"
#include "core/sweep/shard_merge.h"
#include "core/sweep/sweep_folder.h"
#include "core/sweep/synthetic_sweep.h"

using namespace iql;

namespace {
int64_t count(const std::string& db, const std::string& sql) {
  sqlite3* c = nullptr;
  sqlite3_open_v2(db.c_str(), &c, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(c, sql.c_str(), -1, &s, nullptr);
  int64_t n = -1;
  if (s && sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(c);
  return n;
}

QByteArray file_hash(const std::string& path) {
  QFile f(QString::fromStdString(path));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}
}  // namespace

class TestShardMerge : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

private Q_SLOTS:
  void collectTwiceChangesNothing() {
    const std::string dir = tmp_.filePath("synthetic").toStdString(), db = tmp_.filePath("main.db").toStdString();
    SyntheticSweepOptions o;
    o.shards = 6;
    o.steps = 1000;
    o.eval_interval = 500;
    const int64_t metric_rows = make_synthetic_sweep(dir, o);
    QCOMPARE(metric_rows, int64_t(6 * 10 * 9));
    SweepFolder folder(dir);
    const QByteArray before = file_hash(folder.shard_path(2));
    auto first = collect_sweep(folder, db);
    QCOMPARE(first.shards, 6);
    QCOMPARE(first.runs_added, 6);
    QVERIFY(first.errors.empty());
    // per run: 90 metrics + 2 evaluations + 4 x 1 histograms + 1 checkpoint + 1 event
    QCOMPARE(first.rows_copied, int64_t(6 * (90 + 2 + 4 + 1 + 1)));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM metrics"), metric_rows);
    auto second = collect_sweep(folder, db);
    QCOMPARE(second.runs_added, 0);
    QCOMPARE(second.runs_updated, 0);
    QCOMPARE(second.rows_copied, int64_t(0));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM runs"), int64_t(6));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM evaluations"), int64_t(12));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM events"), int64_t(6));
    // collect only reads: the shard file is byte for byte what it was, and a closed shard gets no
    // -wal/-shm files beside it (it is opened immutable)
    QCOMPARE(file_hash(folder.shard_path(2)), before);
    QVERIFY(!QFile::exists(QString::fromStdString(folder.shard_path(2) + "-wal")));
    QVERIFY(!QFile::exists(QString::fromStdString(folder.shard_path(2) + "-shm")));
    // links: every run knows its sweep, task (population) and member; the values came across exactly
    const auto plan = folder.plan();
    const auto ids = collected_runs(db, plan.sweep_id);
    QCOMPARE(ids.size(), size_t(6));
    QCOMPARE(count(db, "SELECT COUNT(DISTINCT population_id) FROM sweep_links"), int64_t(6));
    RunStore main(db);
    RunStore shard(folder.shard_path(4));
    const auto a = main.metric_series(ids[4], "q_loss"), b = shard.metric_series(1, "q_loss");
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) QCOMPARE(a[i], b[i]);
    QCOMPARE(QString::fromStdString(main.latest_checkpoint(ids[4])->path),
             QString::fromStdString(shard.latest_checkpoint(1)->path));
    QVERIFY(main.get_run(ids[4])->tags.size() == 2);
    QCOMPARE(QString::fromStdString(main.get_run(ids[4])->status), QString("finished"));
  }

  void collectWhileATaskWrites() {
    const std::string dir = tmp_.filePath("live").toStdString(), db = tmp_.filePath("live-main.db").toStdString();
    SyntheticSweepOptions o;
    o.shards = 2;
    o.steps = 500;
    make_synthetic_sweep(dir, o);
    SweepFolder folder(dir);
    // task 1 keeps writing: a parent run plus a child run (a fine-tune), with an open write transaction
    RunStore writer(folder.shard_path(1));
    RunInfo child;
    child.name = "child";
    child.parent_run_id = 1;
    child.phase = "online";
    child.tags = {"sweep-member=99"};
    const int64_t child_id = writer.create_run(child);
    writer.append_metrics(child_id, {{100, "q_loss", 1.5}}, 100);
    writer.add_event(child_id, 0, "finetune_from_run", "{}");

    sqlite3* raw = nullptr;
    QCOMPARE(sqlite3_open(folder.shard_path(1).c_str(), &raw), SQLITE_OK);
    QCOMPARE(sqlite3_exec(raw, "BEGIN IMMEDIATE; INSERT INTO metrics(run_id,step,key,value) VALUES(2,200,'q_loss',2.5);",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    // the shard's write lock is held: collect must neither wait for it nor see the uncommitted row
    QElapsedTimer t;
    t.start();
    auto first = collect_sweep(folder, db);
    QVERIFY2(t.elapsed() < 4000, "collect waited for the task's write lock");
    QVERIFY(first.errors.empty());
    QCOMPARE(first.runs_added, 3);
    const auto ids = collected_runs(db, folder.plan().sweep_id);
    QCOMPARE(ids.size(), size_t(3));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM metrics WHERE key='q_loss' AND value=2.5"), int64_t(0));
    // the child's parent is the parent's main id, not its shard id
    const int64_t main_child = count(db, "SELECT run_id FROM sweep_links WHERE member=99");
    const int64_t main_parent = count(db, "SELECT run_id FROM sweep_links WHERE task=1 AND shard_run_id=1");
    QCOMPARE(count(db, "SELECT parent_run_id FROM runs WHERE id=" + std::to_string(main_child)), main_parent);

    QCOMPARE(sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    writer.update_status(child_id, "finished");
    auto second = collect_sweep(folder, db);
    QCOMPARE(second.runs_added, 0);
    QCOMPARE(second.runs_updated, 1);  // the child finished; the parent did not change
    QCOMPARE(second.rows_copied, int64_t(1));  // only the row committed since
    QCOMPARE(count(db, "SELECT COUNT(*) FROM metrics WHERE key='q_loss' AND value=2.5"), int64_t(1));
    QCOMPARE(collect_sweep(folder, db).rows_copied, int64_t(0));
  }

  // A task killed after a collect resumes its run from an earlier checkpoint: the shard forgets the
  // rows past it and writes new ones (SQLite may even reuse their rowids). The next collect must leave
  // main with exactly the shard's rows, not the old ones plus the new. Likewise for a run deleted and
  // started again under the same id.
  void resumedOrRestartedRunIsCopiedAgain() {
    const std::string dir = tmp_.filePath("resumed").toStdString(), db = tmp_.filePath("resumed-main.db").toStdString();
    SyntheticSweepOptions o;
    o.shards = 1;
    o.steps = 1000;
    o.eval_interval = 250;
    make_synthetic_sweep(dir, o);
    SweepFolder folder(dir);
    const std::string shard = folder.shard_path(0);
    QCOMPARE(collect_sweep(folder, db).runs_added, 1);
    const int64_t main_run = count(db, "SELECT run_id FROM sweep_links");
    auto same_as_shard = [&](const char* what) {
      for (const std::string table : {"metrics", "evaluations", "checkpoints", "events"}) {
        const std::string sig = std::string("SELECT COUNT(*) * 1000003 + TOTAL(step) FROM ") + table + " WHERE run_id=";
        const int64_t in_main = count(db, sig + std::to_string(main_run)), in_shard = count(shard, sig + "1");
        if (in_main != in_shard) QFAIL(qPrintable(QString("%1: %2 differ (main %3, shard %4)").arg(what).arg(table.c_str()).arg(in_main).arg(in_shard)));
      }
      const std::string ret = "SELECT CAST(TOTAL(return_mean) * 1000 AS INTEGER) FROM evaluations WHERE run_id=";
      QCOMPARE(count(db, ret + std::to_string(main_run)), count(shard, ret + "1"));
    };
    same_as_shard("first collect");
    const int64_t evals_before = count(db, "SELECT COUNT(*) FROM evaluations");
    {
      RunStore w(shard);  // killed after step 1000's records; resumed from a checkpoint at 500
      w.forget_after(1, 500);
      w.add_event(1, 500, "resume_from_checkpoint", "{}");
      w.add_evaluation(1, {750, -1.0, 0.0, std::nullopt, 1});  // retrained: other values
      w.add_evaluation(1, {1000, -2.0, 0.0, std::nullopt, 1});
      w.append_metrics(1, {{600, "q_loss", 7.0}}, 600);
    }
    auto st = collect_sweep(folder, db);
    same_as_shard("after the resume");
    QCOMPARE(st.runs_recopied, 1);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM evaluations"), evals_before);  // 250, 500, 750, 1000 once each
    QCOMPARE(count(db, "SELECT COUNT(*) FROM evaluations WHERE step=1000 AND return_mean=-2.0"), int64_t(1));
    QCOMPARE(collect_sweep(folder, db).rows_copied, int64_t(0));  // and then nothing again

    {
      RunStore w(shard);  // deleted (nothing to resume) and started again: id 1 is reused
      RunInfo info = *w.get_run(1);
      w.delete_run(1);
      info.name = "restarted";
      QCOMPARE(w.create_run(info), int64_t(1));
      w.add_event(1, 0, "runtime", "{}");
      w.add_evaluation(1, {250, -3.0, 0.0, std::nullopt, 1});
    }
    st = collect_sweep(folder, db);
    same_as_shard("after the restart");
    QCOMPARE(st.runs_recopied, 1);
    QCOMPARE(st.runs_added, 0);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM runs WHERE name='restarted'"), int64_t(1));
  }

  void unreadableShardIsNamedAndTheRestCollected() {
    const std::string dir = tmp_.filePath("broken").toStdString(), db = tmp_.filePath("broken-main.db").toStdString();
    SyntheticSweepOptions o;
    o.shards = 3;
    o.steps = 200;
    make_synthetic_sweep(dir, o);
    SweepFolder folder(dir);
    {
      QFile f(QString::fromStdString(folder.shard_path(1)));
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write("this is not a database, it is long enough to have a header that sqlite rejects...............");
    }
    QFile::remove(QString::fromStdString(folder.shard_path(1) + "-wal"));
    QFile::remove(QString::fromStdString(folder.shard_path(1) + "-shm"));
    auto st = collect_sweep(folder, db);
    QCOMPARE(st.shards, 2);
    QCOMPARE(st.runs_added, 2);
    QCOMPARE(st.errors.size(), size_t(1));
    QVERIFY(QString::fromStdString(st.errors[0]).contains("task-00001/shard.db"));
  }
};

QTEST_GUILESS_MAIN(TestShardMerge)
#include "test_shard_merge.moc"
