// Evaluation is a function of (checkpoint, run seed, step): episodes are seeded from (run seed, step,
// episode index), so two Trainers evaluating one checkpoint, `iql eval` on it, and the run's own stored
// evaluation all give the same returns; resuming a finished run to its step does nothing.
#include <QtTest/QtTest>

#include <set>

#include "core/env/builtin_datasets.h"
#include "core/store/run_store.h"
#include "core/train/checkpoint_eval.h"
#include "core/train/evaluator.h"
#include "core/train/trainer.h"
#include "core/train/training_run.h"

using namespace iql;

namespace {
TrainConfig small_config() {
  TrainConfig c;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 32;
  c.batch_size = 64;
  c.steps = 60;
  c.eval_interval = 30;
  c.eval_episodes = 3;
  c.probe_interval = 0;
  c.log_interval = 10;
  c.seed = 4;
  c.threads = 1;
  return c;
}
}  // namespace

class TestEvaluationSeeding : public QObject {
  Q_OBJECT
  QTemporaryDir home_;
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

  void seedsDependOnRunStepAndEpisode() {
    const auto a = train::evaluation_seeds(4, 1000, 10);
    QCOMPARE(a.size(), std::size_t(10));
    QCOMPARE(train::evaluation_seeds(4, 1000, 10), a);  // a pure function
    std::set<uint64_t> all(a.begin(), a.end());
    for (auto s : train::evaluation_seeds(4, 2000, 10)) all.insert(s);
    for (auto s : train::evaluation_seeds(5, 1000, 10)) all.insert(s);
    QCOMPARE(all.size(), std::size_t(30));  // other steps and other runs see other episodes
    // more episodes extend the list: the first ones stay the same
    const auto twelve = train::evaluation_seeds(4, 1000, 12);
    QCOMPARE(std::vector<uint64_t>(twelve.begin(), twelve.begin() + 10), a);
    QCOMPARE(train::consecutive_seeds(7, 3), (std::vector<uint64_t>{7, 8, 9}));
  }

  // The case: the same checkpoint evaluated twice gave -1393.9 and -1501.4.
  void sameCheckpointSameReturnsInSeparateTrainers() {
    QTemporaryDir dir;
    const auto cfg = small_config();
    const auto data = generate_builtin_dataset("pendulum-medium");
    const std::string ckpt = dir.filePath("c.pt").toStdString();
    EvalResult first;
    {
      Trainer t(cfg, data);
      for (int i = 0; i < 20; ++i) t.step(false);
      t.save_checkpoint(ckpt);
      first = t.evaluate(3);
      const auto again = t.evaluate(3);  // a second evaluation at the same step, same trainer
      QCOMPARE(again.returns, first.returns);
    }
    QCOMPARE(first.step, int64_t(20));
    for (int k = 0; k < 2; ++k) {
      Trainer t(cfg, data);
      t.load_checkpoint(ckpt);
      const auto r = t.evaluate(3);
      QCOMPARE(r.step, int64_t(20));
      QCOMPARE(r.returns, first.returns);
      QCOMPARE(r.lengths, first.lengths);
    }
    // the episodes differ between them (not one episode three times)
    QVERIFY(first.returns[0] != first.returns[1] || first.returns[1] != first.returns[2]);
    // iql eval without --seed replays exactly those episodes
    const auto e = evaluate_checkpoint(ckpt, "", "", 3);
    QCOMPARE(e.returns, first.returns);
    const auto other = evaluate_checkpoint(ckpt, "", "", 3, uint64_t(123));
    QVERIFY(other.returns != first.returns);
  }

  void resumingAFinishedRunDoesNothing() {
    QTemporaryDir dir;
    RunOptions opt;
    opt.db_path = dir.filePath("runs.db").toStdString();
    RunControl control;
    const auto done = run_training(small_config(), opt, control, {});
    QCOMPARE(done.status, std::string("finished"));
    QVERIFY(!done.nothing_to_do);
    std::size_t evals, events, checkpoints;
    std::string updated;
    {
      RunStore store(opt.db_path);
      evals = store.evaluations(done.run_id).size();
      events = store.events(done.run_id).size();
      checkpoints = store.checkpoints(done.run_id).size();
      updated = store.get_run(done.run_id)->updated;
      QCOMPARE(evals, std::size_t(2));  // steps 30 and 60
      // the stored evaluation at step 60 is what the final checkpoint gives
      const auto last = store.evaluations(done.run_id).back();
      const auto e = evaluate_checkpoint(store.latest_checkpoint(done.run_id)->path, "", "", 3);
      QCOMPARE(e.step, last.step);
      QCOMPARE(e.return_mean, last.return_mean);
    }
    for (auto steps : {std::optional<int64_t>(), std::optional<int64_t>(60), std::optional<int64_t>(50)}) {
      RunOptions resume = opt;
      resume.resume_run_id = done.run_id;
      resume.steps_override = steps;
      const auto out = run_training(small_config(), resume, control, {});
      QVERIFY(out.nothing_to_do);
      QCOMPARE(out.run_id, done.run_id);
      QCOMPARE(out.steps, int64_t(60));
      QCOMPARE(out.status, std::string("finished"));
      RunStore store(opt.db_path);
      QCOMPARE(store.evaluations(done.run_id).size(), evals);
      QCOMPARE(store.events(done.run_id).size(), events);
      QCOMPARE(store.checkpoints(done.run_id).size(), checkpoints);
      QCOMPARE(store.get_run(done.run_id)->status, std::string("finished"));
      QCOMPARE(store.get_run(done.run_id)->updated, updated);
    }
    // asking for more steps trains on
    RunOptions more = opt;
    more.resume_run_id = done.run_id;
    more.steps_override = 90;
    const auto out = run_training(small_config(), more, control, {});
    QVERIFY(!out.nothing_to_do);
    QCOMPARE(out.steps, int64_t(90));
    RunStore store(opt.db_path);
    QCOMPARE(store.evaluations(done.run_id).size(), evals + 1);  // step 90
  }
};

QTEST_GUILESS_MAIN(TestEvaluationSeeding)
#include "test_evaluation_seeding.moc"
