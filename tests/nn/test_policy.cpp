// nn::Policy's hand-derived loss gradients against torch autograd on the same expression, computed
// in double from an independent forward (relu MLP chain on views of the flat trunk parameters).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "core/nn/policy.h"

using iql::nn::Policy;

namespace {

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

void expect_close(const torch::Tensor& got, const torch::Tensor& want, double rel, const char* what) {
  QCOMPARE(got.sizes().vec(), want.sizes().vec());
  const double err = max_abs(got.to(torch::kFloat64) - want.to(torch::kFloat64));
  const double scale = std::max(max_abs(want), 1e-6);
  if (!(err <= rel * scale))
    QFAIL(qPrintable(QString("%1: max abs error %2 > %3 * %4").arg(what).arg(err).arg(rel).arg(scale)));
}

// Trunk forward on views of a flat parameter vector ([in, out] weights then [out] biases per layer),
// relu between layers, inverted dropout with masks drawn as bernoulli_(1 - p) per hidden layer.
torch::Tensor ref_trunk(const torch::Tensor& flat, const std::vector<int64_t>& dims, const torch::Tensor& x,
                        double dropout) {
  torch::Tensor h = x;
  int64_t off = 0;
  for (size_t l = 0; l + 1 < dims.size(); ++l) {
    const int64_t in = dims[l], out = dims[l + 1];
    auto w = flat.narrow(0, off, in * out).view({in, out});
    off += in * out;
    auto b = flat.narrow(0, off, out);
    off += out;
    h = torch::matmul(h, w) + b;
    if (l + 2 < dims.size()) {
      h = torch::relu(h);
      if (dropout > 0.0) {
        torch::Tensor keep;
        {
          torch::NoGradGuard ng;
          keep = torch::empty(h.sizes(), torch::kFloat32).bernoulli_(1.0 - dropout).to(h.scalar_type());
        }
        h = h * keep / (1.0 - dropout);
      }
    }
  }
  return h;
}

struct Reference {
  double loss;
  torch::Tensor trunk_grad, log_std_grad;
};

// -mean(w * sum_j log N(a_j; tanh(trunk(s))_j, exp(clip(log_std_j, -5, 2))))  (Gaussian), or
// mean(w * |tanh(trunk(s)) - a|^2)  (deterministic), by autograd in double.
Reference reference(Policy& pol, const std::vector<int64_t>& dims, const torch::Tensor& obs, const torch::Tensor& act,
                    const torch::Tensor& w, double dropout) {
  auto p = pol.trunk().params().detach().to(torch::kFloat64).requires_grad_(true);
  auto ls = pol.log_std().detach().to(torch::kFloat64).requires_grad_(true);
  auto mu = torch::tanh(ref_trunk(p, dims, obs.to(torch::kFloat64), dropout));
  auto a = act.to(torch::kFloat64);
  auto wd = w.to(torch::kFloat64);
  torch::Tensor loss;
  if (pol.gaussian()) {
    auto sd = torch::exp(torch::clamp(ls, -5.0, 2.0));
    // log of the normal density 1/(sd sqrt(2 pi)) exp(-(a - mu)^2 / (2 sd^2)), taken analytically so
    // tiny clipped stds (e^-5) do not underflow
    auto logp = (-torch::pow(a - mu, 2) / (2.0 * sd * sd) - torch::log(sd * std::sqrt(2.0 * M_PI))).sum(1);
    loss = -(wd * logp).mean();
  } else {
    loss = (wd * torch::pow(mu - a, 2).sum(1)).mean();
  }
  loss.backward();
  Reference r;
  r.loss = loss.item<double>();
  r.trunk_grad = p.grad();
  r.log_std_grad = ls.grad();
  return r;
}

// The log-std gradient is private to the policy; the first Adam step stores m = (1 - beta1) g.
torch::Tensor log_std_grad_via_adam(Policy& pol) { return pol.log_std_adam().exp_avg() / 0.1; }

}  // namespace

