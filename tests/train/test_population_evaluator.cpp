// The population evaluator in waves: capping the environments alive at once (so that 27 members x 100
// AntMaze episodes fit in memory) changes no return, length, path or goal; and a member's episode
// equals the same seed rolled out by hand with the same policy.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include "core/env/env_registry.h"
#include "core/train/population_evaluator.h"

using namespace iql;

namespace {
// A fixed deterministic policy per member: clamp(x W_k, -1, 1), W_k drawn once from a seeded generator.
// Accumulated elementwise in a fixed order, so every episode's action is bit-identical whatever the
// batch holds (a GEMM may round differently at another row count, and chaotic ant physics would
// amplify that); the test is about the waves, not about BLAS.
struct LinearPolicies {
  torch::Tensor w;  // [P, o, a]
  LinearPolicies(int64_t P, int64_t o, int64_t a) {
    torch::manual_seed(7);
    w = torch::randn({P, o, a}) * 0.5;
  }
  torch::Tensor operator()(const torch::Tensor& x) const {  // [P, N, o] -> [P, N, a]
    auto acc = torch::zeros({x.size(0), x.size(1), w.size(2)});
    for (int64_t j = 0; j < x.size(2); ++j) acc = acc + x.narrow(2, j, 1) * w.select(1, j).unsqueeze(1);
    return acc.clamp(-1.0, 1.0);
  }
};

std::vector<std::vector<uint64_t>> seeds(int64_t P, int64_t N) {
  std::vector<std::vector<uint64_t>> s(P);
  for (int64_t k = 0; k < P; ++k)
    for (int64_t e = 0; e < N; ++e) s[k].push_back(1000 * k + 17 * e + 3);
  return s;
}
}  // namespace

class TestPopulationEvaluator : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void wavesChangeNothing_data() {
    QTest::addColumn<QString>("env");
    QTest::addColumn<int>("members");
    QTest::addColumn<int>("episodes");
    QTest::newRow("pendulum") << "pendulum" << 3 << 7;
    QTest::newRow("antmaze-umaze") << "antmaze-umaze" << 2 << 3;
  }
  void wavesChangeNothing() {
    QFETCH(QString, env);
    QFETCH(int, members);
    QFETCH(int, episodes);
    const std::string name = env.toStdString();
    auto probe = make_env(name, "d4rl");
    const float high = probe->action_high();
    LinearPolicies pi(members, probe->obs_dim(), probe->act_dim());
    const auto s = seeds(members, episodes);
    const ObsNormalizer none;
    std::vector<EvaluationPaths> all_paths, wave_paths;
    const auto all = train::evaluate_members(pi, name, "d4rl", s, none, high, &all_paths, 100000);
    // waves of 1 and of 2 episodes per member (the last wave shorter), as a cap of P or 2P + 1 gives
    for (int64_t cap : {int64_t(members), int64_t(2 * members + 1)}) {
      const auto waves = train::evaluate_members(pi, name, "d4rl", s, none, high, &wave_paths, cap);
      for (int k = 0; k < members; ++k) {
        QCOMPARE(waves[k].returns, all[k].returns);
        QCOMPARE(waves[k].lengths, all[k].lengths);
        QCOMPARE(waves[k].return_mean, all[k].return_mean);
        QCOMPARE(wave_paths[k].xy, all_paths[k].xy);
        QCOMPARE(wave_paths[k].goals.size(), all_paths[k].goals.size());
        for (size_t e = 0; e < wave_paths[k].goals.size(); ++e) QCOMPARE(wave_paths[k].goals[e], all_paths[k].goals[e]);
      }
    }
    // member 1's last episode by hand: one environment, one observation at a time through the same policy
    const int k = 1, e = episodes - 1;
    auto one = make_env(name, "d4rl");
    auto obs = one->reset(s[k][e]);
    double ret = 0;
    int64_t len = 0;
    for (;;) {
      auto x = torch::zeros({members, 1, probe->obs_dim()});
      for (int i = 0; i < probe->obs_dim(); ++i) x[k][0][i] = obs[i];
      auto a = pi(x)[k][0].contiguous();
      std::vector<float> u(a.data_ptr<float>(), a.data_ptr<float>() + probe->act_dim());
      for (auto& v : u) v *= high;
      auto r = one->step(u);
      ret += r.reward;
      ++len;
      obs = r.observation;
      if (r.terminal || r.timeout) break;
    }
    QCOMPARE(all[k].lengths[e], len);
    QVERIFY2(std::abs(all[k].returns[e] - ret) <= 1e-9 * std::max(1.0, std::abs(ret)),
             qPrintable(QString("batched %1, by hand %2").arg(all[k].returns[e], 0, 'g', 17).arg(ret, 0, 'g', 17)));
  }
};

QTEST_GUILESS_MAIN(TestPopulationEvaluator)
#include "test_population_evaluator.moc"
