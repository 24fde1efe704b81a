// Population training: member k of a population (one batched model) computes what a one-member
// trainer with member k's configuration and seed computes, step by step, for iql, iql-corl and bc;
// members' evaluations and probes match too; a member's checkpoint is an ordinary run checkpoint; and
// members that cannot share one model are refused with the field named.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>

#include "core/train/population_grid.h"
#include "core/env/dataset_source.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

using namespace iql;

namespace {

TrainConfig base(const std::string& algorithm) {
  TrainConfig c;
  c.algorithm = algorithm;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 32;
  c.batch_size = 64;
  c.steps = 300;
  c.threads = 2;
  return c;
}

// Three members differing in tau, beta, seed, and (one each) dropout, actor lr and discount.
std::vector<TrainConfig> members(const std::string& algorithm) {
  std::vector<TrainConfig> m(3, base(algorithm));
  m[0].expectile = 0.6, m[0].temperature = 1.0, m[0].seed = 1;
  m[1].expectile = 0.8, m[1].temperature = 5.0, m[1].seed = 2, m[1].dropout = 0.1;
  m[2].expectile = 0.7, m[2].temperature = 10.0, m[2].seed = 3, m[2].actor_lr = 1e-3, m[2].discount = 0.95;
  return m;
}

// Batched and unbatched runs take the same per-member GEMMs and reductions, but a one-member run's
// value/policy GEMMs may be split over two threads while a population's run one per thread; OpenBLAS
// splits over rows/columns, not the summed dimension, so results agree to float rounding at worst.
// Tolerance: 1e-4 relative (or 1e-5 absolute near 0) after 300 steps of Adam on float32 networks.
void expect_close(const StepMetrics& pop, const StepMetrics& single, int member) {
  QCOMPARE(pop.step, single.step);
  QCOMPARE(pop.values.size(), single.values.size());
  QVERIFY(pop.values.size() >= 3);
  for (size_t i = 0; i < pop.values.size(); ++i) {
    QCOMPARE(pop.values[i].first, single.values[i].first);
    const double a = pop.values[i].second, b = single.values[i].second;
    if (std::abs(a - b) > 1e-4 * std::max(std::abs(b), 0.1))
      QFAIL(qPrintable(QString("member %1 step %2 %3: population %4 vs single %5")
                           .arg(member)
                           .arg(pop.step)
                           .arg(QString::fromStdString(pop.values[i].first))
                           .arg(a, 0, 'g', 10)
                           .arg(b, 0, 'g', 10)));
  }
}

}  // namespace

