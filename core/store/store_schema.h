// The run store's schema as an ordered list of migrations (PRAGMA user_version = how many have run).
// Store-private.
#pragma once
#include <sqlite3.h>

#include <string>
#include <vector>

namespace iql::store_detail {

// kMigrations()[k-1] brings user_version k-1 to k.
const std::vector<std::string>& migrations();
// Brings the database to the latest version, one migration per transaction, re-reading the version
// under the write lock (another process may migrate at the same time). StoreError when the file is
// newer than this program.
void migrate(sqlite3* db, const std::string& path);
// PRAGMA user_version.
int schema_version(sqlite3* db, const std::string& path);

}  // namespace iql::store_detail
