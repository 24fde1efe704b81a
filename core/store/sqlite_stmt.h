// Thin RAII helpers over the SQLite C API for the store's .cpp files (store-private header).
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "core/util/errors.h"

namespace iql::store_detail {

// Thin RAII wrapper over a prepared statement; every failure throws StoreError naming the file.
class Stmt {
public:
  Stmt(sqlite3* db, const std::string& path, const char* sql) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) fail("prepare");
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind_int(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind_real(int i, double v) { return check(sqlite3_bind_double(s_, i, v)); }
  Stmt& bind_text(int i, const std::string& v) {
    return check(sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& bind_null(int i) { return check(sqlite3_bind_null(s_, i)); }
  Stmt& bind_opt_real(int i, const std::optional<double>& v) {
    return v ? bind_real(i, *v) : bind_null(i);
  }
  Stmt& bind_opt_int(int i, const std::optional<std::int64_t>& v) {
    return v ? bind_int(i, *v) : bind_null(i);
  }

  // True while a row is available.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail("step");
  }
  // Executes a statement that returns no rows and makes it reusable.
  void run() {
    step();
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  double real(int c) const {
    return is_null(c) ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(s_, c);
  }
  std::string text(int c) const {
    const auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string(p, std::size_t(sqlite3_column_bytes(s_, c))) : std::string();
  }

private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK) fail("bind");
    return *this;
  }
  [[noreturn]] void fail(const char* what) {
    throw StoreError(path_ + ": sqlite " + what + " failed: " + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  const std::string& path_;
  sqlite3_stmt* s_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front, so a busy database waits (busy_timeout) at the
// start instead of failing halfway. Rolls back unless commit() was reached.
class Transaction {
public:
  Transaction(sqlite3* db, const std::string& path) : db_(db), path_(path) {
    exec("BEGIN IMMEDIATE");
  }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    exec("COMMIT");
    done_ = true;
  }

private:
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw StoreError(path_ + ": " + sql + " failed: " + msg);
    }
  }
  sqlite3* db_;
  const std::string& path_;
  bool done_ = false;
};

// Runs SQL that returns no rows; StoreError naming the file on failure.
inline void exec_sql(sqlite3* db, const std::string& path, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw StoreError(path + ": " + msg);
  }
}

}  // namespace iql::store_detail
