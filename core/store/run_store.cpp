#include "core/store/run_store.h"

#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/store/sha256.h"
#include "core/store/sqlite_stmt.h"
#include "core/store/store_schema.h"
#include "core/store/writer_identity.h"
#include "core/util/errors.h"

namespace iql {
using store_detail::Stmt;
using store_detail::Transaction;

namespace {

// Columns 0-17 are RunInfo (16-17 from schema 2, population); 18-21 identify the writer (pid from
// schema 1, host, boot id and start time from schema 3). Missing columns of older files read NULL.
const char* kRunColumns =
    "id,name,created,updated,status,algorithm,dataset,env,physics,config_json,seed,tags,notes,"
    "steps,parent_run_id,phase";
const char* kPopulationColumns = ",population_id,population_member";
const char* kNoPopulationColumns = ",NULL,NULL";
const char* kWriterColumns = ",writer_pid,writer_host,writer_boot_id,writer_start";
const char* kPidOnlyWriterColumns = ",writer_pid,NULL,NULL,NULL";
constexpr int kWriterColumn = 18;

bool valid_status(const std::string& s) {
  return s == "running" || s == "paused" || s == "finished" || s == "stopped" || s == "failed" ||
         s == "interrupted";
}

// ISO 8601 UTC with milliseconds, e.g. 2024-05-01T12:00:00.123Z (sorts as text).
std::string now_iso() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const int ms = int(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, ms);
  return out;
}

std::string join_tags(const std::vector<std::string>& tags) {
  std::string s;
  for (const auto& t : tags) {
    if (t.empty()) continue;
    if (!s.empty()) s += ',';
    s += t;
  }
  return s;
}

std::vector<std::string> split_tags(const std::string& s) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    std::string t = s.substr(start, end - start);
    const auto b = t.find_first_not_of(" \t");
    const auto e = t.find_last_not_of(" \t");
    if (b != std::string::npos) tags.push_back(t.substr(b, e - b + 1));
    start = end + 1;
  }
  return tags;
}

std::string to_json(const std::vector<double>& v) { return nlohmann::json(v).dump(); }

// NaN/Inf are written by nlohmann as null; read them back as NaN.
std::vector<double> from_json(const std::string& text) {
  std::vector<double> v;
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return v;
  for (const auto& x : j)
    v.push_back(x.is_number() ? x.get<double>() : std::numeric_limits<double>::quiet_NaN());
  return v;
}

RunInfo read_run(const Stmt& s) {
  RunInfo r;
  r.id = s.i64(0);
  r.name = s.text(1);
  r.created = s.text(2);
  r.updated = s.text(3);
  r.status = s.text(4);
  r.algorithm = s.text(5);
  r.dataset = s.text(6);
  r.env = s.text(7);
  r.physics = s.text(8);
  r.config_json = s.text(9);
  r.seed = s.i64(10);
  r.tags = split_tags(s.text(11));
  r.notes = s.text(12);
  r.steps = s.i64(13);
  if (!s.is_null(14)) r.parent_run_id = s.i64(14);
  r.phase = s.text(15);
  if (!s.is_null(16)) r.population_id = s.text(16);
  if (!s.is_null(17)) r.population_member = s.i64(17);
  return r;
}

// Writer columns start at `col`: pid, host, boot id, start ticks. A NULL pid counts as gone on this
// host only when the host is recorded; a schema-1 row (no host) is judged by pid, as schema 1 did.
WriterState row_writer_state(const Stmt& s, int col) {
  const std::int64_t pid = s.is_null(col) ? 0 : s.i64(col);
  std::optional<std::int64_t> start;
  if (!s.is_null(col + 3)) start = s.i64(col + 3);
  return writer_state(s.text(col + 1), s.text(col + 2), pid, start);
}

bool unfinished(const std::string& status) { return status == "running" || status == "paused"; }

