// Store schema migrations: a database made with every earlier shipped schema (written out here as it
// shipped, recovered from git history of core/store/run_store.cpp) opens with the current code,
// migrates to the latest version, and loses nothing; a read-only open neither migrates nor writes.
#include <QtTest/QtTest>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/store/run_store.h"
#include "core/util/errors.h"

using iql::RunStore;

namespace {

// Schema 1, shipped from commit 8828c62 (2026-11-23) until schema 2; byte-identical in 2ee77b7 and
// cce8ee8. Never edit: it stands for files that exist on users' disks.
const char* kSchemaV1 = R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'running'
    CHECK(status IN ('running','paused','finished','stopped','failed','interrupted')),
  algorithm TEXT NOT NULL DEFAULT '',
  dataset TEXT NOT NULL DEFAULT '',
  env TEXT NOT NULL DEFAULT '',
  physics TEXT NOT NULL DEFAULT '',
  config_json TEXT NOT NULL DEFAULT '{}',
  seed INTEGER NOT NULL DEFAULT 0,
  tags TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  steps INTEGER NOT NULL DEFAULT 0,
  parent_run_id INTEGER NULL REFERENCES runs(id) ON DELETE SET NULL,
  phase TEXT NOT NULL DEFAULT 'offline',
  writer_pid INTEGER NULL
);
CREATE INDEX runs_parent ON runs(parent_run_id);
CREATE INDEX runs_created ON runs(created);
CREATE TABLE metrics(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL,
  PRIMARY KEY(run_id, key, step)
) WITHOUT ROWID;
CREATE TABLE evaluations(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  return_mean REAL,
  return_std REAL,
  normalized_score REAL NULL,
  episodes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX evaluations_run_step ON evaluations(run_id, step);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  created TEXT NOT NULL
);
CREATE INDEX events_run_step ON events(run_id, step);
CREATE TABLE histograms(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  name TEXT NOT NULL,
  edges_json TEXT NOT NULL,
  counts_json TEXT NOT NULL
);
CREATE INDEX histograms_run_step ON histograms(run_id, step);
CREATE TABLE checkpoints(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL
);
CREATE INDEX checkpoints_run_step ON checkpoints(run_id, step);
)sql";

// Schema 2 = schema 1 plus population columns, shipped on main in 5b3ae65 (2026-11-30). Never edit.
const std::string kSchemaV2 = std::string(kSchemaV1) + R"sql(
ALTER TABLE runs ADD COLUMN population_id TEXT NULL;
ALTER TABLE runs ADD COLUMN population_member INTEGER NULL;
CREATE INDEX runs_population ON runs(population_id);
)sql";

// Every schema that shipped before the current one, oldest first: {user_version, CREATE statements}.
struct ShippedSchema {
  int version;
  std::string sql;
};
// Schema 3, shipped from the writer-identity change (2026-11) until schema 4 (issue 21's tables).
const std::string kSchemaV3 = kSchemaV2 + R"sql(
ALTER TABLE runs ADD COLUMN writer_host TEXT NULL;
ALTER TABLE runs ADD COLUMN writer_boot_id TEXT NULL;
ALTER TABLE runs ADD COLUMN writer_start INTEGER NULL;
)sql";
const std::vector<ShippedSchema> kShipped = {{1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3}};

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "?";
    sqlite3_free(err);
    QFAIL(("sqlite: " + msg + " in: " + sql).c_str());
  }
}

// A pid that no process has: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  int st = 0;
  waitpid(pid, &st, 0);
  return pid;
}

