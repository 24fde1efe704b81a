// RunStore's final_evaluations table (schema 4): one checkpoint played for many episodes, with every
// episode's return as a JSON array. Its own file, per table, as run_store.cpp grows.
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "core/store/run_store.h"
#include "core/store/sqlite_stmt.h"
#include "core/util/errors.h"

namespace iql {
using store_detail::Stmt;

namespace {
constexpr int kFinalEvaluationsSchema = 4;  // the migration that added the table
}

void RunStore::add_final_evaluation(std::int64_t run_id, const FinalEvaluationRecord& f) {
  if (f.episodes < 1) throw StoreError(path_ + ": a final evaluation needs at least one episode");
  // ISO 8601 UTC with milliseconds, as every other timestamp in the store
  Stmt s(db_.get(), path_,
         "INSERT OR REPLACE INTO final_evaluations(run_id,step,episodes,seed,return_mean,return_std,"
         "normalized_score,returns_json,created) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,"
         "strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
  s.bind_int(1, run_id)
      .bind_int(2, f.step)
      .bind_int(3, f.episodes)
      .bind_int(4, f.seed)
      .bind_real(5, f.return_mean)
      .bind_real(6, f.return_std)
      .bind_opt_real(7, f.normalized_score)
      .bind_text(8, nlohmann::json(f.returns).dump());
  s.run();
}

std::vector<FinalEvaluationRecord> RunStore::final_evaluations(std::int64_t run_id) {
  std::vector<FinalEvaluationRecord> out;
  if (file_version_ < kFinalEvaluationsSchema) return out;  // an older read-only file has no such table
  Stmt s(db_.get(), path_,
         "SELECT step,episodes,seed,return_mean,return_std,normalized_score,returns_json,created "
         "FROM final_evaluations WHERE run_id=?1 ORDER BY step, created, rowid");
  s.bind_int(1, run_id);
  while (s.step()) {
    FinalEvaluationRecord f;
    f.step = s.i64(0);
    f.episodes = int(s.i64(1));
    f.seed = s.i64(2);
    f.return_mean = s.real(3);
    f.return_std = s.real(4);
    if (!s.is_null(5)) f.normalized_score = s.real(5);
    const auto returns = nlohmann::json::parse(s.text(6), nullptr, false);
    if (returns.is_array())
      for (const auto& r : returns)
        if (r.is_number()) f.returns.push_back(r.get<double>());
    f.created = s.text(7);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace iql
