// Issue 23: the same config and seed with the default threads (0, auto) store bit-identical numbers
// whatever else trains on the machine, and a stopped run resumed under another load continues as if
// it had never stopped. "Another training" is a TrainingSlot held by the test, exactly what a second
// training process registers (the count the old "fair share" divided the cores by), so the load is
// there for the whole run without timing. The thread count changes the rounding (GEMM blocking,
// reductions), so a count that followed the load would break these comparisons on a multi-core machine.
#include <QtTest/QtTest>

#include <sched.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <memory>

#include "core/runtime/training_slots.h"
#include "core/store/run_store.h"
#include "core/train/training_run.h"

using namespace iql;

namespace {

TrainConfig default_threads_config(int64_t steps) {
  TrainConfig c;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 64;
  c.batch_size = 128;
  c.steps = steps;
  c.eval_interval = 100;
  c.eval_episodes = 2;
  c.probe_interval = 100;
  c.log_interval = 10;
  c.seed = 7;
  c.threads = 0;  // the default under test
  return c;
}

// (step, key) -> value, metrics and evaluations together
std::map<std::pair<int64_t, std::string>, double> stored_numbers(RunStore& s, int64_t run) {
  std::map<std::pair<int64_t, std::string>, double> out;
  for (auto& m : s.metrics(run)) out[{m.step, m.key}] = m.value;
  for (auto& e : s.evaluations(run)) out[{e.step, "eval_return_mean"}] = e.return_mean;
  return out;
}

// Every number of `expected` from step `from` on is in `got`, bit for bit; returns how many.
int compare_from(const std::map<std::pair<int64_t, std::string>, double>& expected,
                 const std::map<std::pair<int64_t, std::string>, double>& got, int64_t from) {
  int compared = 0;
  for (auto& [key, v] : expected) {
    if (key.first < from) continue;
    auto it = got.find(key);
    if (it == got.end()) {
      qWarning("missing %s @ %lld", key.second.c_str(), static_cast<long long>(key.first));
      return -1;
    }
    if (!(it->second == v)) {
      qWarning("%s @ %lld: %.17g, expected %.17g", key.second.c_str(), static_cast<long long>(key.first), it->second, v);
      return -1;
    }
    ++compared;
  }
  return compared;
}

// The thread counts the run's 'runtime' events recorded, in order (one per start or resume).
std::vector<int> recorded_threads(RunStore& s, int64_t run) {
  std::vector<int> out;
  for (auto& e : s.events(run))
    if (e.kind == "runtime")
      out.push_back(QJsonDocument::fromJson(QByteArray::fromStdString(e.payload_json)).object()["threads"].toInt());
  return out;
}

struct Db {
  QString dir;
  RunOptions options;
  explicit Db(const QString& root, const QString& name) : dir(root + "/" + name) {
    QDir().mkpath(dir);
    options.db_path = (dir + "/runs.db").toStdString();
  }
};

// Runs `cfg` into db; with `others` > 0, that many other trainings are registered on the machine
// for the whole run. stop_at > 0: stop after that step's metrics.
RunOutcome train(const TrainConfig& cfg, RunOptions opt, int others, int64_t stop_at = 0) {
  std::vector<std::unique_ptr<runtime::TrainingSlot>> load;
  for (int i = 0; i < others; ++i) load.push_back(std::make_unique<runtime::TrainingSlot>());
  RunControl control;
  RunCallbacks cb;
  if (stop_at > 0)
    cb.on_metrics = [&](const StepMetrics& m) {
      if (m.step == stop_at) control.request_stop();
    };
  return run_training(cfg, opt, control, cb);
}

// Pins the calling thread to its first allowed CPU while it lives (affinity is per thread on Linux).
class OneCpu {
public:
  OneCpu() {
    sched_getaffinity(0, sizeof(old_), &old_);
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &old_)) {
        CPU_SET(c, &one);
        break;
      }
    sched_setaffinity(0, sizeof(one), &one);
  }
  ~OneCpu() { sched_setaffinity(0, sizeof(old_), &old_); }

private:
  cpu_set_t old_;
};

}  // namespace