// Fills an old-schema database the way that version's program wrote it (columns of that schema only).
void make_old_database(const std::string& path, const ShippedSchema& schema, pid_t live, pid_t dead) {
  sqlite3* db = nullptr;
  QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, "PRAGMA journal_mode=WAL");  // as every shipped version set it
  exec(db, "PRAGMA foreign_keys=ON");
  exec(db, schema.sql);
  exec(db, "PRAGMA user_version=" + std::to_string(schema.version));
  exec(db,
       "INSERT INTO runs(id,name,created,updated,status,algorithm,dataset,env,physics,config_json,seed,tags,notes,"
       "steps,parent_run_id,phase,writer_pid) VALUES"
       "(1,'offline run','2026-11-23T10:00:00.000Z','2026-11-23T11:00:00.000Z','finished','iql','hopper-medium',"
       "'hopper','d4rl','{\"expectile\":0.7}',7,'a,b','note ''quoted''',1000,NULL,'offline',123),"
       "(2,'finetune','2026-11-23T12:00:00.000Z','2026-11-23T12:30:00.000Z','running','iql','hopper-medium',"
       "'hopper','d4rl','{}',7,'','',1500,1,'online'," + std::to_string(live) + "),"
       "(3,'crashed','2026-11-23T13:00:00.000Z','2026-11-23T13:05:00.000Z','paused','bc','pendulum-medium',"
       "'pendulum','d4rl','{}',1,'','',10,NULL,'offline'," + std::to_string(dead) + ")");
  if (schema.version >= 2) exec(db, "UPDATE runs SET population_id='pop-a', population_member=3 WHERE id=2");
  exec(db,
       "INSERT INTO metrics(run_id,step,key,value) VALUES(1,100,'v_loss',0.5),(1,200,'v_loss',0.25),"
       "(1,100,'q_loss',NULL),(2,1100,'online_episode_return',3210.5)");
  exec(db,
       "INSERT INTO evaluations(run_id,step,return_mean,return_std,normalized_score,episodes) VALUES"
       "(1,500,1200.5,10.25,40.0,10),(1,1000,1500.0,5.0,50.5,10),(3,10,-800.0,1.0,NULL,5)");
  exec(db,
       "INSERT INTO events(run_id,step,kind,payload,created) VALUES"
       "(1,300,'hyperparameter','{\"name\":\"expectile\",\"old\":0.7,\"new\":0.8}','2026-11-23T10:30:00.000Z'),"
       "(2,1000,'finetune_from_run','{}','2026-11-23T12:00:01.000Z')");
  exec(db,
       "INSERT INTO histograms(run_id,step,name,edges_json,counts_json) VALUES"
       "(1,1000,'v','[0.0,0.5,1.0]','[3.0,4.0]')");
  exec(db,
       "INSERT INTO checkpoints(run_id,step,path,sha256) VALUES(1,1000,'/tmp/run-1/step-1000.pt','abc123'),"
       "(2,1500,'/tmp/run-2/step-1500.pt','def456')");
  sqlite3_close(db);
}

// Everything make_old_database wrote is there, as the current API reads it.
void check_everything_kept(RunStore& store, const std::string& status3, int version) {
  const auto runs = store.list_runs();
  QCOMPARE(runs.size(), std::size_t(3));
  const auto r1 = store.get_run(1);
  QVERIFY(r1.has_value());
  QCOMPARE(r1->name, std::string("offline run"));
  QCOMPARE(r1->created, std::string("2026-11-23T10:00:00.000Z"));
  QCOMPARE(r1->updated, std::string("2026-11-23T11:00:00.000Z"));
  QCOMPARE(r1->status, std::string("finished"));
  QCOMPARE(r1->algorithm, std::string("iql"));
  QCOMPARE(r1->dataset, std::string("hopper-medium"));
  QCOMPARE(r1->env, std::string("hopper"));
  QCOMPARE(r1->physics, std::string("d4rl"));
  QCOMPARE(r1->config_json, std::string("{\"expectile\":0.7}"));
  QCOMPARE(r1->seed, std::int64_t(7));
  QCOMPARE(r1->tags, (std::vector<std::string>{"a", "b"}));
  QCOMPARE(r1->notes, std::string("note 'quoted'"));
  QCOMPARE(r1->steps, std::int64_t(1000));
  QVERIFY(!r1->parent_run_id);
  QCOMPARE(r1->phase, std::string("offline"));
  const auto r2 = store.get_run(2);
  QCOMPARE(r2->parent_run_id.value_or(-1), std::int64_t(1));
  QCOMPARE(r2->phase, std::string("online"));
  QCOMPARE(r2->status, std::string("running"));  // its writer (this test) is alive
  if (version >= 2) {
    QCOMPARE(r2->population_id, std::string("pop-a"));
    QCOMPARE(r2->population_member.value_or(-1), std::int64_t(3));
  }
  QVERIFY(r1->population_id.empty() && !r1->population_member);
  QCOMPARE(store.get_run(3)->status, status3);

  const auto m = store.metrics(1);
  QCOMPARE(m.size(), std::size_t(3));
  QCOMPARE(store.metric_series(1, "v_loss"),
           (std::vector<std::pair<std::int64_t, double>>{{100, 0.5}, {200, 0.25}}));
  const auto q = store.metric_series(1, "q_loss");
  QCOMPARE(q.size(), std::size_t(1));
  QVERIFY(std::isnan(q[0].second));
  QCOMPARE(store.metric_series(2, "online_episode_return").at(0).second, 3210.5);

  const auto ev = store.evaluations(1);
  QCOMPARE(ev.size(), std::size_t(2));
  QCOMPARE(ev[1].return_mean, 1500.0);
  QCOMPARE(ev[1].normalized_score.value_or(-1), 50.5);
  QCOMPARE(ev[0].episodes, 10);
  QVERIFY(!store.evaluations(3).at(0).normalized_score);
  const auto best = store.best_and_final_score(1);
  QCOMPARE(best->first, 50.5);

  const auto events = store.events(1);
  QCOMPARE(events.size(), std::size_t(1));
  QCOMPARE(events[0].kind, std::string("hyperparameter"));
  QCOMPARE(events[0].payload_json, std::string("{\"name\":\"expectile\",\"old\":0.7,\"new\":0.8}"));
  QCOMPARE(events[0].created, std::string("2026-11-23T10:30:00.000Z"));

  const auto h = store.histograms(1, "v");
  QCOMPARE(h.size(), std::size_t(1));
  QCOMPARE(h[0].edges, (std::vector<double>{0.0, 0.5, 1.0}));
  QCOMPARE(h[0].counts, (std::vector<double>{3.0, 4.0}));

  QCOMPARE(store.latest_checkpoint(1)->path, std::string("/tmp/run-1/step-1000.pt"));
  QCOMPARE(store.checkpoints(2).at(0).sha256, std::string("def456"));
}

