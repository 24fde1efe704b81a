// The stored-run loop (core/train/stored_run) for one member and for a population: a run stopped
// mid-way and resumed stores the same evaluations and metrics as an uninterrupted run (the stop
// order: checkpoint, then the stop-time evaluation), and a population member stores what the same
// configuration stores as a single run.
#include <QtTest/QtTest>

#include <map>

#include "core/store/run_store.h"
#include "core/train/stored_run/stored_run.h"

using namespace iql;

namespace {

TrainConfig config(uint64_t seed, double tau) {
  TrainConfig c;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 32;
  c.batch_size = 64;
  c.steps = 200;
  c.log_interval = 25;
  c.eval_interval = 100;
  c.eval_episodes = 2;
  c.probe_interval = 0;
  c.checkpoint_interval = 0;  // only the stop-time and final checkpoints
  c.threads = 1;              // one thread: the numbers do not depend on what else runs
  c.seed = seed;
  c.expectile = tau;
  return c;
}

std::vector<TrainConfig> members(int P) {
  std::vector<TrainConfig> ms;
  for (int k = 0; k < P; ++k) ms.push_back(config(11 + k, k == 0 ? 0.7 : 0.9));
  return ms;
}

// step -> return mean, per member run
std::map<int64_t, double> evaluations(RunStore& s, int64_t run) {
  std::map<int64_t, double> out;
  for (auto& e : s.evaluations(run)) out[e.step] = e.return_mean;
  return out;
}

std::map<std::pair<int64_t, std::string>, double> metrics(RunStore& s, int64_t run) {
  std::map<std::pair<int64_t, std::string>, double> out;
  for (auto& m : s.metrics(run)) out[{m.step, m.key}] = m.value;
  return out;
}

}  // namespace

class TestStoredRun : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void initTestCase() { qputenv("XDG_DATA_HOME", home_.filePath("xdg").toUtf8()); }

  void stoppedAndResumedMatchesUninterrupted_data() {
    QTest::addColumn<int>("P");
    QTest::newRow("single run") << 1;
    QTest::newRow("population of 2") << 2;
  }
  void stoppedAndResumedMatchesUninterrupted() {
    QFETCH(int, P);
    QTemporaryDir dir;
    StoredRunRequest full;
    full.members = members(P);
    full.population = P > 1;
    full.db_path = dir.filePath("full.db").toStdString();
    RunControl c1;
    const StoredRunOutcome a = run_stored(full, c1, {});
    QCOMPARE(a.status, std::string("finished"));
    QCOMPARE(a.members.size(), size_t(P));

    StoredRunRequest part = full;
    part.db_path = dir.filePath("part.db").toStdString();
    RunControl c2;
    StoredRunCallbacks stopper;
    stopper.on_metrics = [&](int64_t k, const StepMetrics& m) {
      if (k == 0 && m.step == 150) c2.request_stop();  // between two evaluations
    };
    const StoredRunOutcome b = run_stored(part, c2, stopper);
    QCOMPARE(b.status, std::string("stopped"));
    QCOMPARE(b.steps, int64_t(150));

    StoredRunRequest resume;
    resume.db_path = part.db_path;
    if (P > 1) resume.resume_population = b.population_id;
    else resume.resume_run_id = b.members[0].run_id;
    RunControl c3;
    const StoredRunOutcome r = run_stored(resume, c3, {});
    QCOMPARE(r.status, std::string("finished"));
    QCOMPARE(r.steps, int64_t(200));

    RunStore s1(full.db_path, RunStore::Mode::read_only), s2(part.db_path, RunStore::Mode::read_only);
    for (int k = 0; k < P; ++k) {
      const int64_t id1 = a.members[k].run_id, id2 = b.members[k].run_id;
      QCOMPARE(r.members[k].run_id, id2);
      QCOMPARE(s2.get_run(id2)->status, std::string("finished"));
      const auto e1 = evaluations(s1, id1), e2 = evaluations(s2, id2);
      QCOMPARE(e1.size(), size_t(2));  // 100, 200
      QCOMPARE(e2.size(), size_t(3));  // 100, the stop at 150, 200
      QVERIFY(e2.count(150));
      for (auto& [step, ret] : e1) {
        QVERIFY2(e2.count(step), qPrintable(QString("member %1: no evaluation at %2").arg(k).arg(step)));
        QCOMPARE(e2.at(step), ret);  // bit-identical: same weights, same episode seeds
      }
      const auto m1 = metrics(s1, id1), m2 = metrics(s2, id2);
      QCOMPARE(m2.size(), m1.size());
      for (auto& [key, v] : m1) {
        QVERIFY(m2.count(key));
        QCOMPARE(m2.at(key), v);
      }
      const auto ck = s2.checkpoints(id2);
      QCOMPARE(ck.size(), size_t(2));  // the stop at 150, the end at 200
      QCOMPARE(ck[0].step, int64_t(150));
      QCOMPARE(ck[1].step, int64_t(200));
    }
  }

  // Member k of a population stores the metrics and evaluations of the same configuration run alone.
  void populationMemberEqualsSingleRun() {
    QTemporaryDir dir;
    StoredRunRequest pop;
    pop.members = members(2);
    pop.population = true;
    pop.db_path = dir.filePath("pop.db").toStdString();
    RunControl c1;
    const StoredRunOutcome p = run_stored(pop, c1, {});
    QVERIFY(!p.population_id.empty());

    StoredRunRequest one;
    one.members = {members(2)[1]};
    one.db_path = dir.filePath("one.db").toStdString();
    RunControl c2;
    const StoredRunOutcome s = run_stored(one, c2, {});
    QVERIFY(s.population_id.empty());

    RunStore sp(pop.db_path, RunStore::Mode::read_only), so(one.db_path, RunStore::Mode::read_only);
    QCOMPARE(*sp.get_run(p.members[1].run_id)->population_member, int64_t(1));
    QVERIFY(!so.get_run(s.members[0].run_id)->population_member);
    const auto ep = evaluations(sp, p.members[1].run_id), eo = evaluations(so, s.members[0].run_id);
    QCOMPARE(ep.size(), eo.size());
    for (auto& [step, ret] : eo) QVERIFY(std::abs(ep.at(step) - ret) <= 1e-3 * (1.0 + std::abs(ret)));
    const auto mp = metrics(sp, p.members[1].run_id), mo = metrics(so, s.members[0].run_id);
    QCOMPARE(mp.size(), mo.size());
  }

  void resumingFinishedRunsDoesNothing() {
    QTemporaryDir dir;
    StoredRunRequest pop;
    pop.members = members(2);
    pop.population = true;
    pop.db_path = dir.filePath("p.db").toStdString();
    RunControl c1;
    const StoredRunOutcome first = run_stored(pop, c1, {});
    StoredRunRequest again;
    again.db_path = pop.db_path;
    again.resume_population = first.population_id;
    RunControl c2;
    bool started = false;
    StoredRunCallbacks cb;
    cb.on_started = [&](const std::string&, const std::vector<int64_t>&, const std::vector<TrainConfig>&) { started = true; };
    const StoredRunOutcome r = run_stored(again, c2, cb);
    QVERIFY(r.nothing_to_do);
    QVERIFY(!started);
    QCOMPARE(r.steps, int64_t(200));
    RunStore s(pop.db_path, RunStore::Mode::read_only);
    for (auto& m : first.members) QCOMPARE(s.evaluations(m.run_id).size(), size_t(2));
  }
};

QTEST_GUILESS_MAIN(TestStoredRun)
#include "test_stored_run.moc"
