// Fitted Q Evaluation (core/ope/fqe.h) on a problem with a closed-form value, and the conversion of a
// discounted value to an episode return (core/ope/return_scale.h).
// The problem: s' = 0.9 s + 0.1 a, r = 1 - s^2, s in [-1, 1], no terminals (episodes end by time limit,
// which FQE bootstraps through). A linear policy a = k s gives s_t = c^t s0 with c = 0.9 + 0.1 k, so
//     V(s0) = sum_t gamma^t (1 - c^(2t) s0^2) = 1 / (1 - gamma) - s0^2 / (1 - gamma c^2).
// The data come from a uniform random behaviour policy; three members are fitted at once: k = -0.5 and
// k = +0.5 at gamma 0.9, and k = -0.5 at gamma 0.8. Each estimate must land within 2% of its truth
// (averaged over the dataset's actual initial states), closer than the members are to each other.
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/ope/fqe.h"
#include "core/ope/return_scale.h"

using namespace iql;
using namespace iql::ope;

namespace {
Dataset chain_data(int episodes, int length, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  Dataset d;
  d.obs_dim = 1;
  d.act_dim = 1;
  for (int e = 0; e < episodes; ++e) {
    d.episode_starts.push_back(d.size());
    float s = u(rng);
    for (int t = 0; t < length; ++t) {
      const float a = u(rng), s2 = 0.9f * s + 0.1f * a;
      d.observations.push_back(s);
      d.actions.push_back(a);
      d.rewards.push_back(1.0f - s * s);
      d.next_observations.push_back(s2);
      d.terminals.push_back(0);
      d.timeouts.push_back(t == length - 1);
      s = s2;
    }
  }
  return d;
}

std::vector<float> linear_policy(const std::vector<float>& states, double k) {
  std::vector<float> a;
  for (float s : states) a.push_back(static_cast<float>(k * s));
  return a;
}

double true_value(const std::vector<float>& starts, double k, double gamma) {
  const double c = 0.9 + 0.1 * k;
  double sum = 0.0;
  for (float s0 : starts) sum += 1.0 / (1.0 - gamma) - s0 * s0 / (1.0 - gamma * c * c);
  return sum / starts.size();
}
}  // namespace

class TestFqe : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }  // small members: one thread is fastest

  void linearSystemWithKnownValue() {
    const Dataset d = chain_data(200, 25, 7);
    const std::vector<double> ks{-0.5, 0.5, -0.5}, gammas{0.9, 0.9, 0.8};
    FqeProblem pr;
    pr.data = &d;
    pr.discount = gammas;
    pr.start_rows = d.episode_starts;
    std::vector<float> starts;
    for (int64_t r : d.episode_starts) starts.push_back(d.observations[r]);
    for (double k : ks) {
      pr.next_actions.push_back(linear_policy(d.next_observations, k));
      pr.start_actions.push_back(linear_policy(starts, k));
    }
    FqeSettings s;
    s.steps = 2500;
    s.hidden = 64;
    s.lr = 1e-3;
    s.polyak = 0.03;
    s.seed = 3;
    const auto r = fit_fqe(pr, s);
    QCOMPARE(r.members.size(), size_t(3));
    for (size_t p = 0; p < ks.size(); ++p) {
      const double truth = true_value(starts, ks[p], gammas[p]);
      const auto& m = r.members[p];
      qInfo("member %zu: FQE %.4f, truth %.4f, steps %.3f (truth %.3f), TD rms %.4f", p, m.value, truth, m.survival,
            1.0 / (1.0 - gammas[p]), m.td_rms);
      QVERIFY2(std::abs(m.value - truth) < 0.02 * truth, "FQE estimate off by more than 2%");
      // no terminals: the discounted step count is 1 / (1 - gamma)
      QVERIFY(std::abs(m.survival - 1.0 / (1.0 - gammas[p])) < 0.02 / (1.0 - gammas[p]));
      QCOMPARE(m.per_start.size(), starts.size());
    }
    // The two gamma-0.9 policies differ by ~0.8 in truth (9.05 against 8.22 on U[-1, 1] starts): the
    // estimates must order them.
    QVERIFY(r.members[0].value > r.members[1].value + 0.4);
  }

  void rejectsMismatchedActions() {
    const Dataset d = chain_data(2, 5, 1);
    FqeProblem pr;
    pr.data = &d;
    pr.discount = {0.9};
    pr.start_rows = d.episode_starts;
    pr.next_actions = {std::vector<float>(3)};
    pr.start_actions = {std::vector<float>(2)};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fit_fqe(pr, FqeSettings{}));
  }

  void episodeReturnFromDiscountedValue() {
    // Constant reward 2 for exactly T = 50 steps at gamma 0.99: V = 2 S, S = (1 - 0.99^50) / 0.01.
    const double g = 0.99, S = (1.0 - std::pow(g, 50)) / (1.0 - g);
    auto e = episode_return(2.0 * S, S, g, 1000);
    QVERIFY(std::abs(e.length - 50.0) < 1e-6);
    QVERIFY(std::abs(e.episode_return - 100.0) < 1e-6);
    QVERIFY(std::abs(e.per_step - 2.0) < 1e-12);
    // A policy that never terminates: S = 1 / (1 - gamma), T^ infinite, cut at the time limit.
    e = episode_return(300.0, 100.0, g, 1000);
    QVERIFY(std::isinf(e.length));
    QCOMPARE(e.length_used, 1000.0);
    QVERIFY(std::abs(e.episode_return - 3000.0) < 1e-9);
    // Full-length assumption for critics without a step count: 3 per step for 1,000 steps.
    e = episode_return_full_length(3.0 * discounted_steps(g, 1000), g, 1000);
    QVERIFY(std::abs(e.episode_return - 3000.0) < 1e-6);
    QVERIFY(std::abs(e.length - 1000.0) < 1e-6);
  }
};

QTEST_GUILESS_MAIN(TestFqe)
#include "test_fqe.moc"
