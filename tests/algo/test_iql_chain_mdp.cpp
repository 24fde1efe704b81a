// algo::Iql on a small deterministic chain MDP: its learned Q and V must match the exact fixed point
// of the expectile Bellman operator under the dataset's empirical action distribution,
//   Q(s,a) = r(s,a) + gamma (1 - terminal(s,a)) V(s'),   V(s) = expectile_tau over a ~ data(s) of Q(s,a),
// computed here by dynamic programming.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/algo/iql.h"
#include "core/train/agent_settings.h"

using namespace iql;

namespace {

constexpr int kStates = 5;
constexpr float kRight = 0.5f, kLeft = -0.5f;
// dataset frequency of "right" in each state (the behaviour policy), out of kRowsPerState rows
constexpr std::array<int, kStates> kRightCount = {60, 100, 40, 80, 50};
constexpr int kRowsPerState = 200;

// right from s < 4 -> s + 1; right from 4 -> terminal with reward 1; left from s -> max(s - 1, 0).
struct Transition {
  int s, next;
  int a;  // 0 = left, 1 = right
  float r;
  bool terminal;
};
Transition step(int s, int a) {
  if (a == 1) {
    if (s == kStates - 1) return {s, s, a, 1.0f, true};
    return {s, s + 1, a, 0.0f, false};
  }
  return {s, std::max(s - 1, 0), a, 0.0f, false};
}

// Expectile of a discrete distribution (values x_i with probabilities p_i) by bisection.
double discrete_expectile(const std::vector<double>& x, const std::vector<double>& p, double tau) {
  double lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
  for (int it = 0; it < 200; ++it) {
    const double m = 0.5 * (lo + hi);
    double f = 0;
    for (size_t i = 0; i < x.size(); ++i) f += p[i] * (x[i] > m ? tau * (x[i] - m) : -(1 - tau) * (m - x[i]));
    (f > 0 ? lo : hi) = m;
  }
  return 0.5 * (lo + hi);
}

struct Exact {
  std::array<std::array<double, 2>, kStates> q{};
  std::array<double, kStates> v{};
};
Exact expectile_dp(double tau, double gamma) {
  Exact e;
  for (int it = 0; it < 2000; ++it) {
    for (int s = 0; s < kStates; ++s)
      for (int a = 0; a < 2; ++a) {
        auto t = step(s, a);
        e.q[s][a] = t.r + gamma * (t.terminal ? 0.0 : e.v[t.next]);
      }
    for (int s = 0; s < kStates; ++s) {
      const double pr = static_cast<double>(kRightCount[s]) / kRowsPerState;
      e.v[s] = discrete_expectile({e.q[s][0], e.q[s][1]}, {1 - pr, pr}, tau);
    }
  }
  return e;
}

torch::Tensor one_hot(int s) {
  auto t = torch::zeros({kStates});
  t[s] = 1.0f;
  return t;
}

struct Data {
  torch::Tensor obs, act, rew, next_obs, terminal;
};
Data make_dataset() {
  std::vector<torch::Tensor> obs, act, nobs;
  std::vector<float> rew, term;
  for (int s = 0; s < kStates; ++s)
    for (int i = 0; i < kRowsPerState; ++i) {
      const int a = i < kRightCount[s] ? 1 : 0;
      auto t = step(s, a);
      obs.push_back(one_hot(s));
      act.push_back(torch::tensor({a ? kRight : kLeft}));
      nobs.push_back(t.terminal ? torch::zeros({kStates}) : one_hot(t.next));
      rew.push_back(t.r);
      term.push_back(t.terminal ? 1.0f : 0.0f);
    }
  return {torch::stack(obs), torch::stack(act), torch::tensor(rew), torch::stack(nobs), torch::tensor(term)};
}

algo::Batch sample(const Data& d, int64_t n) {
  auto idx = torch::randint(d.obs.size(0), {n}, torch::kInt64);
  return {d.obs.index_select(0, idx), d.act.index_select(0, idx), d.rew.index_select(0, idx),
          d.next_obs.index_select(0, idx), d.terminal.index_select(0, idx)};
}

}  // namespace

