// Real crash test: a child process writes metrics in committed batches and is SIGKILLed mid-run.
// The database must be intact, hold every batch the child reported as committed, and show the
// run as 'interrupted'. Synchronisation is by pipe only (no sleeps).
#include <QtTest/QtTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>

#include "core/store/run_store.h"

using iql::RunStore;

namespace {

constexpr int kBatch = 100;
const char* kKeys[] = {"loss/q", "loss/v"};

bool write_all(int fd, const void* data, std::size_t n) {
  auto p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= std::size_t(w);
  }
  return true;
}

// Reads exactly one int64; false on EOF or error.
bool read_i64(int fd, std::int64_t* v) {
  auto p = reinterpret_cast<char*>(v);
  std::size_t got = 0;
  while (got < sizeof *v) {
    const ssize_t r = read(fd, p + got, sizeof *v - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += std::size_t(r);
  }
  return true;
}

// Child: sends the run id, then after each committed batch the last step in it. Never returns.
[[noreturn]] void writer_child(const std::string& path, int fd) {
  signal(SIGPIPE, SIG_DFL);  // parent gone -> die
  try {
    RunStore store(path);
    iql::RunInfo info;
    info.name = "crash";
    const std::int64_t id = store.create_run(info);
    if (!write_all(fd, &id, sizeof id)) _exit(2);
    std::vector<iql::MetricPoint> batch;
    for (std::int64_t step = 0;;) {
      batch.clear();
      for (int i = 0; i < kBatch; ++i, ++step)
        for (const char* key : kKeys) batch.push_back({step, key, double(step)});
      store.append_metrics(id, batch);  // one transaction
      store.set_steps(id, step - 1);
      const std::int64_t last = step - 1;
      if (!write_all(fd, &last, sizeof last)) _exit(3);
    }
  } catch (...) {
    _exit(1);
  }
}

}  // namespace

class TestRunStoreCrash : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void killedWriterLeavesConsistentDb() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("runs.db").toStdString();

    int fds[2];
    QCOMPARE(pipe(fds), 0);
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      close(fds[0]);
      writer_child(path, fds[1]);
    }
    close(fds[1]);

    std::int64_t run_id = 0;
    QVERIFY2(read_i64(fds[0], &run_id), "child died before creating its run");
    std::vector<std::int64_t> committed;
    std::int64_t last = 0;
    while (committed.size() < 5 && read_i64(fds[0], &last)) committed.push_back(last);
    QCOMPARE(kill(child, SIGKILL), 0);
    int wstatus = 0;
    QCOMPARE(waitpid(child, &wstatus, 0), child);
    QVERIFY(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
    // batches committed between our last read and the kill count too
    while (read_i64(fds[0], &last)) committed.push_back(last);
    close(fds[0]);
    QVERIFY(committed.size() >= 5);

    RunStore store(path);
    QCOMPARE(store.integrity_check(), std::string("ok"));
    store.mark_interrupted_runs();
    const auto run = store.get_run(run_id);
    QVERIFY(run.has_value());
    QCOMPARE(run->status, std::string("interrupted"));
    QVERIFY(run->steps >= committed.back());  // set_steps commits before the step is reported

    // Every reported batch is there, completely; a torn batch would break the count.
    const auto series = store.metric_series(run_id, kKeys[0]);
    QVERIFY(std::int64_t(series.size()) >= committed.back() + 1);
    QVERIFY(series.size() % kBatch == 0);
    for (std::size_t i = 0; i < series.size(); ++i) {
      QCOMPARE(series[i].first, std::int64_t(i));
      QCOMPARE(series[i].second, double(i));
    }
    QCOMPARE(store.metric_series(run_id, kKeys[1]).size(), series.size());
  }
};

QTEST_GUILESS_MAIN(TestRunStoreCrash)
#include "test_run_store_crash.moc"
