#include "core/sweep/shard_merge.h"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <filesystem>
#include <initializer_list>
#include <optional>

#include "core/store/run_store.h"
#include "core/sweep/sweep_folder.h"
#include "core/util/errors.h"

namespace iql {

namespace {

const char* kLinkSchema = R"sql(
CREATE TABLE IF NOT EXISTS sweep_links(
  sweep_id TEXT NOT NULL,
  task INTEGER NOT NULL,
  shard_run_id INTEGER NOT NULL,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  population_id TEXT NOT NULL,
  member INTEGER,
  metric_step INTEGER NOT NULL DEFAULT -1,
  eval_rowid INTEGER NOT NULL DEFAULT 0,
  hist_rowid INTEGER NOT NULL DEFAULT 0,
  ckpt_rowid INTEGER NOT NULL DEFAULT 0,
  event_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(sweep_id, task, shard_run_id)
);
CREATE INDEX IF NOT EXISTS sweep_links_run ON sweep_links(run_id);
)sql";

class Db {
public:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw StoreError(path_ + ": " + m);
    }
  }
  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

private:
  sqlite3* db_;
  std::string path_;
};

class Q {
public:
  Q(Db& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db.get(), sql, -1, &s_, nullptr) != SQLITE_OK)
      throw StoreError(db.path() + ": " + sqlite3_errmsg(db.get()));
  }
  ~Q() { sqlite3_finalize(s_); }
  Q& i(int k, int64_t v) { sqlite3_bind_int64(s_, k, v); return *this; }
  Q& t(int k, const std::string& v) { sqlite3_bind_text(s_, k, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); return *this; }
  Q& null(int k) { sqlite3_bind_null(s_, k); return *this; }
  bool row() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(db_.path() + ": " + sqlite3_errmsg(db_.get()));
  }
  void run() { row(); }
  int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::string text(int c) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, c))) : std::string();
  }

private:
  Db& db_;
  sqlite3_stmt* s_ = nullptr;
};

struct Link {
  int64_t run_id = 0, metric_step = -1, eval_rowid = 0, hist_rowid = 0, ckpt_rowid = 0, event_id = 0;
};

int member_from_tags(const std::string& tags) {
  const auto pos = tags.find("sweep-member=");
  return pos == std::string::npos ? -1 : std::atoi(tags.c_str() + pos + 13);
}

// Copies the rows of one shard run past its high-water marks; returns the rows copied.
int64_t copy_rows(Db& db, int64_t shard_run, Link& l) {
  int64_t rows = 0;
  auto copy = [&](const char* sql, int64_t mark) {
    Q q(db, sql);
    q.i(1, l.run_id).i(2, shard_run).i(3, mark).run();
    rows += sqlite3_changes(db.get());
  };
  auto max_of = [&](const char* sql, int64_t fallback) {
    Q q(db, sql);
    q.i(1, shard_run);
    return q.row() && !q.is_null(0) ? q.i64(0) : fallback;
  };
  copy("INSERT OR REPLACE INTO main.metrics(run_id,step,key,value) "
       "SELECT ?1, step, key, value FROM s.metrics WHERE run_id=?2 AND step>?3",
       l.metric_step);
  copy("INSERT INTO main.evaluations(run_id,step,return_mean,return_std,normalized_score,episodes) "
       "SELECT ?1, step, return_mean, return_std, normalized_score, episodes FROM s.evaluations "
       "WHERE run_id=?2 AND rowid>?3 ORDER BY rowid",
       l.eval_rowid);
  copy("INSERT INTO main.histograms(run_id,step,name,edges_json,counts_json) "
       "SELECT ?1, step, name, edges_json, counts_json FROM s.histograms WHERE run_id=?2 AND rowid>?3 ORDER BY rowid",
       l.hist_rowid);
  copy("INSERT INTO main.checkpoints(run_id,step,path,sha256) "
       "SELECT ?1, step, path, sha256 FROM s.checkpoints WHERE run_id=?2 AND rowid>?3 ORDER BY rowid",
       l.ckpt_rowid);
  copy("INSERT INTO main.events(run_id,step,kind,payload,created) "
       "SELECT ?1, step, kind, payload, created FROM s.events WHERE run_id=?2 AND id>?3 ORDER BY id",
       l.event_id);
  l.metric_step = max_of("SELECT MAX(step) FROM s.metrics WHERE run_id=?1", l.metric_step);
  l.eval_rowid = max_of("SELECT MAX(rowid) FROM s.evaluations WHERE run_id=?1", l.eval_rowid);
  l.hist_rowid = max_of("SELECT MAX(rowid) FROM s.histograms WHERE run_id=?1", l.hist_rowid);
  l.ckpt_rowid = max_of("SELECT MAX(rowid) FROM s.checkpoints WHERE run_id=?1", l.ckpt_rowid);
  l.event_id = max_of("SELECT MAX(id) FROM s.events WHERE run_id=?1", l.event_id);
  return rows;
}