class TestThreadReproducibility : public QObject {
  Q_OBJECT
  QTemporaryDir home_;  // built-in dataset cache (XDG_DATA_HOME) for this test only
  QByteArray old_xdg_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    old_xdg_ = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", home_.path().toUtf8());
  }
  void cleanupTestCase() {
    if (old_xdg_.isNull()) qunsetenv("XDG_DATA_HOME");
    else qputenv("XDG_DATA_HOME", old_xdg_);
  }

  // The default resolves to the CPUs this process may use, capped, never below one.
  void defaultIsTheAllowedCpusCapped() {
    cpu_set_t set;
    CPU_ZERO(&set);
    QCOMPARE(sched_getaffinity(0, sizeof(set), &set), 0);
    const int allowed = std::min(CPU_COUNT(&set), runtime::machine_cores());
    QCOMPARE(runtime::default_training_threads(), std::max(1, std::min(allowed, runtime::kMaxAutoThreads)));
    OneCpu pinned;
    QCOMPARE(runtime::default_training_threads(), 1);
  }

  // Alone, and beside other trainings (one, and as many as there are cores): the same numbers, and
  // the same resolved thread count recorded, while the stored config keeps threads = 0.
  void sameNumbersWhateverElseTrains() {
    QTemporaryDir dir;
    const auto cfg = default_threads_config(200);
    Db alone(dir.path(), "alone");
    const auto a = train(cfg, alone.options, 0);
    QCOMPARE(a.status, std::string("finished"));
    RunStore sa(alone.options.db_path);
    const auto expected = stored_numbers(sa, a.run_id);
    QCOMPARE(recorded_threads(sa, a.run_id), std::vector<int>{runtime::default_training_threads()});
    QCOMPARE(TrainConfig::from_json(sa.get_run(a.run_id)->config_json).threads, 0);

    for (int others : {1, runtime::machine_cores()}) {
      Db busy(dir.path(), QString("busy%1").arg(others));
      const auto b = train(cfg, busy.options, others);
      QCOMPARE(b.status, std::string("finished"));
      RunStore sb(busy.options.db_path);
      QCOMPARE(compare_from(expected, stored_numbers(sb, b.run_id), 0), 20 * 14 + 2);  // 20 logs x 14 metrics, 2 evals
      QCOMPARE(b.final_evaluation->return_mean, a.final_evaluation->return_mean);
      QCOMPARE(recorded_threads(sb, b.run_id), recorded_threads(sa, a.run_id));
    }
  }

  // Uninterrupted alone vs stopped at 100 and resumed to 200 with the load changed in between.
  void resumeUnderOtherLoadMatchesUninterrupted_data() {
    QTest::addColumn<int>("othersFirst");
    QTest::addColumn<int>("othersResumed");
    QTest::newRow("alone, resumed beside another") << 0 << 1;
    QTest::newRow("beside another, resumed alone") << 1 << 0;
  }
  void resumeUnderOtherLoadMatchesUninterrupted() {
    QFETCH(int, othersFirst);
    QFETCH(int, othersResumed);
    QTemporaryDir dir;
    const auto cfg = default_threads_config(200);
    Db whole(dir.path(), "whole"), split(dir.path(), "split");
    const auto full = train(cfg, whole.options, 0);
    const auto first = train(cfg, split.options, othersFirst, 100);
    QCOMPARE(first.status, std::string("stopped"));
    QCOMPARE(first.steps, int64_t(100));
    RunOptions again = split.options;
    again.resume_run_id = first.run_id;
    const auto resumed = train(cfg, again, othersResumed);
    QCOMPARE(resumed.status, std::string("finished"));
    QCOMPARE(resumed.steps, int64_t(200));

    RunStore s1(whole.options.db_path), s2(split.options.db_path);
    QCOMPARE(compare_from(stored_numbers(s1, full.run_id), stored_numbers(s2, first.run_id), 110), 10 * 14 + 1);
    QCOMPARE(resumed.final_evaluation->return_mean, full.final_evaluation->return_mean);
    const int t = runtime::default_training_threads();
    QCOMPARE(recorded_threads(s2, first.run_id), (std::vector<int>{t, t}));
  }

  // A resume trains with the count the run recorded when it started, not the default of now: a run
  // started pinned to one CPU (default 1) and resumed unpinned (default: all allowed) matches an
  // uninterrupted pinned run.
  void resumeKeepsTheRecordedCount() {
    if (runtime::default_training_threads() < 2) QSKIP("needs a machine whose default is at least 2 threads");
    QTemporaryDir dir;
    const auto cfg = default_threads_config(200);
    Db whole(dir.path(), "whole"), split(dir.path(), "split");
    RunOutcome full, first;
    {
      OneCpu pinned;
      full = train(cfg, whole.options, 0);
      first = train(cfg, split.options, 0, 100);
    }
    QCOMPARE(first.status, std::string("stopped"));
    RunOptions again = split.options;
    again.resume_run_id = first.run_id;
    const auto resumed = train(cfg, again, 0);
    QCOMPARE(resumed.steps, int64_t(200));

    RunStore s1(whole.options.db_path), s2(split.options.db_path);
    QCOMPARE(recorded_threads(s2, first.run_id), (std::vector<int>{1, 1}));
    QCOMPARE(compare_from(stored_numbers(s1, full.run_id), stored_numbers(s2, first.run_id), 110), 10 * 14 + 1);
    QCOMPARE(resumed.final_evaluation->return_mean, full.final_evaluation->return_mean);
  }
};

QTEST_GUILESS_MAIN(TestThreadReproducibility)
#include "test_thread_reproducibility.moc"