class TestPopulation : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    qputenv("XDG_DATA_HOME", home_.path().toUtf8());  // the built-in dataset is made here
  }

  void membersEqualSingleRuns_data() {
    QTest::addColumn<QString>("algorithm");
    QTest::newRow("iql") << "iql";
    QTest::newRow("iql-corl") << "iql-corl";
    QTest::newRow("bc") << "bc";
  }
  void membersEqualSingleRuns() {
    QFETCH(QString, algorithm);
    const auto ms = members(algorithm.toStdString());
    auto data = load_dataset(ms[0].dataset);
    Trainer pop(ms, data);
    QCOMPARE(pop.members(), int64_t(3));
    std::vector<std::vector<StepMetrics>> pop_metrics(3);
    for (int s = 1; s <= 300; ++s) {
      auto m = pop.step_members(s % 10 == 0);
      if (s % 10 == 0)
        for (int k = 0; k < 3; ++k) pop_metrics[k].push_back(m[k]);
    }
    const auto pop_evals = pop.evaluate_members(3);
    const auto pop_probes = pop.probe_members();
    for (int k = 0; k < 3; ++k) {
      Trainer single(ms[k], data);
      int i = 0;
      for (int s = 1; s <= 300; ++s) {
        auto m = single.step(s % 10 == 0);
        if (s % 10 == 0) expect_close(pop_metrics[k][i++], m, k);
      }
      // Members must differ from each other, or the comparison above proves nothing.
      if (k > 0) QVERIFY(pop_metrics[k].back().values[0].second != pop_metrics[0].back().values[0].second);
      const auto e = single.evaluate(3);
      QCOMPARE(pop_evals[k].returns.size(), e.returns.size());
      for (size_t j = 0; j < e.returns.size(); ++j)
        QVERIFY2(std::abs(pop_evals[k].returns[j] - e.returns[j]) <= 1e-3 * std::max(1.0, std::abs(e.returns[j])),
                 qPrintable(QString("member %1 episode %2: %3 vs %4").arg(k).arg(j).arg(pop_evals[k].returns[j]).arg(e.returns[j])));
      const auto p = single.probe();
      QCOMPARE(pop_probes[k].v.size(), p.v.size());
      for (size_t j = 0; j < p.v.size(); ++j) QVERIFY(std::abs(pop_probes[k].v[j] - p.v[j]) <= 1e-4 * std::max(1.0f, std::abs(p.v[j])));
      QCOMPARE(pop_probes[k].temperature, ms[k].temperature);
    }
  }

  void memberCheckpointIsAnOrdinaryRunCheckpoint() {
    const auto ms = members("iql");
    auto data = load_dataset(ms[0].dataset);
    Trainer pop(ms, data);
    for (int s = 0; s < 100; ++s) pop.step_members(false);
    const QString path = home_.filePath("member1.pt");
    pop.save_member_checkpoint(1, path.toStdString());
    // A one-member trainer resumes member 1 and continues exactly as the population does.
    Trainer single(ms[1], data);
    single.load_checkpoint(path.toStdString());
    QCOMPARE(single.step_count(), int64_t(100));
    for (int s = 0; s < 50; ++s) {
      auto a = pop.step_members(s % 10 == 9);
      auto b = single.step(s % 10 == 9);
      if (s % 10 == 9) expect_close(a[1], b, 1);
    }
    // And back: a fresh population restores member 1 from it (others untouched by the load).
    Trainer pop2(ms, data);
    pop2.load_member_checkpoint(1, path.toStdString());
    QCOMPARE(pop2.step_count(), int64_t(100));
    QCOMPARE(pop2.member_config(1).temperature, ms[1].temperature);
  }

  void liveChangeTargetsOneMember() {
    const auto ms = members("iql");
    Trainer pop(ms, load_dataset(ms[0].dataset));
    const double old = pop.set_hyperparameter("temperature", 7.5, 2);
    QCOMPARE(old, 10.0);
    QCOMPARE(pop.hyperparameter("temperature", 2), 7.5);
    QCOMPARE(pop.hyperparameter("temperature", 0), 1.0);
    pop.set_hyperparameter("expectile", 0.9);  // all members
    for (int k = 0; k < 3; ++k) QCOMPARE(pop.hyperparameter("expectile", k), 0.9);
    QVERIFY_EXCEPTION_THROWN(pop.set_hyperparameter("expectile", 1.5, 1), ConfigError);
    QCOMPARE(pop.hyperparameter("expectile", 1), 0.9);  // an invalid value changes nothing
  }

  void membersThatNeedDifferentModelsAreRefused() {
    auto ms = members("iql");
    ms[2].hidden = 64;
    QCOMPARE(population_mismatch(ms).find("member 2 has hidden = 64"), size_t(0));
    QVERIFY_EXCEPTION_THROWN(Trainer(ms, load_dataset(ms[0].dataset)), ConfigError);
    ms = members("iql");
    ms[1].dataset = "pendulum-random";
    QVERIFY(population_mismatch(ms).find("dataset") != std::string::npos);
    ms = members("iql");
    ms[0].algorithm = ms[1].algorithm = ms[2].algorithm;
    ms[1].algorithm = "bc";
    QVERIFY(population_mismatch(ms).find("algorithm") != std::string::npos);
    QVERIFY(population_mismatch(members("iql")).empty());
  }

  void gridIsTheCartesianProduct() {
    auto g = population_grid(base("iql"), {{"tau", {0.5, 0.7, 0.9}}, {"beta", {1, 3, 10}}, {"seed", {0, 1, 2}}});
    QCOMPARE(g.size(), size_t(27));
    QCOMPARE(g[0].expectile, 0.5);
    QCOMPARE(g[0].temperature, 1.0);
    QCOMPARE(g[0].seed, uint64_t(0));
    QCOMPARE(g[1].seed, uint64_t(1));      // the last list varies fastest
    QCOMPARE(g[3].temperature, 3.0);
    QCOMPARE(g[26].expectile, 0.9);
    QCOMPARE(g[26].temperature, 10.0);
    QCOMPARE(g[26].seed, uint64_t(2));
    QVERIFY_EXCEPTION_THROWN(population_grid(base("iql"), {{"hidden", {32, 64}}}), ConfigError);
    QVERIFY_EXCEPTION_THROWN(population_grid(base("iql"), {{"tau", {0.5, 1.5}}}), ConfigError);  // invalid tau
  }
};

QTEST_GUILESS_MAIN(TestPopulation)
#include "test_population.moc"
