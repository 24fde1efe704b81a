// Expectile regression with the library's pieces (nn::Mlp, nn::FlatAdam, algo::expectile_weight and
// the gradient rule -2 w u / n of core/algo/iql.cpp) converges to the analytic tau-expectile of the
// target distribution. The analytic values are solved here by bisection on closed forms.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>
#include <functional>

#include "core/algo/iql_math.h"
#include "core/nn/adam.h"
#include "core/nn/mlp.h"

using namespace iql;

namespace {

// m with tau * E[(X - m)+] = (1 - tau) * E[(m - X)+]; the left side minus the right is decreasing in m.
double solve_expectile(double tau, const std::function<double(double)>& upper, const std::function<double(double)>& lower,
                       double lo, double hi) {
  for (int i = 0; i < 200; ++i) {
    const double m = 0.5 * (lo + hi);
    const double f = tau * upper(m) - (1 - tau) * lower(m);
    (f > 0 ? lo : hi) = m;
  }
  return 0.5 * (lo + hi);
}

double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI); }
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// X ~ N(0, 1): E[(X - m)+] = phi(m) - m (1 - Phi(m)); E[(m - X)+] = m Phi(m) + phi(m).
double normal_expectile(double tau) {
  return solve_expectile(
      tau, [](double m) { return normal_pdf(m) - m * (1 - normal_cdf(m)); },
      [](double m) { return m * normal_cdf(m) + normal_pdf(m); }, -10, 10);
}
// X ~ Exp(1): E[(X - m)+] = e^-m; E[(m - X)+] = m - 1 + e^-m (m >= 0).
double exponential_expectile(double tau) {
  return solve_expectile(
      tau, [](double m) { return std::exp(-m); }, [](double m) { return m - 1 + std::exp(-m); }, 0, 20);
}

// Trains V(x) = Mlp(x) on a constant input against targets drawn fresh from `draw` each step.
double train_constant_value(double tau, const std::function<torch::Tensor(int64_t)>& draw) {
  nn::Mlp v({1, 32, 32, 1});
  nn::FlatAdam adam(v.num_parameters(), 3e-3);
  const int64_t n = 1024;
  const auto x = torch::ones({n, 1});
  const int steps = 6000;
  for (int s = 0; s < steps; ++s) {
    torch::NoGradGuard ng;
    auto y = draw(n);
    auto pred = v.forward(x, true).squeeze(-1);
    auto u = y - pred;
    auto w = algo::expectile_weight(u, tau);
    v.backward((w * u * (-2.0 / n)).unsqueeze(-1));
    // decay the step so the estimate settles (Adam's step size is about lr regardless of the noise)
    const double lr = s < 2500 ? 3e-3 : s < 4000 ? 1e-3 : s < 5000 ? 3e-4 : 1e-4;
    adam.step(v.params(), v.grad(), lr);
  }
  return v.forward(torch::ones({1, 1}), false).item<double>();
}

}  // namespace

class TestExpectileConvergence : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    const QByteArray seed = qgetenv("IQL_TEST_SEED");
    torch::manual_seed(seed.isEmpty() ? 7 : seed.toULongLong());
  }

  void analyticValuesAreSane() {
    // tau = 0.5 is the mean; the expectile is increasing in tau
    QVERIFY(std::abs(normal_expectile(0.5)) < 1e-9);
    QVERIFY(std::abs(exponential_expectile(0.5) - 1.0) < 1e-9);
    QVERIFY(normal_expectile(0.9) > normal_expectile(0.7));
    // a large fixed sample agrees with the closed form (checks the closed forms themselves)
    auto x = torch::randn({2000000}, torch::kFloat64);
    for (double tau : {0.7, 0.9}) {
      const double m = normal_expectile(tau);
      const double up = (x - m).clamp_min(0).mean().item<double>();
      const double down = (m - x).clamp_min(0).mean().item<double>();
      QVERIFY2(std::abs(tau * up - (1 - tau) * down) < 2e-3, qPrintable(QString::number(tau)));
    }
    auto e = -torch::log(torch::rand({2000000}, torch::kFloat64));
    const double m = exponential_expectile(0.9);
    const double up = (e - m).clamp_min(0).mean().item<double>();
    const double down = (m - e).clamp_min(0).mean().item<double>();
    QVERIFY(std::abs(0.9 * up - 0.1 * down) < 2e-3);
  }

  void normalTargets_data() {
    QTest::addColumn<double>("tau");
    QTest::newRow("tau 0.5") << 0.5;
    QTest::newRow("tau 0.7") << 0.7;
    QTest::newRow("tau 0.9") << 0.9;
  }
  void normalTargets() {
    QFETCH(double, tau);
    const double want = normal_expectile(tau);
    const double got = train_constant_value(tau, [](int64_t n) { return torch::randn({n}); });
    qInfo("N(0,1) tau %.2f: learned %.4f, analytic %.4f", tau, got, want);
    QVERIFY2(std::abs(got - want) < 0.03, qPrintable(QString("learned %1, analytic %2").arg(got).arg(want)));
  }

  void exponentialTargets_data() { normalTargets_data(); }
  void exponentialTargets() {
    QFETCH(double, tau);
    const double want = exponential_expectile(tau);
    const double got = train_constant_value(tau, [](int64_t n) { return -torch::log(torch::rand({n}).clamp_min(1e-12)); });
    qInfo("Exp(1) tau %.2f: learned %.4f, analytic %.4f", tau, got, want);
    QVERIFY2(std::abs(got - want) < 0.03, qPrintable(QString("learned %1, analytic %2").arg(got).arg(want)));
  }

  // tau is not the quantile: for tau = 0.9 the expectile of N(0,1) (about 0.86) is below the
  // 0.9-quantile (1.28), so a learner that fit quantiles would fail the tests above.
  void expectileIsNotQuantile() { QVERIFY(std::abs(normal_expectile(0.9) - 1.2816) > 0.3); }
};

QTEST_GUILESS_MAIN(TestExpectileConvergence)
#include "test_expectile_convergence.moc"
