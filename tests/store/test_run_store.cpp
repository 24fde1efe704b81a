// RunStore: every table round-trips, schema/WAL/foreign keys are set up, data survives reopening,
// batched metrics and CSV export, and runs left by a vanished writer become 'interrupted'.
#include <QtTest/QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <sstream>
#include <atomic>
#include <thread>
#include <vector>

#include "core/store/run_store.h"
#include "core/util/errors.h"

using iql::RunStore;

namespace {

iql::RunInfo sample_run() {
  iql::RunInfo r;
  r.name = "iql-hopper";
  r.algorithm = "iql";
  r.dataset = "hopper-medium-v2";
  r.env = "Hopper-v4";
  r.physics = "mujoco-2.3";
  r.config_json = R"({"beta":3.0,"tau":0.7})";
  r.seed = 42;
  r.tags = {"baseline", "sweep-1"};
  r.notes = "first try";
  r.steps = 0;
  return r;
}

}  // namespace

class TestRunStore : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    path_ = dir_->filePath("runs.db").toStdString();
  }
  void cleanup() { dir_.reset(); }

  void schemaAndPragmas() {
    RunStore store(path_);
    QVERIFY(RunStore::latest_schema_version() >= 1);
    QCOMPARE(store.schema_version(), RunStore::latest_schema_version());
    QCOMPARE(store.journal_mode(), std::string("wal"));
    QCOMPARE(store.integrity_check(), std::string("ok"));
    RunStore again(path_);  // reopening an up-to-date db migrates nothing
    QCOMPARE(again.schema_version(), RunStore::latest_schema_version());
  }

  void openFailureNamesPath() {
    const std::string bad = dir_->filePath("no/such/dir/runs.db").toStdString();
    try {
      RunStore store(bad);
      QFAIL("expected StoreError");
    } catch (const iql::StoreError& e) {
      QVERIFY(std::string(e.what()).find(bad) != std::string::npos);
    }
  }

  void runRoundTrip() {
    RunStore store(path_);
    iql::RunInfo in = sample_run();
    const auto id = store.create_run(in);
    QVERIFY(id > 0);
    auto out = store.get_run(id);
    QVERIFY(out.has_value());
    QCOMPARE(out->id, id);
    QCOMPARE(out->name, in.name);
    QCOMPARE(out->status, std::string("running"));
    QCOMPARE(out->algorithm, in.algorithm);
    QCOMPARE(out->dataset, in.dataset);
    QCOMPARE(out->env, in.env);
    QCOMPARE(out->physics, in.physics);
    QCOMPARE(out->config_json, in.config_json);
    QCOMPARE(out->seed, std::int64_t(42));
    QCOMPARE(out->tags, in.tags);
    QCOMPARE(out->notes, in.notes);
    QCOMPARE(out->phase, std::string("offline"));
    QVERIFY(!out->parent_run_id.has_value());
    QVERIFY(out->created.size() >= 20 && out->created.back() == 'Z' && out->created[10] == 'T');
    QVERIFY(!store.get_run(id + 100).has_value());

    store.update_status(id, "finished");
    store.set_steps(id, 12345);
    store.rename_run(id, "renamed");
    store.set_tags(id, {"a", "b c"});
    store.set_notes(id, "some notes");
    out = store.get_run(id);
    QCOMPARE(out->status, std::string("finished"));
    QCOMPARE(out->steps, std::int64_t(12345));
    QCOMPARE(out->name, std::string("renamed"));
    QCOMPARE(out->tags, (std::vector<std::string>{"a", "b c"}));
    QCOMPARE(out->notes, std::string("some notes"));
    QVERIFY(out->updated >= out->created);

    QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.update_status(id, "bogus"));
    QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.set_steps(id + 100, 1));

    // an online fine-tuning child run points at its offline parent
    iql::RunInfo child = sample_run();
    child.parent_run_id = id;
    child.phase = "online";
    const auto child_id = store.create_run(child);
    QCOMPARE(store.get_run(child_id)->parent_run_id, std::optional<std::int64_t>(id));
    QCOMPARE(store.get_run(child_id)->phase, std::string("online"));

    const auto runs = store.list_runs();  // newest first
    QCOMPARE(runs.size(), std::size_t(2));
    QCOMPARE(runs[0].id, child_id);
    QCOMPARE(runs[1].id, id);
  }

  void editsLeaveTrainingTimestamp() {
    RunStore store(path_);
    iql::RunInfo in = sample_run();
    in.created = in.updated = "2020-01-01T00:00:00.000Z";
    const auto id = store.create_run(in);
    store.rename_run(id, "renamed");
    store.set_tags(id, {"x"});
    store.set_notes(id, "later notes");
    // the runs table's duration is created -> updated: editing a run afterwards must not stretch it
    QCOMPARE(store.get_run(id)->updated, std::string("2020-01-01T00:00:00.000Z"));
    store.set_steps(id, 10);
    QVERIFY(store.get_run(id)->updated > std::string("2020-01-01T00:00:00.000Z"));
  }

  void metricsRoundTripAndReplace() {
    RunStore store(path_);
    const auto id = store.create_run(sample_run());
    store.append_metrics(id, {{1, "loss/q", 0.5}, {1, "loss/v", 0.25}, {2, "loss/q", 0.4},
                              {2, "loss/v", std::nan("")}});
    store.append_metrics(id, {{2, "loss/q", 0.3}});  // same (key, step) replaces
    const auto all = store.metrics(id);
    QCOMPARE(all.size(), std::size_t(4));
    QCOMPARE(all[2].key, std::string("loss/q"));
    QCOMPARE(all[2].value, 0.3);
    QVERIFY(std::isnan(all[3].value));  // NaN survives (stored as NULL)
    const auto series = store.metric_series(id, "loss/q");
    QCOMPARE(series.size(), std::size_t(2));
    QCOMPARE(series[0], std::make_pair(std::int64_t(1), 0.5));
    QCOMPARE(series[1], std::make_pair(std::int64_t(2), 0.3));
    QCOMPARE(store.metric_keys(id), (std::vector<std::string>{"loss/q", "loss/v"}));
    QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.append_metrics(id + 100, {{1, "x", 1.0}}));
  }

  void batchedTenThousandMetrics() {
    RunStore store(path_);
    const auto id = store.create_run(sample_run());
    std::vector<iql::MetricPoint> in;
    for (int step = 0; step < 2500; ++step)
      for (const char* key : {"a", "b", "c", "d"}) in.push_back({step, key, step * 0.001 + key[0]});
    QCOMPARE(in.size(), std::size_t(10000));
    store.append_metrics(id, in);
    const auto out = store.metrics(id);  // sorted by step then key, which is how `in` was built
    QCOMPARE(out.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      QCOMPARE(out[i].step, in[i].step);
      QCOMPARE(out[i].key, in[i].key);
      QCOMPARE(out[i].value, in[i].value);
    }
  }

  void evaluationsEventsHistogramsCheckpoints() {
    RunStore store(path_);
    const auto id = store.create_run(sample_run());
    QVERIFY(!store.best_and_final_score(id).has_value());

    store.add_evaluation(id, {1000, 1500.5, 20.25, 45.0, 10});
    store.add_evaluation(id, {2000, 2500.0, 10.0, 80.0, 10});
    store.add_evaluation(id, {3000, 2000.0, 30.0, 60.0, 5});
    store.add_evaluation(id, {4000, 100.0, 1.0, std::nullopt, 3});
    const auto evals = store.evaluations(id);
    QCOMPARE(evals.size(), std::size_t(4));
    QCOMPARE(evals[0].step, std::int64_t(1000));
    QCOMPARE(evals[0].return_mean, 1500.5);
    QCOMPARE(evals[0].return_std, 20.25);
    QCOMPARE(evals[0].normalized_score, std::optional<double>(45.0));
    QCOMPARE(evals[0].episodes, 10);
    QVERIFY(!evals[3].normalized_score.has_value());
    const auto scores = store.best_and_final_score(id);
    QVERIFY(scores.has_value());
    QCOMPARE(scores->first, 80.0);
    QCOMPARE(scores->second, 60.0);

    const auto ev = store.add_event(id, 500, "lr_change", R"({"name":"lr","old":0.001,"new":0.0003})");
    store.add_event(id, 100, "note", "");
    QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.add_event(id, 1, "bad", "{not json"));
    const auto events = store.events(id);
    QCOMPARE(events.size(), std::size_t(2));
    QCOMPARE(events[0].kind, std::string("note"));
    QCOMPARE(events[0].payload_json, std::string("{}"));
    QCOMPARE(events[1].id, ev);
    QCOMPARE(events[1].step, std::int64_t(500));
    QCOMPARE(events[1].payload_json, std::string(R"({"name":"lr","old":0.001,"new":0.0003})"));
    QVERIFY(!events[1].created.empty());

    store.add_histogram(id, {100, "V", {-1.0, 0.0, 1.0}, {3, 7}});
    store.add_histogram(id, {100, "A", {-0.5, 0.5}, {10}});
    store.add_histogram(id, {200, "V", {-2.0, 0.125, 2.0}, {1, 9}});
    const auto hs = store.histograms(id);
    QCOMPARE(hs.size(), std::size_t(3));
    QCOMPARE(hs[0].name, std::string("A"));
    const auto vs = store.histograms(id, "V");
    QCOMPARE(vs.size(), std::size_t(2));
    QCOMPARE(vs[1].step, std::int64_t(200));
    QCOMPARE(vs[1].edges, (std::vector<double>{-2.0, 0.125, 2.0}));
    QCOMPARE(vs[1].counts, (std::vector<double>{1, 9}));

    QVERIFY(!store.latest_checkpoint(id).has_value());
    store.add_checkpoint(id, {5000, "/tmp/ckpt-5000.pt", std::string(64, 'a')});
    store.add_checkpoint(id, {10000, "/tmp/ckpt-10000.pt", std::string(64, 'b')});
    const auto cks = store.checkpoints(id);
    QCOMPARE(cks.size(), std::size_t(2));
    QCOMPARE(cks[0].path, std::string("/tmp/ckpt-5000.pt"));
    QCOMPARE(store.latest_checkpoint(id)->step, std::int64_t(10000));
    QCOMPARE(store.latest_checkpoint(id)->sha256, std::string(64, 'b'));
  }

  // Resuming from a checkpoint at step 2000 forgets what the run stored after it (and only that), of
  // this run only; events stay.
  void forgetAfterKeepsUpToTheCheckpoint() {
    RunStore store(path_);
    const auto id = store.create_run(sample_run());
    const auto other = store.create_run(sample_run());
    for (auto run : {id, other})
      for (int64_t step : {1000, 2000, 3000}) {
        store.append_metrics(run, {{step, "loss/value", double(step)}});
        store.add_evaluation(run, {step, double(step), 1.0, std::nullopt, 5});
        store.add_histogram(run, {step, "V", {0.0, 1.0}, {4}});
        store.add_checkpoint(run, {step, "/tmp/c" + std::to_string(step), std::string(64, 'c')});
        store.add_event(run, step, "note", "");
      }
    store.forget_after(id, 2000);
    QCOMPARE(store.metrics(id).size(), std::size_t(2));
    QCOMPARE(store.evaluations(id).size(), std::size_t(2));
    QCOMPARE(store.evaluations(id).back().step, std::int64_t(2000));
    QCOMPARE(store.histograms(id).size(), std::size_t(2));
    QCOMPARE(store.latest_checkpoint(id)->step, std::int64_t(2000));
    QCOMPARE(store.events(id).size(), std::size_t(3));
    QCOMPARE(store.evaluations(other).size(), std::size_t(3));  // another run is untouched
    QCOMPARE(store.metrics(other).size(), std::size_t(3));
  }

  // Processes that open a new store at the same moment (the GUI beside a CLI run, sweep workers) all
  // get it. Switching a new file to WAL answers SQLITE_BUSY at once, without waiting busy_timeout;
  // before the store retried it, about one open in six failed here with "database is locked".
  // Threads stand in for processes: SQLite locks each connection apart, in one process as in many.
  void newStoreOpenedByManyAtOnce() {
    constexpr int kRounds = 40, kOpeners = 4;
    for (int round = 0; round < kRounds; ++round) {
      const std::string path = dir_->filePath(QString("race-%1.db").arg(round)).toStdString();
      std::atomic<int> ready{0};
      std::vector<std::string> errors(kOpeners);
      std::vector<std::thread> openers;
      for (int k = 0; k < kOpeners; ++k)
        openers.emplace_back([&, k] {
          ++ready;
          while (ready.load() < kOpeners) std::this_thread::yield();
          try {
            RunStore store(path);
            if (store.journal_mode() != "wal") errors[k] = "journal mode " + store.journal_mode();
          } catch (const std::exception& e) {
            errors[k] = e.what();
          }
        });
      for (auto& t : openers) t.join();
      for (const auto& e : errors) QVERIFY2(e.empty(), e.c_str());
    }
  }

  void reopenKeepsData() {
    std::int64_t id = 0;
    {
      RunStore store(path_);
      id = store.create_run(sample_run());
      store.append_metrics(id, {{7, "loss", 1.5}});
      store.add_evaluation(id, {7, 1.0, 0.0, 50.0, 1});
      store.update_status(id, "stopped");
    }
    RunStore moved = RunStore(path_);  // move-construct works
    RunStore store = std::move(moved);
    QCOMPARE(store.get_run(id)->status, std::string("stopped"));
    QCOMPARE(store.metric_series(id, "loss").size(), std::size_t(1));
    QCOMPARE(store.evaluations(id).size(), std::size_t(1));
  }

  void deleteCascades() {
    RunStore store(path_);
    const auto id = store.create_run(sample_run());
    iql::RunInfo child = sample_run();
    child.parent_run_id = id;
    const auto child_id = store.create_run(child);
    store.append_metrics(id, {{1, "loss", 1.0}});
    store.add_evaluation(id, {1, 1.0, 0.0, 1.0, 1});
    store.add_event(id, 1, "x", "{}");
    store.add_histogram(id, {1, "V", {0, 1}, {1}});
    store.add_checkpoint(id, {1, "p", "h"});
    store.delete_run(id);
    QVERIFY(!store.get_run(id).has_value());
    QVERIFY(store.metrics(id).empty());
    QVERIFY(store.evaluations(id).empty());
    QVERIFY(store.events(id).empty());
    QVERIFY(store.histograms(id).empty());
    QVERIFY(store.checkpoints(id).empty());
    QVERIFY(!store.get_run(child_id)->parent_run_id.has_value());  // ON DELETE SET NULL
    QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.delete_run(id));
  }

  void exportCsv() {
    RunStore store(path_);
    const auto id = store.create_run(sample_run());
    store.append_metrics(id, {{2, "b", 0.1}, {1, "b", 2.0}, {2, "a", -3.5}, {1, "we,ird", 1e-300}});
    std::ostringstream csv;
    store.export_csv(id, csv);
    QCOMPARE(csv.str(), std::string("step,key,value\n"
                                    "1,b,2\n"
                                    "1,\"we,ird\",1e-300\n"
                                    "2,a,-3.5\n"
                                    "2,b,0.1\n"));
  }

  void vanishedWriterIsInterrupted() {
    // A child process creates running and paused runs, then exits without finishing them.
    const std::string path = path_;
    const pid_t pid = fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
      int rc = 0;
      try {
        RunStore store(path);
        store.create_run(sample_run());
        const auto paused = store.create_run(sample_run());
        store.update_status(paused, "paused");
        const auto done = store.create_run(sample_run());
        store.update_status(done, "finished");
      } catch (...) {
        rc = 1;
      }
      _exit(rc);  // skip Qt's atexit handlers in the child
    }
    int wstatus = 0;
    QCOMPARE(waitpid(pid, &wstatus, 0), pid);
    QVERIFY(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);

    RunStore store(path_);  // opening marks them
    const auto runs = store.list_runs();
    QCOMPARE(runs.size(), std::size_t(3));
    QCOMPARE(runs[2].status, std::string("interrupted"));
    QCOMPARE(runs[1].status, std::string("interrupted"));
    QCOMPARE(runs[0].status, std::string("finished"));

    // runs written by a live process (this one) are left alone
    const auto mine = store.create_run(sample_run());
    QCOMPARE(store.mark_interrupted_runs(), 0);
    QCOMPARE(store.get_run(mine)->status, std::string("running"));
  }

  void defaultPathUsesXdg() {
    const QByteArray old = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", dir_->path().toUtf8());
    const std::string p = RunStore::default_path();
    QCOMPARE(p, (dir_->path() + "/iql-workbench/runs.db").toStdString());
    QVERIFY(QDir(dir_->path() + "/iql-workbench").exists());
    if (old.isNull()) qunsetenv("XDG_DATA_HOME"); else qputenv("XDG_DATA_HOME", old);
  }

private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::string path_;
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "test_run_store.moc"
