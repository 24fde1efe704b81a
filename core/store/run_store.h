// SQLite store for training runs: run metadata, metric series, evaluations, events, histograms
// and checkpoints. Torch-free and Qt-free.
//
// Threading: one RunStore is one sqlite3 connection and must be used by one thread only. Each
// thread (GUI, every training worker, CLI) opens its own RunStore on the same file; WAL mode and a
// busy timeout let them read while one writes. Do not carry an open RunStore across fork().
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace iql {

struct RunInfo {
  std::int64_t id = 0;  // assigned by create_run
  std::string name;
  std::string created;  // ISO 8601 UTC; filled by create_run when empty
  std::string updated;  // last training write (status, steps); renaming, tags and notes leave it
  std::string status = "running";  // running|paused|finished|stopped|failed|interrupted
  std::string algorithm;
  std::string dataset;
  std::string env;
  std::string physics;
  std::string config_json = "{}";
  std::int64_t seed = 0;
  std::vector<std::string> tags;  // stored comma-separated: a tag cannot contain ','
  std::string notes;
  std::int64_t steps = 0;  // last step reached
  std::optional<std::int64_t> parent_run_id;
  std::string phase = "offline";
  // Population training: members of one population share this id; member index within it.
  std::string population_id;
  std::optional<std::int64_t> population_member;
};

struct MetricPoint {
  std::int64_t step = 0;
  std::string key;
  double value = 0.0;  // NaN round-trips (SQLite stores it as NULL)
};

struct EvaluationRecord {
  std::int64_t step = 0;
  double return_mean = 0.0;
  double return_std = 0.0;
  std::optional<double> normalized_score;
  int episodes = 0;
};

struct EventRecord {
  std::int64_t id = 0;  // assigned by add_event
  std::int64_t step = 0;
  std::string kind;
  std::string payload_json = "{}";
  std::string created;  // filled by add_event
};

struct HistogramRecord {
  std::int64_t step = 0;
  std::string name;
  std::vector<double> edges;
  std::vector<double> counts;
};

struct CheckpointRecord {
  std::int64_t step = 0;
  std::string path;
  std::string sha256;
};

// One checkpoint played for many episodes after training (core/train/final_evaluation.h): every
// episode's return is kept, so a figure can say how many episodes and which seed it rests on.
struct FinalEvaluationRecord {
  std::int64_t step = 0;  // the checkpoint's step
  int episodes = 0;
  std::int64_t seed = 0;  // of the evaluation environments
  double return_mean = 0.0;
  double return_std = 0.0;  // Population convention (n), as evaluations report it
  std::optional<double> normalized_score;  // of return_mean; none where the env has no reference scores
  std::vector<double> returns;  // one per episode
  std::string created;  // filled by add_final_evaluation
};

// One offline policy estimator's value of one checkpoint's policy (core/ope/offline_evaluation.h):
// value on the scale of an episode's return (or, for an error such as a TD error, the error itself,
// with no normalised score), the D4RL-normalised score where the env has references, and the
// estimator's own figures (discounted value, horizon, interval, settings) as JSON.
struct OpeEstimateRecord {
  std::int64_t step = 0;  // the checkpoint's step
  std::string method;     // "fqe", "critic_q_s0", "critic_v_s0", "critic_td_error", ...
  double value = 0.0;
  std::optional<double> normalized_score;
  std::string details_json = "{}";
  std::string created;  // filled by add_ope_estimate
};

class RunStore {
public:
  enum class Mode {
    // Opens or creates the database, migrates it to the latest schema and marks runs whose writer
    // process is gone (on this host) as 'interrupted'.
    read_write,
    // Never writes the database (SQLITE_OPEN_READONLY; no migration, no marking): for listing,
    // showing and exporting. A missing file reads as an empty store. get_run/list_runs report a
    // running run whose writer is gone as 'interrupted' without storing that.
    read_only,
  };
  // Throws StoreError naming the path on failure.
  explicit RunStore(const std::string& path, Mode mode = Mode::read_write);
  ~RunStore();
  RunStore(RunStore&&) noexcept;
  RunStore& operator=(RunStore&&) noexcept;
  RunStore(const RunStore&) = delete;
  RunStore& operator=(const RunStore&) = delete;

  // $XDG_DATA_HOME/iql-workbench/runs.db, else ~/.local/share/iql-workbench/runs.db; the
  // directory is created.
  static std::string default_path();
  // Number of migrations, i.e. the user_version of an up-to-date database.
  static int latest_schema_version();
  static std::string sha256_file(const std::string& path);

  const std::string& path() const { return path_; }
  bool read_only() const { return mode_ == Mode::read_only; }
  int schema_version();                // PRAGMA user_version
  std::string journal_mode();          // "wal" for a file database
  std::string integrity_check();       // "ok" when healthy

  // Runs. The calling process (host, boot, pid, start time) is recorded as the run's writer.
  std::int64_t create_run(const RunInfo& info);
  std::optional<RunInfo> get_run(std::int64_t id);
  std::vector<RunInfo> list_runs();  // newest first
  // Setting 'running' or 'paused' also makes the calling process the run's writer (resume).
  void update_status(std::int64_t id, const std::string& status);
  void set_steps(std::int64_t id, std::int64_t step);
  void rename_run(std::int64_t id, const std::string& name);
  void set_tags(std::int64_t id, const std::vector<std::string>& tags);
  void set_notes(std::int64_t id, const std::string& notes);
  void delete_run(std::int64_t id);  // cascades to every table
  // Before resuming a run from its checkpoint at `step`: deletes what it recorded after that step
  // (metrics, evaluations, histograms, checkpoint records), since the resumed run records it again;
  // its stored history then equals an uninterrupted run's. Events (a log) are kept.
  void forget_after(std::int64_t id, std::int64_t step);
  // Any 'running'/'paused' run whose writer ran on this host and is gone (no such process, a
  // different process start time under its pid, or an earlier boot) becomes 'interrupted'. Runs
  // written on other hosts are never touched. Returns how many runs were marked. Called by the
  // read-write constructor; StoreError on a read-only store.
  int mark_interrupted_runs();

  // Metrics: one transaction, one prepared statement; a repeated (key, step) replaces.
  void append_metrics(std::int64_t run_id, const std::vector<MetricPoint>& points);
  // The same, and the run's step count, in one transaction: a crash never separates them.
  void append_metrics(std::int64_t run_id, const std::vector<MetricPoint>& points, std::int64_t steps);
  std::vector<MetricPoint> metrics(std::int64_t run_id);  // sorted by step, then key
  std::vector<std::pair<std::int64_t, double>> metric_series(std::int64_t run_id,
                                                             const std::string& key);
  std::vector<std::string> metric_keys(std::int64_t run_id);  // sorted
  void export_csv(std::int64_t run_id, std::ostream& out);    // step,key,value

  void add_evaluation(std::int64_t run_id, const EvaluationRecord& e);
  std::vector<EvaluationRecord> evaluations(std::int64_t run_id);  // by step
  // (max normalized score, last normalized score) over evaluations that have one.
  std::optional<std::pair<double, double>> best_and_final_score(std::int64_t run_id);

  // payload_json must be valid JSON (empty means {}). Returns the event id.
  std::int64_t add_event(std::int64_t run_id, std::int64_t step, const std::string& kind,
                         const std::string& payload_json);
  std::vector<EventRecord> events(std::int64_t run_id);  // by step, then id

  void add_histogram(std::int64_t run_id, const HistogramRecord& h);
  std::vector<HistogramRecord> histograms(std::int64_t run_id);  // by step, then name
  std::vector<HistogramRecord> histograms(std::int64_t run_id, const std::string& name);

  void add_checkpoint(std::int64_t run_id, const CheckpointRecord& c);
  std::vector<CheckpointRecord> checkpoints(std::int64_t run_id);  // by step
  std::optional<CheckpointRecord> latest_checkpoint(std::int64_t run_id);

  // Final evaluations (schema 4; core/store/final_evaluations.cpp). A repeated (step, episodes, seed)
  // replaces. Reading a file of an older schema (read-only, not migrated) gives none.
  void add_final_evaluation(std::int64_t run_id, const FinalEvaluationRecord& f);
  std::vector<FinalEvaluationRecord> final_evaluations(std::int64_t run_id);  // by step, then created
  // Offline policy estimates (schema 4; core/store/ope_estimates.cpp). A repeated (step, method)
  // replaces. Reading a file of an older schema (read-only, not migrated) gives none.
  void add_ope_estimate(std::int64_t run_id, const OpeEstimateRecord& e);
  std::vector<OpeEstimateRecord> ope_estimates(std::int64_t run_id);  // by step, then method

private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  void exec(const std::string& sql);
  void open_file(int flags);
  void switch_to_wal();
  std::string run_columns() const;
  void insert_metrics(std::int64_t run_id, const std::vector<MetricPoint>& points);
  void migrate();
  void touch_run(std::int64_t id, const char* set_clause, const std::string& value, bool training_write);
  std::vector<HistogramRecord> read_histograms(std::int64_t run_id, const std::string* name);

  std::string path_;
  Mode mode_ = Mode::read_write;
  int file_version_ = 0;  // schema version of the file as opened (read-only stores are not migrated)
  std::unique_ptr<sqlite3, Closer> db_;
};

}  // namespace iql