class TestPolicy : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { torch::manual_seed(2024); }

  void gaussianLossAndGradientsMatchAutograd_data() {
    QTest::addColumn<double>("dropout");
    QTest::newRow("no dropout") << 0.0;
    QTest::newRow("dropout 0.1, same mask") << 0.1;
  }
  void gaussianLossAndGradientsMatchAutograd() {
    QFETCH(double, dropout);
    const int64_t o = 5, a = 3, h = 32, B = 64;
    const std::vector<int64_t> dims = {o, h, h, a};
    Policy pol(o, a, h, true, dropout);
    pol.log_std().copy_(torch::tensor({-0.7f, 0.3f, 1.1f}));
    auto obs = torch::randn({B, o});
    auto act = (torch::rand({B, a}) * 2 - 1) * 0.99;
    auto w = torch::exp(torch::randn({B}));

    torch::manual_seed(99);
    auto loss = pol.weighted_loss_backward(obs, act, w);
    auto trunk_grad = pol.trunk().grad().clone();
    torch::manual_seed(99);
    auto ref = reference(pol, dims, obs, act, w, dropout);

    QVERIFY2(std::abs(loss.item<double>() - ref.loss) <= 1e-5 * std::max(1.0, std::abs(ref.loss)),
             qPrintable(QString("loss %1 vs autograd %2").arg(loss.item<double>()).arg(ref.loss)));
    expect_close(trunk_grad, ref.trunk_grad, 1e-4, "trunk gradient");
    pol.optimizer_step(1e-3);
    expect_close(log_std_grad_via_adam(pol), ref.log_std_grad, 1e-4, "log-std gradient");
  }

  void logStdClipGradientZeroOutside() {
    const int64_t o = 4, a = 4, h = 16, B = 50;
    const std::vector<int64_t> dims = {o, h, h, a};
    Policy pol(o, a, h, true, 0.0);
    pol.log_std().copy_(torch::tensor({-6.0f, 3.0f, -1.0f, 0.5f}));
    QVERIFY(pol.clipped_log_std().equal(torch::tensor({-5.0f, 2.0f, -1.0f, 0.5f})));
    auto obs = torch::randn({B, o});
    auto act = (torch::rand({B, a}) * 2 - 1) * 0.9;
    auto w = torch::rand({B}) + 0.1;
    auto loss = pol.weighted_loss_backward(obs, act, w);
    auto trunk_grad = pol.trunk().grad().clone();
    auto ref = reference(pol, dims, obs, act, w, 0.0);
    QVERIFY(std::abs(loss.item<double>() - ref.loss) <= 1e-5 * std::abs(ref.loss));
    expect_close(trunk_grad, ref.trunk_grad, 1e-4, "trunk gradient with clipped log-std");
    pol.optimizer_step(1e-3);
    auto g = log_std_grad_via_adam(pol);
    QCOMPARE(g[0].item<double>(), 0.0);
    QCOMPARE(g[1].item<double>(), 0.0);
    QVERIFY(std::abs(g[2].item<double>()) > 1e-4);
    QVERIFY(std::abs(g[3].item<double>()) > 1e-4);
    expect_close(g, ref.log_std_grad, 1e-4, "log-std gradient");
    // outside the clip the log-std does not move
    QCOMPARE(pol.log_std()[0].item<double>(), -6.0);
    QCOMPARE(pol.log_std()[1].item<double>(), 3.0);
  }

  // d/d log_std of -log N = 1 - z^2: log-std grows when the residuals are larger than the std.
  void logStdGradientClosedForm() {
    Policy pol(2, 1, 8, true, 0.0);
    pol.trunk().params().zero_();  // mean = tanh(0) = 0
    auto obs = torch::randn({4, 2});
    auto act = torch::tensor({{0.5f}, {-0.5f}, {0.25f}, {0.0f}});
    auto w = torch::tensor({1.0f, 2.0f, 1.0f, 4.0f});
    pol.log_std().fill_(std::log(0.5));
    auto loss = pol.weighted_loss_backward(obs, act, w);
    pol.optimizer_step(1e-3);
    // z = a / 0.5 = {1, -1, 0.5, 0}; grad = -mean(w (z^2 - 1)) = -(0 + 0 + 1*(-0.75) + 4*(-1))/4
    const double want_grad = 4.75 / 4.0;
    QVERIFY(std::abs(log_std_grad_via_adam(pol).item<double>() - want_grad) < 1e-5);
    // loss = -mean(w * (-0.5 z^2 - log 0.5 - 0.5 log 2pi))
    const double z2[] = {1.0, 1.0, 0.25, 0.0}, ws[] = {1, 2, 1, 4};
    double want = 0;
    for (int i = 0; i < 4; ++i) want += -ws[i] * (-0.5 * z2[i] - std::log(0.5) - 0.5 * std::log(2 * M_PI));
    want /= 4;
    QVERIFY(std::abs(loss.item<double>() - want) < 1e-5);
  }

  void deterministicLossAndGradientMatchAutograd() {
    const int64_t o = 6, a = 2, h = 24, B = 40;
    const std::vector<int64_t> dims = {o, h, h, a};
    Policy pol(o, a, h, false, 0.0);
    QVERIFY(!pol.gaussian());
    auto obs = torch::randn({B, o});
    auto act = (torch::rand({B, a}) * 2 - 1) * 0.99;
    auto w = torch::exp(torch::randn({B}));
    auto loss = pol.weighted_loss_backward(obs, act, w);
    auto ref = reference(pol, dims, obs, act, w, 0.0);
    QVERIFY(std::abs(loss.item<double>() - ref.loss) <= 1e-5 * std::max(1.0, ref.loss));
    expect_close(pol.trunk().grad(), ref.trunk_grad, 1e-4, "deterministic trunk gradient");
    // a step against the gradient lowers the loss
    auto before = pol.trunk().params().clone();
    pol.optimizer_step(1e-3);
    QVERIFY(!pol.trunk().params().equal(before));
    auto loss2 = pol.weighted_loss_backward(obs, act, w);
    QVERIFY(loss2.item<double>() < loss.item<double>());
  }

  void actDeterministicInRange() {
    const int64_t o = 3, a = 2, h = 16;
    Policy pol(o, a, h, true, 0.5);  // dropout must not apply when acting
    auto obs = torch::randn({200, o}) * 5;
    auto want = torch::tanh(ref_trunk(pol.trunk().params(), {o, h, h, a}, obs, 0.0));
    auto got = pol.act_deterministic(obs);
    expect_close(got, want, 1e-5, "deterministic action");
    QVERIFY(pol.act_deterministic(obs).equal(got));  // no randomness
    // saturated trunk: still within [-1, 1]
    pol.trunk().params().mul_(50.0);
    auto sat = pol.act_deterministic(obs);
    QVERIFY(sat.max().item<double>() <= 1.0);
    QVERIFY(sat.min().item<double>() >= -1.0);
    QVERIFY(sat.abs().max().item<double>() > 0.999);
  }

  void actSampleUsesClippedStd() {
    Policy pol(2, 2, 8, true, 0.0);
    pol.log_std().copy_(torch::tensor({std::log(0.3f), 5.0f}));  // second clipped to 2
    auto obs = torch::randn({1, 2}).expand({20000, 2}).contiguous();
    auto mu = pol.mean(obs);
    auto s = pol.act_sample(obs) - mu;
    auto sd = s.std(0);
    QVERIFY(std::abs(sd[0].item<double>() - 0.3) < 0.3 * 0.03);
    QVERIFY(std::abs(sd[1].item<double>() - std::exp(2.0)) < std::exp(2.0) * 0.03);
    QVERIFY(std::abs(s.mean(0)[0].item<double>()) < 0.3 * 0.05);
  }
};

QTEST_GUILESS_MAIN(TestPolicy)
#include "test_policy.moc"
