// Which runs count as interrupted: only runs written on this host whose process is gone (no such
// pid, a reused pid with another start time, or an earlier boot). Runs of other hosts are never
// touched, and a read-only open never writes the database file.
#include <QtTest/QtTest>

#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/store/run_store.h"
#include "core/store/writer_identity.h"
#include "core/util/errors.h"

using iql::RunStore;

namespace {

pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  int st = 0;
  waitpid(pid, &st, 0);
  return pid;
}

std::string file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct timespec mtime(const std::string& path) {
  struct stat st {};
  stat(path.c_str(), &st);
  return st.st_mtim;
}

// Raw SQL on the file, bypassing RunStore (to set up writer columns and to read the stored status).
void sql(const std::string& path, const std::string& text) {
  sqlite3* db = nullptr;
  QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  QVERIFY2(rc == SQLITE_OK, msg.c_str());
}

std::string stored_status(const std::string& path, std::int64_t id) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, ("SELECT status FROM runs WHERE id=" + std::to_string(id)).c_str(), -1, &s, nullptr);
  std::string out = sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "";
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

std::string q(const std::string& s) { return "'" + s + "'"; }

}  // namespace

class TestRunStoreLiveness : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    path_ = dir_->filePath("runs.db").toStdString();
  }
  void cleanup() { dir_.reset(); }

  void identityOfThisProcess() {
    const auto& me = iql::WriterIdentity::current();
    QCOMPARE(me.pid, std::int64_t(getpid()));
    QVERIFY(!me.host.empty());
    QVERIFY(me.start_ticks.has_value());
    QCOMPARE(iql::process_start_ticks(getpid()), me.start_ticks);
    // the parent started no later than this process
    QVERIFY(*iql::process_start_ticks(getppid()) <= *me.start_ticks);
    QVERIFY(!iql::process_start_ticks(dead_pid()).has_value());
  }

  // /proc/<pid>/stat's command name may hold spaces and ')': the start time is still field 22.
  void startTimeParsesPastOddCommandNames() {
    int to_child[2], to_parent[2];
    QVERIFY(pipe(to_child) == 0 && pipe(to_parent) == 0);
    const pid_t pid = fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
      char c;
      if (read(to_child[0], &c, 1) != 1) _exit(1);
      prctl(PR_SET_NAME, "x) 1 2 3 4 5", 0, 0, 0);
      if (write(to_parent[1], "r", 1) != 1) _exit(1);
      if (read(to_child[0], &c, 1) != 1) _exit(1);
      _exit(0);
    }
    const auto before = iql::process_start_ticks(pid);
    char c = 'g';
    QCOMPARE(write(to_child[1], &c, 1), ssize_t(1));
    QCOMPARE(read(to_parent[0], &c, 1), ssize_t(1));  // renamed
    const std::string stat = file_bytes("/proc/" + std::to_string(pid) + "/stat");
    const auto after = iql::process_start_ticks(pid);
    QCOMPARE(write(to_child[1], &c, 1), ssize_t(1));
    int st = 0;
    waitpid(pid, &st, 0);
    QVERIFY2(stat.find("(x) 1 2 3 4 5)") != std::string::npos, stat.c_str());
    QVERIFY(before.has_value());
    QCOMPARE(after, before);
  }

  // The case of the issue: a dead writer on this host. A read-only open reports it interrupted but
  // leaves the file byte for byte (and its mtime) as it was; a read-write open stores the mark.
  void readOnlyOpenNeverWrites() {
    const pid_t pid = fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
      int rc = 0;
      try {
        RunStore store(path_);
        iql::RunInfo r;
        r.name = "child";
        store.create_run(r);
      } catch (...) {
        rc = 1;
      }
      _exit(rc);
    }
    int st = 0;
    QCOMPARE(waitpid(pid, &st, 0), pid);
    QVERIFY(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    QVERIFY(!QFile::exists(QString::fromStdString(path_ + "-wal")) ||
            QFileInfo(QString::fromStdString(path_ + "-wal")).size() == 0);
    const std::string bytes = file_bytes(path_);
    const auto t0 = mtime(path_);
    {
      RunStore reader(path_, RunStore::Mode::read_only);
      QVERIFY(reader.read_only());
      const auto runs = reader.list_runs();
      QCOMPARE(runs.size(), std::size_t(1));
      QCOMPARE(runs[0].status, std::string("interrupted"));  // as shown to the user
      QCOMPARE(reader.get_run(1)->status, std::string("interrupted"));
      QVERIFY(reader.metrics(1).empty());
      // every write is refused with the path
      try {
        reader.rename_run(1, "x");
        QFAIL("expected StoreError");
      } catch (const iql::StoreError& e) {
        QVERIFY(std::string(e.what()).find(path_) != std::string::npos);
      }
      QVERIFY_THROWS_EXCEPTION(iql::StoreError, reader.mark_interrupted_runs());
    }
    QCOMPARE(file_bytes(path_), bytes);
    const auto t1 = mtime(path_);
    QVERIFY(t1.tv_sec == t0.tv_sec && t1.tv_nsec == t0.tv_nsec);
    QCOMPARE(stored_status(path_, 1), std::string("running"));  // still as the writer left it

    RunStore writer(path_);
    QCOMPARE(stored_status(path_, 1), std::string("interrupted"));
    QCOMPARE(writer.get_run(1)->status, std::string("interrupted"));
  }

  void readOnlyOfMissingFileIsEmptyAndCreatesNothing() {
    RunStore reader(path_, RunStore::Mode::read_only);
    QVERIFY(reader.list_runs().empty());
    QVERIFY(!reader.get_run(1));
    QVERIFY(!QFile::exists(QString::fromStdString(path_)));
  }

  void otherHostsAreNeverTouched() {
    std::int64_t id;
    {
      RunStore store(path_);
      id = store.create_run(iql::RunInfo{});
    }
    // Written on another node with a pid that means nothing here (here it is dead).
    sql(path_, "UPDATE runs SET writer_host='node-elsewhere-17', writer_pid=" + std::to_string(dead_pid()) +
                   ", writer_start=1 WHERE id=" + std::to_string(id));
    RunStore store(path_);
    QCOMPARE(store.mark_interrupted_runs(), 0);
    QCOMPARE(store.get_run(id)->status, std::string("running"));
    RunStore reader(path_, RunStore::Mode::read_only);
    QCOMPARE(reader.get_run(id)->status, std::string("running"));
  }

  // A live process holds the recorded pid, but it started at another time: the writer is gone.
  void reusedPidIsNotTheWriter() {
    const auto& me = iql::WriterIdentity::current();
    const pid_t parent = getppid();
    const auto parent_start = iql::process_start_ticks(parent);
    QVERIFY(parent_start.has_value());
    std::int64_t reused, same;
    {
      RunStore store(path_);
      reused = store.create_run(iql::RunInfo{});
      same = store.create_run(iql::RunInfo{});
    }
    const std::string where = ", writer_host=" + q(me.host) + ", writer_boot_id=" + q(me.boot_id) + " WHERE id=";
    sql(path_, "UPDATE runs SET writer_pid=" + std::to_string(parent) + ", writer_start=" +
                   std::to_string(*parent_start + 12345) + where + std::to_string(reused));
    sql(path_, "UPDATE runs SET writer_pid=" + std::to_string(parent) + ", writer_start=" +
                   std::to_string(*parent_start) + where + std::to_string(same));
    RunStore store(path_);
    QCOMPARE(store.get_run(reused)->status, std::string("interrupted"));
    QCOMPARE(store.get_run(same)->status, std::string("running"));  // that process is the writer
  }

  // Same host, earlier boot: whatever runs under that pid now, the writer died with the boot.
  void earlierBootIsGone() {
    const auto& me = iql::WriterIdentity::current();
    if (me.boot_id.empty()) QSKIP("no /proc/sys/kernel/random/boot_id on this system");
    std::int64_t id;
    {
      RunStore store(path_);
      id = store.create_run(iql::RunInfo{});
    }
    sql(path_, "UPDATE runs SET writer_boot_id='00000000-0000-0000-0000-000000000000', writer_pid=" +
                   std::to_string(getppid()) + " WHERE id=" + std::to_string(id));
    RunStore store(path_);
    QCOMPARE(store.get_run(id)->status, std::string("interrupted"));
  }

  // Resuming makes the resuming process the writer (host, boot, pid and start time).
  void resumeRecordsTheNewWriter() {
    std::int64_t id;
    {
      RunStore store(path_);
      id = store.create_run(iql::RunInfo{});
    }
    sql(path_, "UPDATE runs SET status='interrupted', writer_host='old-node', writer_pid=1, writer_start=1 WHERE id=" +
                   std::to_string(id));
    RunStore store(path_);
    store.update_status(id, "running");
    RunStore other(path_);  // another connection judges it alive: it is this process
    QCOMPARE(other.get_run(id)->status, std::string("running"));
    QCOMPARE(other.mark_interrupted_runs(), 0);
  }

private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::string path_;
};

QTEST_GUILESS_MAIN(TestRunStoreLiveness)
#include "test_run_store_liveness.moc"
