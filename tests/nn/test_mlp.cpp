// nn::Mlp against an independent torch computation: forward = relu(x W + b) chain, hand-written
// backward = torch autograd of sum(out * G), dropout masks reproduced from the same seed, and the
// orthogonal initialisation (gain sqrt 2, zero biases).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "core/nn/mlp.h"

using iql::nn::Mlp;

namespace {

// The documented flat layout, per layer: E*in*out weights ([E, in, out], x @ W), then E*out biases.
// The reference builds its weights as views of a (possibly autograd-tracked) flat tensor.
struct RefLayer {
  torch::Tensor w, b;  // [E, in, out], [E, 1, out]
};

std::vector<RefLayer> ref_layers(const torch::Tensor& flat, const std::vector<int64_t>& dims, int64_t E) {
  std::vector<RefLayer> out;
  int64_t off = 0;
  for (size_t l = 0; l + 1 < dims.size(); ++l) {
    const int64_t in = dims[l], o = dims[l + 1];
    RefLayer L;
    L.w = flat.narrow(0, off, E * in * o).view({E, in, o});
    off += E * in * o;
    L.b = flat.narrow(0, off, E * o).view({E, 1, o});
    off += E * o;
    out.push_back(L);
  }
  if (off != flat.numel()) throw std::runtime_error("layout size mismatch");
  return out;
}

// Independent forward: plain matmul + relu, per member; dropout (if p > 0) draws its mask with the
// same call the library documents (bernoulli_(1 - p) on a tensor shaped like the activation, one draw
// per hidden layer over all members) so a re-seeded generator reproduces the library's mask.
// With `given` masks (the network's own, Mlp::last_dropout_masks), dropout uses them instead of drawing.
torch::Tensor ref_forward(const torch::Tensor& flat, const std::vector<int64_t>& dims, int64_t E,
                          const torch::Tensor& x, double dropout, std::vector<torch::Tensor>* masks = nullptr,
                          const std::vector<torch::Tensor>* given = nullptr) {
  auto layers = ref_layers(flat, dims, E);
  torch::Tensor h = x.dim() == 2 ? x.unsqueeze(0).expand({E, x.size(0), x.size(1)}) : x;
  for (size_t l = 0; l < layers.size(); ++l) {
    h = torch::matmul(h, layers[l].w) + layers[l].b;
    if (l + 1 < layers.size()) {
      h = torch::relu(h);
      if (dropout > 0.0) {
        torch::Tensor keep;
        {
          torch::NoGradGuard ng;
          keep = given ? (E == 1 ? (*given)[l].unsqueeze(0) : (*given)[l]).clone()
                       : torch::empty_like(h).bernoulli_(1.0 - dropout);
        }
        if (masks) masks->push_back(keep);
        h = h * keep / (1.0 - dropout);
      }
    }
  }
  return E == 1 ? h.squeeze(0) : h;
}

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

void expect_close(const torch::Tensor& got, const torch::Tensor& want, double rel, const char* what) {
  QCOMPARE(got.sizes().vec(), want.sizes().vec());
  const double err = max_abs(got - want);
  const double scale = std::max(max_abs(want), 1e-6);
  if (!(err <= rel * scale))
    QFAIL(qPrintable(QString("%1: max abs error %2 > %3 * max|ref| %4").arg(what).arg(err).arg(rel).arg(scale)));
}

}  // namespace

