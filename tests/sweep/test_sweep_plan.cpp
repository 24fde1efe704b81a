// The sweep planner and the sbatch script generator, as pure functions: spec expansion (order, grids,
// random draws, datasets), packing into tasks, clear errors naming the field, array chunking below
// MaxArraySize and the script's directives.
#include <QtTest/QtTest>

#include <set>

#include "core/sweep/slurm_script.h"
#include "core/sweep/sweep_plan.h"
#include "core/util/errors.h"

using namespace iql;

class TestSweepPlan : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void gridTimesSeedsInOrder() {
    const auto spec = SweepSpec::parse(R"({"name":"g","base":{"steps":300,"hidden":32},
      "grid":{"expectile":[0.5,0.7],"temperature":[1,3]},"seeds":[0,1]})");
    const auto m = spec.expand();
    QCOMPARE(m.size(), size_t(8));
    // the last axis (seeds) varies fastest, then temperature, then expectile
    QCOMPARE(m[0].config.expectile, 0.5);
    QCOMPARE(m[0].config.temperature, 1.0);
    QCOMPARE(m[0].config.seed, uint64_t(0));
    QCOMPARE(m[1].config.seed, uint64_t(1));
    QCOMPARE(m[2].config.temperature, 3.0);
    QCOMPARE(m[4].config.expectile, 0.7);
    QCOMPARE(m[7].config.expectile, 0.7);
    QCOMPARE(m[7].config.temperature, 3.0);
    QCOMPARE(m[7].config.seed, uint64_t(1));
    for (size_t i = 0; i < m.size(); ++i) {
      QCOMPARE(m[i].index, int(i));
      QCOMPARE(m[i].config.steps, int64_t(300));
      QCOMPARE(m[i].config.hidden, 32);
    }
    QCOMPARE(QString::fromStdString(m[5].point), QString("tau=0.7 beta=1 seed=1"));
  }

  void datasetsAndRandomDraws() {
    const auto spec = SweepSpec::parse(R"({"datasets":["pendulum-medium",{"dataset":"pendulum-expert","env":"pendulum"}],
      "random":{"count":3,"seed":7,"params":{"actor_lr":{"log_uniform":[1e-4,1e-3]},"hidden":{"choice":[32,64]}}}})");
    const auto m = spec.expand();
    QCOMPARE(m.size(), size_t(6));
    QCOMPARE(QString::fromStdString(m[0].config.dataset), QString("pendulum-medium"));
    QCOMPARE(QString::fromStdString(m[3].config.dataset), QString("pendulum-expert"));
    std::set<double> lrs;
    for (const auto& x : m) {
      QVERIFY(x.config.actor_lr >= 1e-4 && x.config.actor_lr <= 1e-3);
      QVERIFY(x.config.hidden == 32 || x.config.hidden == 64);
      lrs.insert(x.config.actor_lr);
    }
    QCOMPARE(lrs.size(), size_t(3));  // three draws, the same for both datasets
    QCOMPARE(m[0].config.actor_lr, m[3].config.actor_lr);
    // the same spec always expands to the same draws
    QCOMPARE(SweepSpec::parse(spec.json).expand()[2].config.actor_lr, m[2].config.actor_lr);
  }

  void packingKeepsPopulationsCompatible() {
    auto spec = SweepSpec::parse(R"({"members_per_task":3,"grid":{"hidden":[32,64],"expectile":[0.5,0.6,0.7,0.8]}})");
    const auto plan = SweepPlan::make(spec, "id");
    QCOMPARE(plan.member_count(), 8);
    // 4 members of hidden 32 -> tasks of 3 and 1; the same for 64: never a task mixing shapes
    QCOMPARE(plan.tasks.size(), size_t(4));
    QCOMPARE(plan.tasks[0].members.size(), size_t(3));
    QCOMPARE(plan.tasks[1].members.size(), size_t(1));
    for (const auto& t : plan.tasks) {
      QCOMPARE(t.index, int(&t - &plan.tasks[0]));
      for (const auto& m : t.members) QCOMPARE(m.config.hidden, t.members.front().config.hidden);
    }
    // round trip through plan.json
    const auto back = SweepPlan::from_json(plan.to_json(), "plan.json");
    QCOMPARE(back.tasks.size(), plan.tasks.size());
    QCOMPARE(back.tasks[2].members[1].config.expectile, plan.tasks[2].members[1].config.expectile);
    QCOMPARE(back.tasks[2].members[1].index, plan.tasks[2].members[1].index);
  }

  void badSpecsNameTheField() {
    auto fails_with = [](const char* json, const char* needle) {
      try {
        SweepSpec::parse(json, "my.json");
      } catch (const ConfigError& e) {
        const QString msg = e.what();
        if (!msg.contains(needle) || (!msg.contains("my.json") && !msg.contains("sweep spec"))) {
          qWarning() << msg;
          return false;
        }
        return true;
      }
      return false;
    };
    QVERIFY(fails_with(R"({"grid":{"expectile":[0.5,1.5]}})", "expectile"));
    QVERIFY(fails_with(R"({"grid":{"expectile":[]}})", "grid.expectile"));
    QVERIFY(fails_with(R"({"grid":{"bogus":[1,2]}})", "bogus"));
    QVERIFY(fails_with(R"({"colour":"red"})", "colour"));
    QVERIFY(fails_with(R"({"members_per_task":0})", "members_per_task"));
    QVERIFY(fails_with(R"({"random":{"params":{"actor_lr":{"gauss":[1,2]}}}})", "gauss"));
    QVERIFY(fails_with(R"({"name":"a b"})", "name"));
    QVERIFY(fails_with(R"({"base":{"steps":"many"}})", "steps"));
    QVERIFY(fails_with("{not json", "not valid JSON"));
  }

  void arrayChunksStayBelowMaxArraySize() {
    std::vector<int> all(12);
    for (int i = 0; i < 12; ++i) all[size_t(i)] = i;
    auto chunks = chunk_tasks(all, 5);
    QCOMPARE(chunks.size(), size_t(3));
    QCOMPARE(chunks[0].offset, 0);
    QCOMPARE(chunks[1].offset, 5);
    QCOMPARE(chunks[2].offset, 10);
    QCOMPARE(chunks[2].array_indices, (std::vector<int>{0, 1}));
    for (const auto& c : chunks)
      for (int a : c.array_indices) QVERIFY(a >= 0 && a < 5);
    // a retry of scattered tasks keeps each in its chunk
    chunks = chunk_tasks({3, 4, 6, 13}, 5);
    QCOMPARE(chunks.size(), size_t(3));
    QCOMPARE(QString::fromStdString(array_spec(chunks[0].array_indices)), QString("3-4"));
    QCOMPARE(QString::fromStdString(array_spec(chunks[1].array_indices)), QString("1"));
    QCOMPARE(chunks[2].offset + chunks[2].array_indices[0], 13);
    QCOMPARE(QString::fromStdString(array_spec({0, 1, 2, 5, 7, 8})), QString("0-2,5,7-8"));
    // 10,000 tasks with Slurm's default MaxArraySize 1001 -> 10 array jobs
    std::vector<int> many(10000);
    for (int i = 0; i < 10000; ++i) many[size_t(i)] = i;
    QCOMPARE(chunk_tasks(many, 1001).size(), size_t(10));
  }

  void sbatchScriptDirectives() {
    SlurmOptions o;
    o.partition = "gpu";
    o.time = "1:00:00";
    o.cpus_per_task = 2;
    o.gres = "gpu:1";
    o.max_concurrent = 4;
    o.signal_seconds = 90;
    o.extra = {"--account=lab"};
    const QString s = QString::fromStdString(sbatch_script("/shared/sw eep", "tb", "/opt/iql/bin/iql", {1001, {0, 1, 2, 7}}, o));
    QVERIFY(s.startsWith("#!/bin/bash\n"));
    for (const char* line : {"#SBATCH --array=0-2,7%4\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --requeue\n",
                             "#SBATCH --signal=B:USR1@90\n", "#SBATCH --partition=gpu\n", "#SBATCH --time=1:00:00\n",
                             "#SBATCH --gres=gpu:1\n", "#SBATCH --account=lab\n", "#SBATCH --job-name=iql-tb\n",
                             "IDX=$((1001 + SLURM_ARRAY_TASK_ID))\n", "OMP_NUM_THREADS=2"})
      QVERIFY2(s.contains(line), line);
    // exec: the batch shell becomes iql, so B:USR1 reaches the task itself
    QVERIFY(s.contains("exec '/opt/iql/bin/iql' sweep task '/shared/sw eep' \"$IDX\""));
    // every #SBATCH line comes before the first command (sbatch stops reading at it)
    const int lastDirective = s.lastIndexOf("#SBATCH");
    QVERIFY(lastDirective < s.indexOf("set -eu"));
    // the options round-trip through sweep.json, so retry submits with the same ones
    const auto back = SlurmOptions::from_json(o.to_json());
    QCOMPARE(QString::fromStdString(back.time), QString("1:00:00"));
    QCOMPARE(back.cpus_per_task, 2);
    QCOMPARE(back.max_concurrent, 4);
    QCOMPARE(back.signal_seconds, 90);
    QCOMPARE(back.extra, o.extra);
    QCOMPARE(SlurmOptions::from_json("{}").signal_seconds, 120);
    // no optional directives when not asked for
    const QString plain = QString::fromStdString(sbatch_script("/d", "x", "/iql", {0, {0}}, SlurmOptions{}));
    QVERIFY(!plain.contains("--partition") && !plain.contains("--time") && !plain.contains("--gres"));
    QVERIFY(plain.contains("#SBATCH --array=0\n"));
  }
};

QTEST_GUILESS_MAIN(TestSweepPlan)
#include "test_sweep_plan.moc"