class TestIqlChainMdp : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void dynamicProgrammingSanity() {
    // tau = 0.5 is the behaviour policy's value; tau -> 1 approaches the optimal value gamma^(4 - s)
    auto mean = expectile_dp(0.5, 0.9);
    auto high = expectile_dp(0.999, 0.9);
    for (int s = 0; s < kStates; ++s) {
      QVERIFY(high.v[s] > mean.v[s] + 0.05);
      QVERIFY(std::abs(high.v[s] - std::pow(0.9, kStates - 1 - s)) < 0.01);
    }
    // tau = 0.5 at the last state is the plain average: V4 = 0.25 * 1 + 0.75 * 0.9 V3
    QVERIFY(std::abs(mean.v[4] - (0.25 + 0.75 * 0.9 * mean.v[3])) < 1e-9);
  }

  void learnsExpectileFixedPoint_data() {
    QTest::addColumn<double>("tau");
    QTest::newRow("tau 0.5") << 0.5;
    QTest::newRow("tau 0.9") << 0.9;
  }
  void learnsExpectileFixedPoint() {
    QFETCH(double, tau);
    const double gamma = 0.9;
    const QByteArray seed = qgetenv("IQL_TEST_SEED");
    torch::manual_seed(seed.isEmpty() ? 3 : seed.toULongLong());
    TrainConfig cfg;
    cfg.hidden = 64;
    cfg.batch_size = 256;
    cfg.expectile = tau;
    cfg.discount = gamma;
    cfg.steps = 8000;
    cfg.value_lr = cfg.critic_lr = 1e-3;
    cfg.polyak = 0.01;
    algo::Iql agent(kStates, 1, agent_hyperparameters(cfg));
    const auto data = make_dataset();
    for (int64_t s = 0; s < cfg.steps; ++s) {
      if (s == cfg.steps * 3 / 4) {  // settle: smaller steps for the last quarter
        QVERIFY(agent.set_hyperparameter("value_lr", 2e-4));
        QVERIFY(agent.set_hyperparameter("critic_lr", 2e-4));
      }
      agent.update(sample(data, cfg.batch_size), false);
    }
    QCOMPARE(agent.updates(), cfg.steps);

    // every (s, a) once
    std::vector<torch::Tensor> obs, act;
    for (int s = 0; s < kStates; ++s)
      for (int a = 0; a < 2; ++a) {
        obs.push_back(one_hot(s));
        act.push_back(torch::tensor({a ? kRight : kLeft}));
      }
    algo::Batch probe{torch::stack(obs), torch::stack(act), torch::zeros({2 * kStates}), torch::stack(obs),
                      torch::zeros({2 * kStates})};
    auto p = agent.probe(probe);
    auto sa = torch::cat({probe.obs, probe.act}, 1);
    torch::Tensor q_online;
    {
      torch::NoGradGuard ng;
      q_online = agent.critic().forward(sa, false).squeeze(-1);  // [2, 10]
    }

    const auto exact = expectile_dp(tau, gamma);
    double lo = 1e9, hi = -1e9;
    for (int s = 0; s < kStates; ++s)
      for (int a = 0; a < 2; ++a) {
        lo = std::min(lo, exact.q[s][a]);
        hi = std::max(hi, exact.q[s][a]);
      }
    const double tol = 0.05 * (hi - lo);
    double worst = 0;
    QString table;
    for (int s = 0; s < kStates; ++s) {
      const double v = p.v[2 * s].item<double>();
      table += QString("s%1: V %2 (exact %3)").arg(s).arg(v, 0, 'f', 4).arg(exact.v[s], 0, 'f', 4);
      worst = std::max(worst, std::abs(v - exact.v[s]));
      for (int a = 0; a < 2; ++a) {
        const int k = 2 * s + a;
        const double qt = p.q[k].item<double>();
        table += QString("  Q%1 %2/%3/%4 (exact %5)")
                     .arg(a ? "R" : "L")
                     .arg(qt, 0, 'f', 4)
                     .arg(q_online[0][k].item<double>(), 0, 'f', 4)
                     .arg(q_online[1][k].item<double>(), 0, 'f', 4)
                     .arg(exact.q[s][a], 0, 'f', 4);
        worst = std::max(worst, std::abs(qt - exact.q[s][a]));
        for (int e = 0; e < 2; ++e) worst = std::max(worst, std::abs(q_online[e][k].item<double>() - exact.q[s][a]));
      }
      table += "\n";
    }
    qInfo("tau %.2f, tolerance %.4f, worst error %.4f\n%s", tau, tol, worst, qPrintable(table));
    QVERIFY2(worst <= tol, qPrintable(table));
  }
};

QTEST_GUILESS_MAIN(TestIqlChainMdp)
#include "test_iql_chain_mdp.moc"
