// `iql sweep collect`: merges every task's shard store into a main run store. Each shard is ATTACHed
// read-only (mode=ro), so collecting never writes, locks or migrates a running task's store; one
// transaction per shard copies what is new since the last collect, using a link table in the main
// store (sweep_links: sweep id, task, shard run id -> main run id, population id, and per-table high-water
// marks). Collecting twice changes nothing; collecting while tasks run adds what they committed since.
// Runs keep their links: the sweep id and population id (sweep_links), the parent run (mapped to its
// main id), checkpoints (paths in the sweep folder) and events.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace iql {

class SweepFolder;

struct CollectStats {
  int shards = 0;           // shards read
  int runs_added = 0;       // new runs in the main store
  int runs_updated = 0;     // runs already there whose status or steps moved on
  // runs copied again from the start: the shard resumed them from a checkpoint after an earlier collect
  // (rows past the checkpoint were forgotten there), or deleted and started them again
  int runs_recopied = 0;
  int64_t rows_copied = 0;  // metrics, evaluations, histograms, checkpoints and events
  int skipped_running = 0;  // shards still written on another host: collected once their task ends
  std::vector<std::string> errors;  // shards that could not be read (named), the rest are collected
  double seconds = 0;
};

// main_db is created (schema migrated) when new. A shard whose task is running on another host is left
// for later: WAL's shared memory is only coherent on the writer's host, so reading it from here could
// see a torn snapshot; once the task ends its store is closed (WAL folded back) and safe to read anywhere.
CollectStats collect_sweep(const SweepFolder& folder, const std::string& main_db,
                           const std::function<void(int done, int total)>& progress = {});

// The main run ids collected from a sweep, in member order (for the GUI and tests).
std::vector<int64_t> collected_runs(const std::string& main_db, const std::string& sweep_id);

}  // namespace iql