class TestMlp : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { torch::manual_seed(1234); }

  void forwardMatchesTorch_data() {
    QTest::addColumn<int>("E");
    QTest::addColumn<bool>("perMember");
    QTest::newRow("E=1") << 1 << false;
    QTest::newRow("E=2 shared input") << 2 << false;
    QTest::newRow("E=2 per-member input") << 2 << true;
  }
  void forwardMatchesTorch() {
    QFETCH(int, E);
    QFETCH(bool, perMember);
    const std::vector<int64_t> dims = {5, 32, 24, 3};
    Mlp net(dims, E);
    // non-zero biases so the bias path is exercised
    net.params().copy_(torch::randn({net.num_parameters()}) * 0.5);
    const int64_t B = 17;
    auto x = perMember ? torch::randn({E, B, 5}) : torch::randn({B, 5});
    auto want = ref_forward(net.params(), dims, E, x, 0.0);
    auto eval_out = net.forward(x, false);
    auto train_out = net.forward(x, true);
    if (E == 1) QCOMPARE(eval_out.sizes().vec(), (std::vector<int64_t>{B, 3}));
    else QCOMPARE(eval_out.sizes().vec(), (std::vector<int64_t>{E, B, 3}));
    expect_close(eval_out, want, 1e-5, "eval forward");
    expect_close(train_out, want, 1e-5, "train forward without dropout");
    if (E == 2) {  // members are independent networks: their outputs must differ
      QVERIFY(max_abs(eval_out[0] - eval_out[1]) > 1e-3);
    }
  }

  void backwardMatchesAutograd_data() { forwardMatchesTorch_data(); }
  void backwardMatchesAutograd() {
    QFETCH(int, E);
    QFETCH(bool, perMember);
    const std::vector<int64_t> dims = {6, 20, 16, 4};
    Mlp net(dims, E);
    net.params().copy_(torch::randn({net.num_parameters()}) * 0.4);
    const int64_t B = 33;
    auto x = perMember ? torch::randn({E, B, 6}) : torch::randn({B, 6});
    auto out = net.forward(x, true);
    auto G = torch::randn_like(out);
    net.grad().fill_(123.0f);  // backward must overwrite, not accumulate
    net.backward(G);

    auto p = net.params().detach().clone().requires_grad_(true);
    auto ref = ref_forward(p, dims, E, x, 0.0);
    (ref * G).sum().backward();
    expect_close(net.grad(), p.grad(), 1e-4, "parameter gradient");

    // a second backward with another G gives that G's gradient (no accumulation)
    auto G2 = torch::randn_like(out);
    net.backward(G2);
    auto p2 = net.params().detach().clone().requires_grad_(true);
    (ref_forward(p2, dims, E, x, 0.0) * G2).sum().backward();
    expect_close(net.grad(), p2.grad(), 1e-4, "parameter gradient, second backward");
  }

  void backwardWithoutTrainForwardThrows() {
    Mlp net({3, 4, 1});
    net.forward(torch::randn({2, 3}), false);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, net.backward(torch::ones({2, 1})));
  }

  void dropoutMatchesAutogradWithSameMask_data() { forwardMatchesTorch_data(); }
  void dropoutMatchesAutogradWithSameMask() {
    QFETCH(int, E);
    QFETCH(bool, perMember);
    const double p = 0.3;
    const std::vector<int64_t> dims = {4, 64, 48, 2};
    Mlp net(dims, E, p);
    net.params().copy_(torch::randn({net.num_parameters()}) * 0.3);
    const int64_t B = 40;
    auto x = perMember ? torch::randn({E, B, 4}) : torch::randn({B, 4});

    auto out = net.forward(x, true);
    // The network's own keep masks (members draw theirs in parallel, so the draw order is not a
    // single global sequence to reproduce).
    const std::vector<torch::Tensor> net_masks = net.last_dropout_masks();
    QCOMPARE(net_masks.size(), dims.size() - 2);
    auto G = torch::randn_like(out);
    net.backward(G);

    auto flat = net.params().detach().clone().requires_grad_(true);
    std::vector<torch::Tensor> masks;
    auto ref = ref_forward(flat, dims, E, x, p, &masks, &net_masks);
    expect_close(out, ref.detach(), 1e-5, "dropout train forward");
    (ref * G).sum().backward();
    expect_close(net.grad(), flat.grad(), 1e-4, "dropout parameter gradient");

    // the reproduced masks really drop about p of the units
    double dropped = 0, total = 0;
    for (auto& m : masks) {
      dropped += (1.0 - m).sum().item<double>();
      total += m.numel();
    }
    QVERIFY2(std::abs(dropped / total - p) < 0.03, qPrintable(QString::number(dropped / total)));

    // eval forward has no dropout, and differs from the train forward
    auto eval_out = net.forward(x, false);
    expect_close(eval_out, ref_forward(net.params(), dims, E, x, 0.0), 1e-5, "eval forward with dropout net");
    QVERIFY(max_abs(eval_out - out) > 1e-3);
  }

  // Inverted dropout keeps the expected activation: with a single linear output after one hidden
  // layer, E[train forward] = eval forward.
  void dropoutTrainExpectationEqualsEval() {
    torch::manual_seed(5);
    const double p = 0.5;
    Mlp net({3, 64, 1}, 1, p);
    auto x = torch::randn({1, 3}).expand({20000, 3}).contiguous();
    auto eval_out = net.forward(x, false)[0][0].item<double>();
    auto train_out = net.forward(x, true);
    const double mean = train_out.mean().item<double>();
    const double se = train_out.std().item<double>() / std::sqrt(20000.0);
    QVERIFY2(se > 0, "train forward must be random with dropout");
    QVERIFY2(std::abs(mean - eval_out) < 5 * se + 1e-6,
             qPrintable(QString("train mean %1 eval %2 se %3").arg(mean).arg(eval_out).arg(se)));
  }

  void orthogonalInit_data() {
    QTest::addColumn<int>("E");
    QTest::newRow("E=1") << 1;
    QTest::newRow("E=2") << 2;
  }
  void orthogonalInit() {
    QFETCH(int, E);
    const std::vector<int64_t> dims = {7, 64, 64, 3};
    Mlp net(dims, E);
    auto layers = ref_layers(net.params(), dims, E);
    for (size_t l = 0; l < layers.size(); ++l) {
      QCOMPARE(layers[l].b.abs().max().item<double>(), 0.0);
      for (int e = 0; e < E; ++e) {
        auto w = layers[l].w[e].to(torch::kFloat64);  // [in, out]
        const int64_t in = w.size(0), out = w.size(1);
        // the smaller Gram matrix is gain^2 I = 2 I (for square layers both are)
        auto gram = in >= out ? torch::matmul(w.t(), w) : torch::matmul(w, w.t());
        const int64_t k = std::min(in, out);
        QVERIFY2(max_abs(gram - 2.0 * torch::eye(k, torch::kFloat64)) < 1e-4,
                 qPrintable(QString("layer %1 member %2").arg(l).arg(e)));
        if (in == out) QVERIFY(max_abs(torch::matmul(w, w.t()) - 2.0 * torch::eye(k, torch::kFloat64)) < 1e-4);
      }
      if (E == 2) QVERIFY(max_abs(layers[l].w[0] - layers[l].w[1]) > 1e-2);  // independent members
    }
    // reset_parameters with another gain
    net.params().fill_(0.5f);
    net.reset_parameters(1.0);
    layers = ref_layers(net.params(), dims, E);
    auto w = layers[1].w[0].to(torch::kFloat64);
    QVERIFY(max_abs(torch::matmul(w.t(), w) - torch::eye(64, torch::kFloat64)) < 1e-4);
    QCOMPARE(layers[1].b.abs().max().item<double>(), 0.0);
  }

  void copyFromAndShapes() {
    Mlp a({4, 8, 1}, 2), b({4, 8, 1}, 2);
    QCOMPARE(a.num_parameters(), int64_t(2 * (4 * 8 + 8 + 8 * 1 + 1)));
    QVERIFY(!a.params().equal(b.params()));
    b.copy_from(a);
    QVERIFY(a.params().equal(b.params()));
    auto shapes = a.gemm_shapes(256);
    QCOMPARE(shapes.size(), size_t(4));
    QCOMPARE(shapes[0][0], int64_t(256));
    QCOMPARE(shapes[0][1], int64_t(4));
    QCOMPARE(shapes[0][2], int64_t(8));
  }
};

QTEST_GUILESS_MAIN(TestMlp)
#include "test_mlp.moc"