int user_version(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  const int v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

}  // namespace

class TestStoreMigrations : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
  }
  void cleanup() { dir_.reset(); }

  // The list above must name every schema before the latest: adding a migration means adding the
  // schema it replaces here.
  void everyEarlierSchemaIsListed() {
    QCOMPARE(int(kShipped.size()), RunStore::latest_schema_version() - 1);
    for (std::size_t i = 0; i < kShipped.size(); ++i) QCOMPARE(kShipped[i].version, int(i) + 1);
  }

  // Version 0: a file that exists but is empty (e.g. made by `touch`).
  void fromEmptyFile() {
    const std::string path = dir_->filePath("empty.db").toStdString();
    { QFile f(QString::fromStdString(path)); QVERIFY(f.open(QIODevice::WriteOnly)); }
    RunStore store(path);
    QCOMPARE(store.schema_version(), RunStore::latest_schema_version());
    QCOMPARE(store.integrity_check(), std::string("ok"));
    QVERIFY(store.list_runs().empty());
  }

  void fromEveryShippedSchema() {
    const pid_t dead = dead_pid();
    for (const auto& schema : kShipped) {
      const std::string path = dir_->filePath(QStringLiteral("v%1.db").arg(schema.version)).toStdString();
      make_old_database(path, schema, getpid(), dead);
      {
        // Reading an old file does not migrate it; a dead writer shows as interrupted, unstored.
        RunStore reader(path, RunStore::Mode::read_only);
        check_everything_kept(reader, "interrupted", schema.version);
      }
      QCOMPARE(user_version(path), schema.version);
      {
        RunStore store(path);  // migrates
        QCOMPARE(store.schema_version(), RunStore::latest_schema_version());
        QCOMPARE(store.integrity_check(), std::string("ok"));
        check_everything_kept(store, "interrupted", schema.version);  // rows before schema 3 are judged by pid, as before
        // The migrated store works as a new one: a run records its writer, and deleting cascades.
        iql::RunInfo r;
        r.name = "after migration";
        const auto id = store.create_run(r);
        QCOMPARE(store.get_run(id)->status, std::string("running"));
        QCOMPARE(store.mark_interrupted_runs(), 0);
        store.delete_run(1);
        QVERIFY(store.metrics(1).empty());
        QVERIFY(store.checkpoints(1).empty());
        QVERIFY(!store.get_run(2)->parent_run_id);  // ON DELETE SET NULL survived the migration
      }
      RunStore again(path);  // reopening migrates nothing and keeps the new run
      QCOMPARE(again.list_runs().size(), std::size_t(3));
    }
  }

  // A file from a newer program is refused with its path, in both modes, and left as it is.
  void newerSchemaIsRefused() {
    const std::string path = dir_->filePath("future.db").toStdString();
    {
      RunStore store(path);
    }
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    exec(db, "PRAGMA user_version=" + std::to_string(RunStore::latest_schema_version() + 1));
    sqlite3_close(db);
    for (auto mode : {RunStore::Mode::read_write, RunStore::Mode::read_only}) {
      try {
        RunStore store(path, mode);
        QFAIL("expected StoreError");
      } catch (const iql::StoreError& e) {
        QVERIFY(std::string(e.what()).find(path) != std::string::npos);
        QVERIFY(std::string(e.what()).find("newer") != std::string::npos);
      }
    }
    QCOMPARE(user_version(path), RunStore::latest_schema_version() + 1);
  }

private:
  std::unique_ptr<QTemporaryDir> dir_;
};

QTEST_GUILESS_MAIN(TestStoreMigrations)
#include "test_store_migrations.moc"