int64_t scalar(Db& db, const char* sql, std::initializer_list<int64_t> args) {
  Q q(db, sql);
  int k = 0;
  for (int64_t v : args) q.i(++k, v);
  return q.row() ? q.i64(0) : 0;
}

// Whether the rows already collected for a run may no longer be the shard's: a resume from a checkpoint
// deletes the shard's rows past it (RunStore::forget_after) and records 'resume_from_checkpoint'; a run
// deleted and started again (no checkpoint to resume from) may even come back under the same id. Events
// are never deleted on their own, so both show in the events: a new resume event past the mark, or
// fewer shard events up to the mark than were collected.
bool collected_rows_stale(Db& db, int64_t shard_run, const Link& l) {
  if (scalar(db, "SELECT COUNT(*) FROM s.events WHERE run_id=?1 AND id>?2 AND kind='resume_from_checkpoint'",
             {shard_run, l.event_id}) > 0)
    return true;
  return scalar(db, "SELECT COUNT(*) FROM s.events WHERE run_id=?1 AND id<=?2", {shard_run, l.event_id}) !=
         scalar(db, "SELECT COUNT(*) FROM main.events WHERE run_id=?1", {l.run_id});
}

// Drops everything collected for a run (its main row stays, refreshed from the shard) so that
// copy_rows copies the shard's rows again from the start.
void forget_collected(Db& db, int64_t shard_run, Link& l) {
  for (const char* sql : {"DELETE FROM main.metrics WHERE run_id=?1", "DELETE FROM main.evaluations WHERE run_id=?1",
                          "DELETE FROM main.histograms WHERE run_id=?1", "DELETE FROM main.checkpoints WHERE run_id=?1",
                          "DELETE FROM main.events WHERE run_id=?1"})
    scalar(db, sql, {l.run_id});
  Q up(db, "UPDATE main.runs SET (name,created,updated,status,algorithm,dataset,env,physics,config_json,seed,tags,notes,steps,phase) = "
           "(SELECT name,created,updated,status,algorithm,dataset,env,physics,config_json,seed,tags,notes,steps,phase "
           "FROM s.runs WHERE id=?2) WHERE id=?1");
  up.i(1, l.run_id).i(2, shard_run).run();
  const int64_t run = l.run_id;
  l = Link{};
  l.run_id = run;
}

