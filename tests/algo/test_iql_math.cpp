// The small IQL formulas against their closed forms.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>

#include "core/algo/iql_math.h"

using namespace iql::algo;

namespace {
double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }
}  // namespace

class TestIqlMath : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void expectileWeight() {
    auto u = torch::tensor({-2.0f, -1e-6f, 0.0f, 1e-6f, 3.0f});
    auto w = expectile_weight(u, 0.7);
    // |tau - 1(u < 0)|: 0.3 for negative residuals, 0.7 otherwise (u = 0 counts as not negative)
    auto want = torch::tensor({0.3f, 0.3f, 0.7f, 0.7f, 0.7f});
    QVERIFY(max_abs(w - want) < 1e-7);
    QVERIFY(max_abs(expectile_weight(u, 0.5) - 0.5) < 1e-7);
    auto w9 = expectile_weight(u, 0.9);
    QVERIFY(std::abs(w9[0].item<double>() - 0.1) < 1e-7);
    QVERIFY(std::abs(w9[4].item<double>() - 0.9) < 1e-7);
  }

  void expectileLoss() {
    auto u = torch::tensor({-2.0f, 1.0f, 3.0f, -0.5f});
    const double tau = 0.8;
    // mean(|tau - 1(u<0)| u^2) = (0.2*4 + 0.8*1 + 0.8*9 + 0.2*0.25) / 4
    const double want = (0.2 * 4 + 0.8 * 1 + 0.8 * 9 + 0.2 * 0.25) / 4;
    QVERIFY(std::abs(expectile_loss(u, tau).item<double>() - want) < 1e-6);
    // tau = 0.5 is half the mean squared error
    auto r = torch::randn({100});
    QVERIFY(std::abs(expectile_loss(r, 0.5).item<double>() - 0.5 * (r * r).mean().item<double>()) < 1e-6);
    // its gradient w.r.t. a prediction v (u = y - v) is -2 w u / n, the rule iql.cpp uses
    auto y = torch::randn({64});
    auto v = torch::randn({64}).requires_grad_(true);
    expectile_loss(y - v, 0.7).backward();
    auto uu = (y - v).detach();
    auto manual = expectile_weight(uu, 0.7) * uu * (-2.0 / 64);
    QVERIFY(max_abs(v.grad() - manual) < 1e-6);
  }

  void awrWeights() {
    auto adv = torch::tensor({-1.0f, 0.0f, 0.5f, 1.0f, 2.0f, 10.0f});
    auto w = awr_weights(adv, 3.0);
    // exp(3 adv) clipped at 100: exp(3) = 20.09, exp(6) = 403 -> 100, exp(30) -> 100
    const double want[] = {std::exp(-3.0), 1.0, std::exp(1.5), std::exp(3.0), 100.0, 100.0};
    for (int i = 0; i < 6; ++i)
      QVERIFY2(std::abs(w[i].item<double>() - want[i]) < 1e-5 * want[i], qPrintable(QString::number(i)));
    // a custom clip
    auto w2 = awr_weights(adv, 1.0, 5.0);
    QVERIFY(std::abs(w2[3].item<double>() - std::exp(1.0)) < 1e-5);
    QCOMPARE(w2[4].item<double>(), 5.0);
    QCOMPARE(w2[5].item<double>(), 5.0);
    // beta = 0: behaviour cloning, all weights 1
    QVERIFY(max_abs(awr_weights(adv, 0.0) - 1.0) == 0.0);
    // exactly at the boundary: exp(beta adv) = 100 stays 100
    auto b = awr_weights(torch::tensor({static_cast<float>(std::log(100.0))}), 1.0);
    QVERIFY(std::abs(b.item<double>() - 100.0) < 1e-3);
  }

  void effectiveSampleFraction() {
    QVERIFY(std::abs(effective_sample_fraction(torch::full({50}, 3.7f)).item<double>() - 1.0) < 1e-6);
    auto onehot = torch::zeros({40});
    onehot[7] = 5.0f;
    QVERIFY(std::abs(effective_sample_fraction(onehot).item<double>() - 1.0 / 40) < 1e-7);
    // two equal weights among n: (2w)^2 / (n 2 w^2) = 2/n
    auto two = torch::zeros({10});
    two[1] = 1.0f;
    two[8] = 1.0f;
    QVERIFY(std::abs(effective_sample_fraction(two).item<double>() - 0.2) < 1e-7);
    // closed form on arbitrary weights
    auto w = torch::tensor({1.0f, 2.0f, 3.0f});
    QVERIFY(std::abs(effective_sample_fraction(w).item<double>() - 36.0 / (3.0 * 14.0)) < 1e-6);
  }

  void gaussianLogProb() {
    // single dimension: log of (1 / (sigma sqrt(2 pi))) exp(-(x - mu)^2 / (2 sigma^2))
    const double mu = 0.3, sigma = 0.7, x = -0.4;
    const double density = std::exp(-(x - mu) * (x - mu) / (2 * sigma * sigma)) / (sigma * std::sqrt(2 * M_PI));
    auto lp = gaussian_log_prob(torch::tensor({{mu}}, torch::kFloat64), torch::tensor({std::log(sigma)}, torch::kFloat64),
                                torch::tensor({{x}}, torch::kFloat64));
    QCOMPARE(lp.sizes().vec(), (std::vector<int64_t>{1}));
    QVERIFY(std::abs(lp.item<double>() - std::log(density)) < 1e-12);
    // summed over the last dimension, log-std broadcast over the batch
    auto mean = torch::tensor({{0.0, 1.0}, {0.5, -0.5}}, torch::kFloat64);
    auto ls = torch::tensor({0.0, std::log(2.0)}, torch::kFloat64);
    auto xs = torch::tensor({{1.0, 1.0}, {0.5, 1.5}}, torch::kFloat64);
    auto got = gaussian_log_prob(mean, ls, xs);
    auto logn = [](double x, double m, double s) {
      return std::log(std::exp(-(x - m) * (x - m) / (2 * s * s)) / (s * std::sqrt(2 * M_PI)));
    };
    QVERIFY(std::abs(got[0].item<double>() - (logn(1, 0, 1) + logn(1, 1, 2))) < 1e-12);
    QVERIFY(std::abs(got[1].item<double>() - (logn(0.5, 0.5, 1) + logn(1.5, -0.5, 2))) < 1e-12);
  }

  void polyakUpdate() {
    auto target = torch::tensor({1.0f, -2.0f, 0.0f});
    auto online = torch::tensor({3.0f, 2.0f, 10.0f});
    polyak_update(target, online, 0.25);
    auto want = torch::tensor({0.25f * 3 + 0.75f * 1, 0.25f * 2 + 0.75f * -2, 0.25f * 10});
    QVERIFY(max_abs(target - want) < 1e-6);
    QVERIFY(online.equal(torch::tensor({3.0f, 2.0f, 10.0f})));  // the online side is untouched
    polyak_update(target, online, 1.0);
    QVERIFY(max_abs(target - online) < 1e-7);
    // works on a parameter that requires grad (in place under no-grad)
    auto p = torch::zeros({2}).requires_grad_(true);
    polyak_update(p, torch::ones({2}), 0.5);
    QVERIFY(max_abs(p.detach() - 0.5) < 1e-7);
  }

  void cosineDecay() {
    const double base = 3e-4;
    const int64_t T = 1000;
    QCOMPARE(cosine_decay(base, 0, T), base);
    QVERIFY(std::abs(cosine_decay(base, T / 2, T) - base / 2) < 1e-15);
    QVERIFY(std::abs(cosine_decay(base, T, T)) < 1e-15);
    QVERIFY(std::abs(cosine_decay(base, 5 * T, T)) < 1e-15);  // stays at 0 beyond T
    QVERIFY(std::abs(cosine_decay(base, T / 4, T) - base * 0.5 * (1 + std::cos(M_PI / 4))) < 1e-15);
    QCOMPARE(cosine_decay(base, 10, 0), base);  // no schedule without a horizon
  }
};

QTEST_GUILESS_MAIN(TestIqlMath)
#include "test_iql_math.moc"
