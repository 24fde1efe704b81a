// RunStore's ope_estimates table (schema 4): offline policy estimates per run, checkpoint step and
// method. Its own file, per table, as run_store.cpp grows.
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "core/store/run_store.h"
#include "core/store/sqlite_stmt.h"
#include "core/util/errors.h"

namespace iql {
using store_detail::Stmt;

namespace {
constexpr int kOpeEstimatesSchema = 4;  // the migration that added the table
}

void RunStore::add_ope_estimate(std::int64_t run_id, const OpeEstimateRecord& e) {
  if (e.method.empty()) throw StoreError(path_ + ": an offline estimate needs a method name");
  const std::string details = e.details_json.empty() ? "{}" : e.details_json;
  if (!nlohmann::json::accept(details)) throw StoreError(path_ + ": details of '" + e.method + "' are not valid JSON");
  Stmt s(db_.get(), path_,
         "INSERT OR REPLACE INTO ope_estimates(run_id,step,method,value,normalized_score,details_json,created) "
         "VALUES(?1,?2,?3,?4,?5,?6,strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
  s.bind_int(1, run_id).bind_int(2, e.step).bind_text(3, e.method).bind_real(4, e.value);
  s.bind_opt_real(5, e.normalized_score).bind_text(6, details);
  s.run();
}

std::vector<OpeEstimateRecord> RunStore::ope_estimates(std::int64_t run_id) {
  std::vector<OpeEstimateRecord> out;
  if (file_version_ < kOpeEstimatesSchema) return out;  // an older read-only file has no such table
  Stmt s(db_.get(), path_,
         "SELECT step,method,value,normalized_score,details_json,created FROM ope_estimates "
         "WHERE run_id=?1 ORDER BY step, method");
  s.bind_int(1, run_id);
  while (s.step()) {
    OpeEstimateRecord e;
    e.step = s.i64(0);
    e.method = s.text(1);
    e.value = s.real(2);
    if (!s.is_null(3)) e.normalized_score = s.real(3);
    e.details_json = s.text(4);
    e.created = s.text(5);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace iql