void collect_shard(Db& db, const std::string& sweep_id, int task, CollectStats& st) {
  // Not BEGIN IMMEDIATE: that would ask for write locks on the attached shard too (a running task holds
  // it). A deferred transaction whose first statement writes main takes main's write lock (waiting
  // through busy_timeout) before any read snapshot exists; the shard is then only read.
  db.exec("BEGIN");
  db.exec("DELETE FROM main.sweep_links WHERE 0");
  try {
    std::map<int64_t, int64_t> ids;  // shard run id -> main run id (for parent links)
    Q runs(db, "SELECT id,name,created,updated,status,algorithm,dataset,env,physics,config_json,seed,tags,notes,steps,"
               "parent_run_id,phase FROM s.runs ORDER BY id");
    while (runs.row()) {
      const int64_t shard_id = runs.i64(0);
      std::optional<Link> link;
      {
        Q q(db, "SELECT run_id,metric_step,eval_rowid,hist_rowid,ckpt_rowid,event_id FROM main.sweep_links "
                "WHERE sweep_id=?1 AND task=?2 AND shard_run_id=?3");
        q.t(1, sweep_id).i(2, task).i(3, shard_id);
        if (q.row()) link = Link{q.i64(0), q.i64(1), q.i64(2), q.i64(3), q.i64(4), q.i64(5)};
      }
      std::optional<int64_t> parent;
      if (!runs.is_null(14)) {
        auto it = ids.find(runs.i64(14));
        if (it != ids.end()) parent = it->second;
      }
      if (!link) {
        Q ins(db, "INSERT INTO main.runs(name,created,updated,status,algorithm,dataset,env,physics,config_json,seed,tags,"
                  "notes,steps,parent_run_id,phase,writer_pid) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,NULL)");
        for (int c = 1; c <= 9; ++c) ins.t(c, runs.text(c));
        ins.i(10, runs.i64(10)).t(11, runs.text(11)).t(12, runs.text(12)).i(13, runs.i64(13));
        if (parent) ins.i(14, *parent);
        else ins.null(14);
        ins.t(15, runs.text(15)).run();
        link = Link{};
        link->run_id = sqlite3_last_insert_rowid(db.get());
        Q l(db, "INSERT INTO main.sweep_links(sweep_id,task,shard_run_id,run_id,population_id,member) VALUES(?1,?2,?3,?4,?5,?6)");
        const int member = member_from_tags(runs.text(11));
        l.t(1, sweep_id).i(2, task).i(3, shard_id).i(4, link->run_id).t(5, sweep_id + "/task-" + std::to_string(task));
        if (member >= 0) l.i(6, member);
        else l.null(6);
        l.run();
        ++st.runs_added;
      } else if (collected_rows_stale(db, shard_id, *link)) {
        forget_collected(db, shard_id, *link);
        ++st.runs_recopied;
      } else {
        Q up(db, "UPDATE main.runs SET status=?1, steps=?2, updated=?3 WHERE id=?4 AND (status<>?1 OR steps<>?2 OR updated<>?3)");
        up.t(1, runs.text(4)).i(2, runs.i64(13)).t(3, runs.text(3)).i(4, link->run_id).run();
        if (sqlite3_changes(db.get()) > 0) ++st.runs_updated;
      }
      ids[shard_id] = link->run_id;
      st.rows_copied += copy_rows(db, shard_id, *link);
      Q w(db, "UPDATE main.sweep_links SET metric_step=?1,eval_rowid=?2,hist_rowid=?3,ckpt_rowid=?4,event_id=?5 "
              "WHERE sweep_id=?6 AND task=?7 AND shard_run_id=?8");
      w.i(1, link->metric_step).i(2, link->eval_rowid).i(3, link->hist_rowid).i(4, link->ckpt_rowid).i(5, link->event_id);
      w.t(6, sweep_id).i(7, task).i(8, shard_id).run();
    }
    db.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

struct Conn {
  sqlite3* db = nullptr;
  ~Conn() { sqlite3_close_v2(db); }
};

Conn open_main(const std::string& main_db) {
  { RunStore migrate(main_db); }  // creates or migrates the main store with the current schema
  Conn c;
  if (sqlite3_open_v2(main_db.c_str(), &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    throw StoreError(main_db + ": cannot open: " + sqlite3_errmsg(c.db));
  sqlite3_busy_timeout(c.db, 10000);
  return c;
}

}  // namespace

CollectStats collect_sweep(const SweepFolder& folder, const std::string& main_db,
                           const std::function<void(int, int)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const SweepPlan plan = folder.plan();
  Conn c = open_main(main_db);
  Db db(c.db, main_db);
  db.exec("PRAGMA foreign_keys=ON");
  db.exec(kLinkSchema);
  CollectStats st;
  char buf[256] = {0};
  gethostname(buf, sizeof buf - 1);
  const std::string host = buf;
  const int total = static_cast<int>(plan.tasks.size());
  for (const auto& task : plan.tasks) {
    const std::string shard = folder.shard_path(task.index);
    const auto rec = folder.read_record(task.index);
    if (rec && rec->state == "running" && !rec->host.empty() && rec->host != host) {
      ++st.skipped_running;
    } else if (std::filesystem::exists(shard)) {
      try {
        Q a(db, "ATTACH ?1 AS s");
        a.t(1, shard_read_uri(shard, rec && rec->state == "running")).run();
      } catch (const StoreError& e) {
        st.errors.push_back(shard + ": cannot attach read-only: " + e.what());
        continue;
      }
      try {
        collect_shard(db, plan.sweep_id, task.index, st);
        ++st.shards;
      } catch (const StoreError& e) {
        st.errors.push_back(shard + ": " + e.what());
      }
      db.exec("DETACH s");
    }
    if (progress) progress(task.index + 1, total);
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return st;
}

std::vector<int64_t> collected_runs(const std::string& main_db, const std::string& sweep_id) {
  Conn c = open_main(main_db);
  Db db(c.db, main_db);
  db.exec(kLinkSchema);
  Q q(db, "SELECT run_id FROM sweep_links WHERE sweep_id=?1 ORDER BY member, task, shard_run_id");
  q.t(1, sweep_id);
  std::vector<int64_t> out;
  while (q.row()) out.push_back(q.i64(0));
  return out;
}

}  // namespace iql