// A read-only store cannot mark a run whose writer is gone, so it reports it as interrupted.
RunInfo read_run_row(const Stmt& s, bool read_only) {
  RunInfo r = read_run(s);
  if (read_only && unfinished(r.status) && row_writer_state(s, kWriterColumn) == WriterState::gone) r.status = "interrupted";
  return r;
}

}  // namespace

void RunStore::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

RunStore::RunStore(const std::string& path, Mode mode) : path_(path), mode_(mode) {
  if (mode == Mode::read_write) {
    open_file(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    switch_to_wal();
    exec("PRAGMA synchronous=NORMAL");  // durable against process crashes in WAL mode
    store_detail::migrate(db_.get(), path_);
    file_version_ = latest_schema_version();
    mark_interrupted_runs();
    return;
  }
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    open_file(SQLITE_OPEN_READONLY);
    file_version_ = store_detail::schema_version(db_.get(), path_);
    if (file_version_ > latest_schema_version()) {
      throw StoreError(path_ + ": schema version " + std::to_string(file_version_) +
                       " is newer than this program supports (" + std::to_string(latest_schema_version()) + ")");
    }
    if (file_version_ > 0) return;
  }
  // No store yet (or an empty file): read an empty in-memory one, so listing shows no runs.
  db_.reset();
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) throw StoreError(path_ + ": cannot open an empty in-memory store");
  store_detail::migrate(db_.get(), path_);
  file_version_ = latest_schema_version();
}

