// nn::FlatAdam against torch::optim::Adam on a random quadratic, and the fused Polyak update.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>

#include "core/nn/adam.h"

using iql::nn::FlatAdam;

namespace {
double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

// f(x) = 0.5 x^T A x - b^T x with A symmetric positive definite; grad = A x - b.
struct Quadratic {
  torch::Tensor A, b;
  explicit Quadratic(int64_t n) {
    auto M = torch::randn({n, n}) / std::sqrt(static_cast<double>(n));
    A = torch::matmul(M, M.t()) + 0.5 * torch::eye(n);
    b = torch::randn({n});
  }
  torch::Tensor grad(const torch::Tensor& x) const { return torch::mv(A, x) - b; }
};
}  // namespace

class TestAdam : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { torch::manual_seed(42); }

  void matchesTorchAdam_data() {
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("beta1");
    QTest::addColumn<double>("beta2");
    QTest::addColumn<double>("eps");
    QTest::newRow("defaults") << 3e-4 << 0.9 << 0.999 << 1e-8;
    QTest::newRow("custom") << 0.02 << 0.8 << 0.95 << 1e-3;
  }
  void matchesTorchAdam() {
    QFETCH(double, lr);
    QFETCH(double, beta1);
    QFETCH(double, beta2);
    QFETCH(double, eps);
    const int64_t n = 64;
    Quadratic f(n);
    auto x0 = torch::randn({n});

    auto ref = x0.clone().requires_grad_(true);
    torch::optim::Adam opt({ref}, torch::optim::AdamOptions(lr).betas({beta1, beta2}).eps(eps));
    auto flat = x0.clone();
    FlatAdam adam(n, lr, beta1, beta2, eps);
    for (int s = 0; s < 20; ++s) {
      opt.zero_grad();
      auto loss = 0.5 * torch::dot(ref, torch::mv(f.A, ref)) - torch::dot(f.b, ref);
      loss.backward();
      opt.step();
      adam.step(flat, f.grad(flat));
      const double err = max_abs(flat - ref.detach());
      QVERIFY2(err < 2e-6 + 1e-5 * max_abs(ref.detach() - x0),
               qPrintable(QString("step %1: max |flat - torch| = %2").arg(s + 1).arg(err)));
    }
    QCOMPARE(adam.steps(), int64_t(20));
    // the moments equal torch's state too (its one entry: keyed by a string in LibTorch 1.x, a pointer in 2.x)
    QCOMPARE(opt.state().size(), size_t(1));
    auto& st = static_cast<torch::optim::AdamParamState&>(*opt.state().begin()->second);
    QVERIFY(max_abs(adam.exp_avg() - st.exp_avg()) < 1e-5 * std::max(1.0, max_abs(st.exp_avg())));
    QVERIFY(max_abs(adam.exp_avg_sq() - st.exp_avg_sq()) < 1e-5 * std::max(1.0, max_abs(st.exp_avg_sq())));
    // and the parameters moved towards the optimum (the loss went down)
    auto loss_of = [&](const torch::Tensor& x) {
      return (0.5 * torch::dot(x, torch::mv(f.A, x)) - torch::dot(f.b, x)).item<double>();
    };
    QVERIFY(loss_of(flat) < loss_of(x0));
  }

  // First step closed form: m = (1-b1) g, v = (1-b2) g^2, update = lr * g / (|g| + eps) (bias-corrected).
  void firstStepClosedForm() {
    FlatAdam adam(4, 0.1, 0.9, 0.999, 1e-8);
    auto p = torch::zeros({4});
    auto g = torch::tensor({2.0f, -0.5f, 1e-3f, 0.0f});
    adam.step(p, g);
    auto want = -0.1 * g / (g.abs() + 1e-8);
    QVERIFY(max_abs(p - want) < 1e-5 * 0.1);
    QVERIFY(max_abs(adam.exp_avg() - 0.1 * g) < 1e-6 * 0.2);
    // (1 - beta2) is formed in float by the fused loop: relative error about 1.3e-5 (see report)
    QVERIFY(max_abs(adam.exp_avg_sq() - 0.001 * g * g) < 2e-5 * 0.001 * 4.0);
  }

  // step(params, grad, lr) uses the given lr, not the stored one; set_lr changes the stored one.
  void explicitLearningRate() {
    FlatAdam a(3, 0.5), b(3, 0.01);
    auto pa = torch::zeros({3}), pb = torch::zeros({3});
    auto g = torch::tensor({1.0f, -1.0f, 3.0f});
    a.step(pa, g, 0.01);
    b.step(pb, g);
    QVERIFY(max_abs(pa - pb) < 1e-8);
    QCOMPARE(a.lr(), 0.5);
    a.set_lr(0.2);
    QCOMPARE(a.lr(), 0.2);
  }

  // Large buffers are split over threads: the result must still equal torch's Adam everywhere.
  void largeBufferMatchesTorch() {
    const int64_t n = 100003;  // several 16384-element chunks plus a ragged tail
    auto x0 = torch::randn({n});
    auto ref = x0.clone().requires_grad_(true);
    torch::optim::Adam opt({ref}, torch::optim::AdamOptions(1e-2));
    auto flat = x0.clone();
    FlatAdam adam(n, 1e-2);
    auto scale = torch::rand({n}) * 3 + 0.1;
    for (int s = 0; s < 5; ++s) {
      auto g = scale * (flat - 0.3);  // gradient of sum(0.5 * scale * (x - 0.3)^2)
      opt.zero_grad();
      (0.5 * scale * (ref - 0.3).pow(2)).sum().backward();
      opt.step();
      adam.step(flat, g);
    }
    QVERIFY(max_abs(flat - ref.detach()) < 1e-5);
  }

  void polyakAfterAdamStep() {
    const int64_t n = 50000;
    const double rate = 0.005;
    auto p0 = torch::randn({n});
    auto target0 = torch::randn({n});
    FlatAdam plain(n, 1e-3), fused(n, 1e-3);
    auto p_plain = p0.clone(), p_fused = p0.clone(), target = target0.clone();
    for (int s = 0; s < 3; ++s) {
      auto g = torch::randn({n});
      auto target_old = target.clone();
      plain.step(p_plain, g);
      fused.step_with_polyak(p_fused, g, target, rate);
      QVERIFY(max_abs(p_fused - p_plain) == 0.0);  // the Adam part is the same step
      auto want = rate * p_plain + (1.0 - rate) * target_old;  // uses the *updated* parameters
      QVERIFY2(max_abs(target - want) < 1e-6, qPrintable(QString::number(max_abs(target - want))));
    }
    QCOMPARE(fused.steps(), int64_t(3));
    // rate 1 copies the parameters
    auto t1 = torch::zeros({n});
    fused.step_with_polyak(p_fused, torch::randn({n}), t1, 1.0);
    QVERIFY(max_abs(t1 - p_fused) < 1e-7);
  }

  void polyakUsesUpdatedParameters() {
    // a single element where the step is large enough to tell pre- from post-step parameters
    FlatAdam adam(1, 0.5);
    auto p = torch::tensor({1.0f});
    auto target = torch::tensor({0.0f});
    adam.step_with_polyak(p, torch::tensor({1.0f}), target, 0.5);
    // first Adam step: p = 1 - 0.5 * 1/(1 + 1e-8) = 0.5; target = 0.5 * 0.5 + 0.5 * 0 = 0.25
    QVERIFY(std::abs(p.item<double>() - 0.5) < 1e-5);
    QVERIFY(std::abs(target.item<double>() - 0.25) < 1e-5);
    // the pre-step parameters would give 0.5 * 1 + 0.5 * 0 = 0.5
    QVERIFY(std::abs(target.item<double>() - 0.5) > 0.1);
  }
};

QTEST_GUILESS_MAIN(TestAdam)
#include "test_adam.moc"
