#include "core/store/store_schema.h"

#include "core/store/sqlite_stmt.h"

namespace iql::store_detail {
namespace {

// Ordered migrations: kMigrations[k-1] brings user_version k-1 to k. Never edit a shipped entry;
// append a new one instead.
const std::vector<std::string> kMigrations = {
    // 1: first shipped schema (November 2026)
    R"sql(
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
-- value is nullable because SQLite stores NaN as NULL. The primary key serves per-key series;
-- no extra (run_id, step) index, to keep the hot write path to one b-tree.
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
)sql",
    // 2: population training. Members of one population share population_id (text, unique per
    // population) and are numbered by population_member. (As shipped on main.)
    R"sql(
ALTER TABLE runs ADD COLUMN population_id TEXT NULL;
ALTER TABLE runs ADD COLUMN population_member INTEGER NULL;
CREATE INDEX runs_population ON runs(population_id);
)sql",
    // 3: the writer's host, boot and process start time, so liveness is judged only on the writer's
    // host and a reused pid is not taken for the writer (writer_identity.h).
    R"sql(
ALTER TABLE runs ADD COLUMN writer_host TEXT NULL;
ALTER TABLE runs ADD COLUMN writer_boot_id TEXT NULL;
ALTER TABLE runs ADD COLUMN writer_start INTEGER NULL;
)sql",
    // 4: statistics and offline selection (issue 21). A final evaluation is one policy (the run's
    // checkpoint at `step`) played for many episodes after training, kept apart from the training
    // curve's evaluations so curves stay one evaluation protocol; returns_json holds every
    // episode's return. An OPE estimate is one offline estimator's value of one checkpoint's
    // policy: `value` on the return scale (undiscounted, per episode), normalized_score on D4RL's
    // scale where the dataset has one, and details_json with the estimator's settings and fit.
    R"sql(
CREATE TABLE final_evaluations(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  episodes INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  return_mean REAL,
  return_std REAL,
  normalized_score REAL NULL,
  returns_json TEXT NOT NULL DEFAULT '[]',
  created TEXT NOT NULL,
  PRIMARY KEY(run_id, step, episodes, seed)
);
CREATE TABLE ope_estimates(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  method TEXT NOT NULL,
  value REAL,
  normalized_score REAL NULL,
  details_json TEXT NOT NULL DEFAULT '{}',
  created TEXT NOT NULL,
  PRIMARY KEY(run_id, step, method)
);
)sql",
};

}  // namespace

const std::vector<std::string>& migrations() { return kMigrations; }

int schema_version(sqlite3* db, const std::string& path) {
  Stmt s(db, path, "PRAGMA user_version");
  return s.step() ? int(s.i64(0)) : 0;
}

void migrate(sqlite3* db, const std::string& path) {
  const int latest = int(kMigrations.size());
  if (schema_version(db, path) == latest) return;  // common case: no write lock needed
  for (;;) {
    Transaction tx(db, path);
    // Re-read under the lock: another process may have migrated meanwhile.
    const int v = schema_version(db, path);
    if (v > latest) {
      throw StoreError(path + ": schema version " + std::to_string(v) +
                       " is newer than this program supports (" + std::to_string(latest) + ")");
    }
    if (v == latest) {
      tx.commit();
      return;
    }
    exec_sql(db, path, kMigrations[std::size_t(v)]);
    exec_sql(db, path, "PRAGMA user_version=" + std::to_string(v + 1));
    tx.commit();
  }
}

}  // namespace iql::store_detail