void RunStore::open_file(int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path_.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) {
    throw StoreError(path_ + ": cannot open run store: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  exec("PRAGMA busy_timeout=5000");
  exec("PRAGMA foreign_keys=ON");  // per connection; writes nothing
}

// Switching a new store to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once instead
// of waiting out busy_timeout. Two processes opening a new store together (the GUI beside a CLI run,
// sweep workers) then fail with "database is locked", so the switch is retried for as long as
// busy_timeout would have waited.
void RunStore::switch_to_wal() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(5000);
  for (;;) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), "PRAGMA journal_mode=WAL", -1, &s, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return;  // WAL, or a file system that cannot have it
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) {
      throw StoreError(path_ + ": cannot switch the run store to WAL journaling: " + sqlite3_errmsg(db_.get()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

RunStore::~RunStore() = default;
RunStore::RunStore(RunStore&&) noexcept = default;
RunStore& RunStore::operator=(RunStore&&) noexcept = default;

void RunStore::exec(const std::string& sql) { store_detail::exec_sql(db_.get(), path_, sql); }

int RunStore::latest_schema_version() { return int(store_detail::migrations().size()); }

int RunStore::schema_version() { return store_detail::schema_version(db_.get(), path_); }

std::string RunStore::run_columns() const {
  return std::string(kRunColumns) + (file_version_ >= 2 ? kPopulationColumns : kNoPopulationColumns) +
         (file_version_ >= 3 ? kWriterColumns : kPidOnlyWriterColumns);
}

std::string RunStore::journal_mode() {
  Stmt s(db_.get(), path_, "PRAGMA journal_mode");
  return s.step() ? s.text(0) : std::string();
}

std::string RunStore::integrity_check() {
  Stmt s(db_.get(), path_, "PRAGMA integrity_check");
  std::string out;
  while (s.step()) out += (out.empty() ? "" : "\n") + s.text(0);
  return out;
}

std::string RunStore::default_path() {
  namespace fs = std::filesystem;
  fs::path dir;
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg && fs::path(xdg).is_absolute()) {  // the XDG spec says ignore relative paths
    dir = fs::path(xdg);
  } else {
    const char* home = std::getenv("HOME");
    if (!home || !*home) throw StoreError("cannot find the data directory: HOME is not set");
    dir = fs::path(home) / ".local" / "share";
  }
  dir /= "iql-workbench";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw StoreError(dir.string() + ": cannot create directory: " + ec.message());
  return (dir / "runs.db").string();
}

std::string RunStore::sha256_file(const std::string& path) { return Sha256::hex_file(path); }

// ---- runs ----

std::int64_t RunStore::create_run(const RunInfo& info) {
  if (!valid_status(info.status)) throw StoreError(path_ + ": invalid run status '" + info.status + "'");
  const std::string created = info.created.empty() ? now_iso() : info.created;
  Stmt s(db_.get(), path_,
         "INSERT INTO runs(name,created,updated,status,algorithm,dataset,env,physics,config_json,"
         "seed,tags,notes,steps,parent_run_id,phase,writer_pid,writer_host,writer_boot_id,writer_start) "
         "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)");
  const auto& me = WriterIdentity::current();
  s.bind_text(1, info.name)
      .bind_text(2, created)
      .bind_text(3, info.updated.empty() ? created : info.updated)
      .bind_text(4, info.status)
      .bind_text(5, info.algorithm)
      .bind_text(6, info.dataset)
      .bind_text(7, info.env)
      .bind_text(8, info.physics)
      .bind_text(9, info.config_json.empty() ? std::string("{}") : info.config_json)
      .bind_int(10, info.seed)
      .bind_text(11, join_tags(info.tags))
      .bind_text(12, info.notes)
      .bind_int(13, info.steps)
      .bind_opt_int(14, info.parent_run_id)
      .bind_text(15, info.phase.empty() ? std::string("offline") : info.phase)
      .bind_int(16, me.pid)
      .bind_text(17, me.host)
      .bind_text(18, me.boot_id)
      .bind_opt_int(19, me.start_ticks);
  s.run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_.get());
  if (!info.population_id.empty()) {
    Stmt p(db_.get(), path_, "UPDATE runs SET population_id=?1, population_member=?2 WHERE id=?3");
    p.bind_text(1, info.population_id).bind_opt_int(2, info.population_member).bind_int(3, id);
    p.run();
  }
  return id;
}

std::optional<RunInfo> RunStore::get_run(std::int64_t id) {
  Stmt s(db_.get(), path_, ("SELECT " + run_columns() + " FROM runs WHERE id=?1").c_str());
  s.bind_int(1, id);
  if (!s.step()) return std::nullopt;
  return read_run_row(s, read_only());
}

std::vector<RunInfo> RunStore::list_runs() {
  Stmt s(db_.get(), path_,
         ("SELECT " + run_columns() + " FROM runs ORDER BY created DESC, id DESC").c_str());
  std::vector<RunInfo> runs;
  while (s.step()) runs.push_back(read_run_row(s, read_only()));
  return runs;
}

void RunStore::touch_run(std::int64_t id, const char* set_clause, const std::string& value, bool training_write) {
  // `updated` tracks training progress only, so the runs table's duration (created -> updated) does
  // not grow when someone renames a run or edits its notes later.
  Stmt s(db_.get(), path_,
         (std::string("UPDATE runs SET ") + set_clause + (training_write ? ", updated=?2" : "") + " WHERE id=?3").c_str());
  s.bind_text(1, value).bind_int(3, id);
  if (training_write) s.bind_text(2, now_iso());
  s.run();
  if (sqlite3_changes(db_.get()) == 0) throw StoreError(path_ + ": no run with id " + std::to_string(id));
}

void RunStore::update_status(std::int64_t id, const std::string& status) {
  if (!valid_status(status)) throw StoreError(path_ + ": invalid run status '" + status + "'");
  if (status == "running" || status == "paused") {
    // whoever resumes a run becomes its writer, so a later crash is detected against this process
    const auto& me = WriterIdentity::current();
    Stmt s(db_.get(), path_,
           "UPDATE runs SET status=?1, updated=?2, writer_pid=?3, writer_host=?4, writer_boot_id=?5, "
           "writer_start=?6 WHERE id=?7");
    s.bind_text(1, status).bind_text(2, now_iso()).bind_int(3, me.pid).bind_text(4, me.host);
    s.bind_text(5, me.boot_id).bind_opt_int(6, me.start_ticks).bind_int(7, id);
    s.run();
    if (sqlite3_changes(db_.get()) == 0) throw StoreError(path_ + ": no run with id " + std::to_string(id));
  } else {
    touch_run(id, "status=?1", status, true);
  }
}

void RunStore::set_steps(std::int64_t id, std::int64_t step) {
  Stmt s(db_.get(), path_, "UPDATE runs SET steps=?1, updated=?2 WHERE id=?3");
  s.bind_int(1, step).bind_text(2, now_iso()).bind_int(3, id);
  s.run();
  if (sqlite3_changes(db_.get()) == 0) throw StoreError(path_ + ": no run with id " + std::to_string(id));
}

void RunStore::rename_run(std::int64_t id, const std::string& name) { touch_run(id, "name=?1", name, false); }

void RunStore::set_tags(std::int64_t id, const std::vector<std::string>& tags) {
  touch_run(id, "tags=?1", join_tags(tags), false);
}

void RunStore::set_notes(std::int64_t id, const std::string& notes) { touch_run(id, "notes=?1", notes, false); }

void RunStore::delete_run(std::int64_t id) {
  Stmt s(db_.get(), path_, "DELETE FROM runs WHERE id=?1");
  s.bind_int(1, id);
  s.run();
  if (sqlite3_changes(db_.get()) == 0) throw StoreError(path_ + ": no run with id " + std::to_string(id));
}

void RunStore::forget_after(std::int64_t id, std::int64_t step) {
  Transaction tx(db_.get(), path_);
  for (const char* table : {"metrics", "evaluations", "histograms", "checkpoints"}) {
    const std::string sql = std::string("DELETE FROM ") + table + " WHERE run_id=?1 AND step>?2";
    Stmt s(db_.get(), path_, sql.c_str());
    s.bind_int(1, id).bind_int(2, step);
    s.run();
  }
  tx.commit();
}

int RunStore::mark_interrupted_runs() {
  if (mode_ == Mode::read_only) throw StoreError(path_ + ": opened read-only, cannot mark interrupted runs");
  std::vector<std::int64_t> orphans;
  {
    Stmt s(db_.get(), path_,
           "SELECT id, writer_pid, writer_host, writer_boot_id, writer_start FROM runs "
           "WHERE status IN ('running','paused')");
    while (s.step())
      if (row_writer_state(s, 1) == WriterState::gone) orphans.push_back(s.i64(0));
  }
  if (orphans.empty()) return 0;  // the usual case takes no write lock
  Transaction tx(db_.get(), path_);
  Stmt u(db_.get(), path_,
         "UPDATE runs SET status='interrupted', updated=?2 "
         "WHERE id=?1 AND status IN ('running','paused')");
  int marked = 0;
  const std::string now = now_iso();
  for (std::int64_t id : orphans) {
    // Judge again under the write lock: another process may have resumed the run meanwhile.
    Stmt s(db_.get(), path_,
           "SELECT id, writer_pid, writer_host, writer_boot_id, writer_start FROM runs "
           "WHERE id=?1 AND status IN ('running','paused')");
    s.bind_int(1, id);
    if (!s.step() || row_writer_state(s, 1) != WriterState::gone) continue;
    u.bind_int(1, id).bind_text(2, now);
    u.run();
    marked += sqlite3_changes(db_.get());
  }
  tx.commit();
  return marked;
}

// ---- metrics ----

void RunStore::append_metrics(std::int64_t run_id, const std::vector<MetricPoint>& points) {
  if (points.empty()) return;
  Transaction tx(db_.get(), path_);
  insert_metrics(run_id, points);
  tx.commit();
}

void RunStore::append_metrics(std::int64_t run_id, const std::vector<MetricPoint>& points, std::int64_t steps) {
  Transaction tx(db_.get(), path_);
  insert_metrics(run_id, points);
  set_steps(run_id, steps);
  tx.commit();
}

void RunStore::insert_metrics(std::int64_t run_id, const std::vector<MetricPoint>& points) {
  Stmt s(db_.get(), path_, "INSERT OR REPLACE INTO metrics(run_id,step,key,value) VALUES(?1,?2,?3,?4)");
  for (const auto& p : points) {
    s.bind_int(1, run_id).bind_int(2, p.step).bind_text(3, p.key).bind_real(4, p.value);
    s.run();
  }
}

std::vector<MetricPoint> RunStore::metrics(std::int64_t run_id) {
  Stmt s(db_.get(), path_, "SELECT step,key,value FROM metrics WHERE run_id=?1 ORDER BY step, key");
  s.bind_int(1, run_id);
  std::vector<MetricPoint> out;
  while (s.step()) out.push_back({s.i64(0), s.text(1), s.real(2)});
  return out;
}

std::vector<std::pair<std::int64_t, double>> RunStore::metric_series(std::int64_t run_id,
                                                                     const std::string& key) {
  Stmt s(db_.get(), path_, "SELECT step,value FROM metrics WHERE run_id=?1 AND key=?2 ORDER BY step");
  s.bind_int(1, run_id).bind_text(2, key);
  std::vector<std::pair<std::int64_t, double>> out;
  while (s.step()) out.emplace_back(s.i64(0), s.real(1));
  return out;
}

std::vector<std::string> RunStore::metric_keys(std::int64_t run_id) {
  Stmt s(db_.get(), path_, "SELECT DISTINCT key FROM metrics WHERE run_id=?1 ORDER BY key");
  s.bind_int(1, run_id);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void RunStore::export_csv(std::int64_t run_id, std::ostream& out) {
  auto quoted = [](const std::string& k) {
    if (k.find_first_of(",\"\r\n") == std::string::npos) return k;
    std::string q = "\"";
    for (char c : k) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  Stmt s(db_.get(), path_, "SELECT step,key,value FROM metrics WHERE run_id=?1 ORDER BY step, key");
  s.bind_int(1, run_id);
  out << "step,key,value\n";
  char buf[64];
  while (s.step()) {
    // shortest text that reads back to the same double
    const auto r = std::to_chars(buf, buf + sizeof buf, s.real(2));
    out << s.i64(0) << ',' << quoted(s.text(1)) << ',' << std::string(buf, r.ptr) << '\n';
  }
}

// ---- evaluations ----

void RunStore::add_evaluation(std::int64_t run_id, const EvaluationRecord& e) {
  Stmt s(db_.get(), path_,
         "INSERT INTO evaluations(run_id,step,return_mean,return_std,normalized_score,episodes) "
         "VALUES(?1,?2,?3,?4,?5,?6)");
  s.bind_int(1, run_id)
      .bind_int(2, e.step)
      .bind_real(3, e.return_mean)
      .bind_real(4, e.return_std)
      .bind_opt_real(5, e.normalized_score)
      .bind_int(6, e.episodes);
  s.run();
}

std::vector<EvaluationRecord> RunStore::evaluations(std::int64_t run_id) {
  Stmt s(db_.get(), path_,
         "SELECT step,return_mean,return_std,normalized_score,episodes FROM evaluations "
         "WHERE run_id=?1 ORDER BY step, rowid");
  s.bind_int(1, run_id);
  std::vector<EvaluationRecord> out;
  while (s.step()) {
    EvaluationRecord e;
    e.step = s.i64(0);
    e.return_mean = s.real(1);
    e.return_std = s.real(2);
    if (!s.is_null(3)) e.normalized_score = s.real(3);
    e.episodes = int(s.i64(4));
    out.push_back(e);
  }
  return out;
}

std::optional<std::pair<double, double>> RunStore::best_and_final_score(std::int64_t run_id) {
  Stmt s(db_.get(), path_,
         "SELECT (SELECT MAX(normalized_score) FROM evaluations "
         "        WHERE run_id=?1 AND normalized_score IS NOT NULL),"
         "       (SELECT normalized_score FROM evaluations "
         "        WHERE run_id=?1 AND normalized_score IS NOT NULL "
         "        ORDER BY step DESC, rowid DESC LIMIT 1)");
  s.bind_int(1, run_id);
  if (!s.step() || s.is_null(0)) return std::nullopt;
  return std::make_pair(s.real(0), s.real(1));
}

// ---- events ----

std::int64_t RunStore::add_event(std::int64_t run_id, std::int64_t step, const std::string& kind,
                                 const std::string& payload_json) {
  const std::string payload = payload_json.empty() ? std::string("{}") : payload_json;
  if (!nlohmann::json::accept(payload))
    throw StoreError(path_ + ": event '" + kind + "' payload is not valid JSON");
  Stmt s(db_.get(), path_, "INSERT INTO events(run_id,step,kind,payload,created) VALUES(?1,?2,?3,?4,?5)");
  s.bind_int(1, run_id).bind_int(2, step).bind_text(3, kind).bind_text(4, payload).bind_text(5, now_iso());
  s.run();
  return sqlite3_last_insert_rowid(db_.get());
}

std::vector<EventRecord> RunStore::events(std::int64_t run_id) {
  Stmt s(db_.get(), path_,
         "SELECT id,step,kind,payload,created FROM events WHERE run_id=?1 ORDER BY step, id");
  s.bind_int(1, run_id);
  std::vector<EventRecord> out;
  while (s.step()) out.push_back({s.i64(0), s.i64(1), s.text(2), s.text(3), s.text(4)});
  return out;
}

// ---- histograms ----

void RunStore::add_histogram(std::int64_t run_id, const HistogramRecord& h) {
  Stmt s(db_.get(), path_,
         "INSERT INTO histograms(run_id,step,name,edges_json,counts_json) VALUES(?1,?2,?3,?4,?5)");
  s.bind_int(1, run_id).bind_int(2, h.step).bind_text(3, h.name).bind_text(4, to_json(h.edges))
      .bind_text(5, to_json(h.counts));
  s.run();
}

std::vector<HistogramRecord> RunStore::read_histograms(std::int64_t run_id, const std::string* name) {
  Stmt s(db_.get(), path_,
         name ? "SELECT step,name,edges_json,counts_json FROM histograms "
                "WHERE run_id=?1 AND name=?2 ORDER BY step, rowid"
              : "SELECT step,name,edges_json,counts_json FROM histograms "
                "WHERE run_id=?1 ORDER BY step, name, rowid");
  s.bind_int(1, run_id);
  if (name) s.bind_text(2, *name);
  std::vector<HistogramRecord> out;
  while (s.step()) out.push_back({s.i64(0), s.text(1), from_json(s.text(2)), from_json(s.text(3))});
  return out;
}

std::vector<HistogramRecord> RunStore::histograms(std::int64_t run_id) {
  return read_histograms(run_id, nullptr);
}

std::vector<HistogramRecord> RunStore::histograms(std::int64_t run_id, const std::string& name) {
  return read_histograms(run_id, &name);
}

// ---- checkpoints ----

void RunStore::add_checkpoint(std::int64_t run_id, const CheckpointRecord& c) {
  Stmt s(db_.get(), path_, "INSERT INTO checkpoints(run_id,step,path,sha256) VALUES(?1,?2,?3,?4)");
  s.bind_int(1, run_id).bind_int(2, c.step).bind_text(3, c.path).bind_text(4, c.sha256);
  s.run();
}

std::vector<CheckpointRecord> RunStore::checkpoints(std::int64_t run_id) {
  Stmt s(db_.get(), path_, "SELECT step,path,sha256 FROM checkpoints WHERE run_id=?1 ORDER BY step, rowid");
  s.bind_int(1, run_id);
  std::vector<CheckpointRecord> out;
  while (s.step()) out.push_back({s.i64(0), s.text(1), s.text(2)});
  return out;
}

std::optional<CheckpointRecord> RunStore::latest_checkpoint(std::int64_t run_id) {
  Stmt s(db_.get(), path_,
         "SELECT step,path,sha256 FROM checkpoints WHERE run_id=?1 ORDER BY step DESC, rowid DESC LIMIT 1");
  s.bind_int(1, run_id);
  if (!s.step()) return std::nullopt;
  return CheckpointRecord{s.i64(0), s.text(1), s.text(2)};
}

}  // namespace iql
