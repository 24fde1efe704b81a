// One whole update of each algorithm (official IQL, the CORL variant, behaviour cloning) against an
// independent float64 re-implementation written here from the paper's equations with torch autograd:
// the same networks are rebuilt from the agent's flat parameters, the losses computed, gradients taken
// by autograd, Adam steps taken by hand and the Polyak average applied. Compared after the update:
// gradients of V, Q, actor trunk and log-std, and parameters of V, Q, target Q, actor trunk and log-std.
//
// Why gradients too: Adam divides each step by the gradient's own magnitude, so a wrong factor (e.g. a
// summed vs an averaged twin-Q loss) leaves the parameters unchanged; only the gradients show it.
//
// Tolerances (float32 implementation vs float64 reference):
// - gradients: max |g - g_ref| <= 1e-5 * max |g_ref| per tensor (float32 sums of 256 products carry
//   relative errors near 1e-6 of the tensor's scale; a per-element relative test would fail on
//   entries that are themselves sums cancelling to ~0).
// - parameters: |p - p_ref| <= 1e-5 absolute, widened only where Adam's first step p -= lr g/(|g|+eps)
//   is ill-conditioned: by lr * eps * dg / (|g|+eps)^2 with dg the gradient tolerance (an element whose
//   gradient is below float32 resolution may step either way, up to 2 lr).
// - ReLU kinks: a pre-activation within float32 rounding of 0 may be active in one precision and not in
//   the other, which changes that sample's gradient for the whole unit. So the reference takes each
//   trained network's ReLU (and dropout) pattern from a float32 replay of the same forward pass (the
//   same addmm on the same float32 inputs); every value and derivative is then float64.
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <optional>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/train/agent_settings.h"

using namespace iql;

namespace {

constexpr double kGradTol = 1e-5;   // relative to the tensor's largest gradient
constexpr double kParamTol = 1e-5;  // absolute
constexpr double kAdamEps = 1e-8, kBeta1 = 0.9, kBeta2 = 0.999;
const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);

// One layer's weight [in, out] and bias [out] of member e, as views into a flat buffer laid out as
// Mlp stores it: per layer, weights [E, in, out] (or [in, out] for E = 1), then biases [E, out].
struct LayerView {
  torch::Tensor w, b;
};
std::vector<LayerView> layers(const torch::Tensor& flat, const std::vector<int64_t>& dims, int64_t E, int64_t e) {
  std::vector<LayerView> out;
  int64_t off = 0;
  for (size_t l = 0; l + 1 < dims.size(); ++l) {
    const int64_t in = dims[l], o = dims[l + 1];
    auto w = flat.narrow(0, off, E * in * o).view({E, in, o})[e];
    off += E * in * o;
    auto b = flat.narrow(0, off, E * o).view({E, o})[e];
    off += E * o;
    out.push_back({w, b});
  }
  return out;
}

// An MLP forward in float64 (autograd flows into flat64). The ReLU/dropout pattern of hidden layers
// comes from the float32 replay on flat32 (see the file comment); with `masks` (dropout keep masks,
// 0/1) the kept units are scaled by 1/(1-p). Without flat32 the pattern is float64's own (no grad).
torch::Tensor mlp64(const torch::Tensor& flat64, const torch::Tensor* flat32, const std::vector<int64_t>& dims,
                    int64_t E, int64_t e, const torch::Tensor& x64, const torch::Tensor& x32,
                    const std::vector<torch::Tensor>* masks = nullptr, double p = 0.0) {
  auto L64 = layers(flat64, dims, E, e);
  std::vector<LayerView> L32;
  if (flat32) L32 = layers(*flat32, dims, E, e);
  torch::Tensor h64 = x64, h32 = x32;
  for (size_t l = 0; l < L64.size(); ++l) {
    auto z64 = torch::matmul(h64, L64[l].w) + L64[l].b;
    if (l + 1 == L64.size()) return z64;
    torch::Tensor active;
    if (flat32) {
      torch::NoGradGuard g;
      auto z32 = at::addmm(L32[l].b.view({1, -1}), h32, L32[l].w);
      active = (z32 > 0).to(torch::kFloat64);
      h32 = z32.relu();
      if (masks) h32 = h32.mul((*masks)[l]).mul(1.0 / (1.0 - p));
    } else {
      active = (z64 > 0).to(torch::kFloat64).detach();
    }
    h64 = z64 * active;
    if (masks) h64 = h64 * (*masks)[l].to(torch::kFloat64) / (1.0 - p);
  }
  return h64;
}

// One Adam step from a fresh state (t = 1), as torch.optim.Adam / optax.adam: m = (1-b1) g,
// v = (1-b2) g^2, p -= lr * (m / (1-b1)) / (sqrt(v / (1-b2)) + eps).
torch::Tensor adam_first_step(const torch::Tensor& p, const torch::Tensor& g, double lr) {
  auto m = (1 - kBeta1) * g, v = (1 - kBeta2) * g * g;
  auto mhat = m / (1 - kBeta1), vhat = v / (1 - kBeta2);
  return p - lr * mhat / (torch::sqrt(vhat) + kAdamEps);
}

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

void check_grad(const char* what, const torch::Tensor& got32, const torch::Tensor& ref64) {
  const double scale = max_abs(ref64);
  const double err = max_abs(got32.to(torch::kFloat64) - ref64);
  QVERIFY2(scale > 0, what);
  qInfo("%s gradient: max error / max |g| = %.2e", what, err / scale);
  QVERIFY2(err <= kGradTol * scale,
           qPrintable(QString("%1 gradient: max error %2, tolerance %3 (scale %4)").arg(what).arg(err).arg(kGradTol * scale).arg(scale)));
}

void check_params(const char* what, const torch::Tensor& got32, const torch::Tensor& ref64, const torch::Tensor& g64,
                  double lr) {
  const double dg = kGradTol * max_abs(g64);
  auto a = g64.abs() + kAdamEps;
  auto tol = kParamTol + torch::clamp(lr * kAdamEps * dg / (a * a), 0.0, 2.0 * lr);
  auto err = (got32.to(torch::kFloat64) - ref64).abs();
  const auto bad = (err > tol).sum().item<int64_t>();
  qInfo("%s parameters: max error %.2e", what, max_abs(err));
  QVERIFY2(bad == 0, qPrintable(QString("%1 parameters: %2 of %3 outside tolerance, max error %4")
                                    .arg(what).arg(bad).arg(err.numel()).arg(max_abs(err))));
}

struct Inputs {
  algo::Batch b32;
  torch::Tensor obs, act, rew, next_obs, terminal;  // float64 copies
};

Inputs make_batch(int64_t n, int64_t o, int64_t a, uint64_t seed) {
  torch::manual_seed(seed);
  Inputs in;
  in.b32.obs = torch::randn({n, o});
  in.b32.act = torch::rand({n, a}) * 1.98 - 0.99;
  in.b32.rew = torch::randn({n});
  in.b32.next_obs = torch::randn({n, o});
  in.b32.terminal = (torch::rand({n}) < 0.1).to(torch::kFloat32);
  in.obs = in.b32.obs.to(torch::kFloat64);
  in.act = in.b32.act.to(torch::kFloat64);
  in.rew = in.b32.rew.to(torch::kFloat64);
  in.next_obs = in.b32.next_obs.to(torch::kFloat64);
  in.terminal = in.b32.terminal.to(torch::kFloat64);
  return in;
}

// -mean(w * log N(a; tanh(trunk(s)), exp(clip(log_std, -5, 2)))) with log-prob summed over action dims.
torch::Tensor actor_loss64(const torch::Tensor& mu, const torch::Tensor& log_std, const torch::Tensor& act,
                           const torch::Tensor& w) {
  auto ls = log_std.clamp(-5.0, 2.0);
  auto z = (act - mu) / torch::exp(ls);
  auto logp = (-0.5 * z * z - ls - 0.5 * std::log(2.0 * M_PI)).sum(1);
  return -(w * logp).mean();
}

// The agent's parameters before the update, as float32 snapshots.
struct Snapshot {
  torch::Tensor value, critic, target, trunk, log_std;
};

struct Reference {
  torch::Tensor value, critic, target, trunk, log_std;  // after the update
  torch::Tensor g_value, g_critic, g_trunk, g_log_std;
  double clip_fraction = 0.0;
};

// IQL, one update, from the equations (paper section 4 and the official learner.py order):
//   q = min_i Qtarget_i(s, a); L_V = mean(|tau - 1(q - V(s) < 0)| (q - V(s))^2); V <- Adam
//   adv = q - V'(s), w = min(exp(beta adv), max_w); L_pi = -mean(w log pi(a|s)); pi <- Adam
//   y = r + gamma (1 - done) V'(s'); L_Q = sum_i mean((Q_i(s, a) - y)^2); Q <- Adam
//   Qtarget <- polyak Q + (1 - polyak) Qtarget
// V' is the updated V (official) or the pre-update V (CORL, which also averages the two Q losses).
Reference iql_reference(const Snapshot& s, const TrainConfig& cfg, int64_t o, int64_t a, const Inputs& in,
                        const std::vector<torch::Tensor>& masks, bool corl_v, bool corl_q) {
  const int64_t h = cfg.hidden;
  const std::vector<int64_t> vd{o, h, h, 1}, qd{o + a, h, h, 1}, pd{o, h, h, a};
  Reference r;
  auto sa64 = torch::cat({in.obs, in.act}, 1);
  auto sa32 = torch::cat({in.b32.obs, in.b32.act}, 1);
  auto target64 = s.target.to(torch::kFloat64);
  torch::Tensor q;
  {
    torch::NoGradGuard g;
    q = torch::min(mlp64(target64, nullptr, qd, 2, 0, sa64, sa32), mlp64(target64, nullptr, qd, 2, 1, sa64, sa32))
            .squeeze(1);
  }
  // V
  auto v64 = s.value.to(torch::kFloat64).requires_grad_(true);
  auto v = mlp64(v64, &s.value, vd, 1, 0, in.obs, in.b32.obs).squeeze(1);
  auto u = q - v;
  auto ew = torch::where(u < 0, torch::full_like(u, 1 - cfg.expectile), torch::full_like(u, cfg.expectile));
  (ew * u * u).mean().backward();
  r.g_value = v64.grad().clone();
  r.value = adam_first_step(v64.detach(), r.g_value, cfg.value_lr);
  // the V that feeds actor and critic
  torch::Tensor v_s, v_next;
  {
    torch::NoGradGuard g;
    auto vf = corl_v ? v64.detach() : r.value;
    v_s = mlp64(vf, nullptr, vd, 1, 0, in.obs, in.b32.obs).squeeze(1);
    v_next = mlp64(vf, nullptr, vd, 1, 0, in.next_obs, in.b32.next_obs).squeeze(1);
  }
  // actor
  auto w = torch::clamp_max(torch::exp(cfg.temperature * (q - v_s)), cfg.max_weight);
  r.clip_fraction = (w >= cfg.max_weight).to(torch::kFloat64).mean().item<double>();
  auto t64 = s.trunk.to(torch::kFloat64).requires_grad_(true);
  auto ls64 = s.log_std.to(torch::kFloat64).requires_grad_(true);
  auto mu = torch::tanh(mlp64(t64, &s.trunk, pd, 1, 0, in.obs, in.b32.obs, masks.empty() ? nullptr : &masks,
                              cfg.dropout));
  actor_loss64(mu, ls64, in.act, w).backward();
  r.g_trunk = t64.grad().clone();
  r.g_log_std = ls64.grad().clone();
  // cosine decay at step 0 is the base rate
  r.trunk = adam_first_step(t64.detach(), r.g_trunk, cfg.actor_lr);
  r.log_std = adam_first_step(ls64.detach(), r.g_log_std, cfg.actor_lr);
  // critics
  auto y = in.rew + cfg.discount * (1 - in.terminal) * v_next;
  auto c64 = s.critic.to(torch::kFloat64).requires_grad_(true);
  auto l1 = (mlp64(c64, &s.critic, qd, 2, 0, sa64, sa32).squeeze(1) - y).pow(2).mean();
  auto l2 = (mlp64(c64, &s.critic, qd, 2, 1, sa64, sa32).squeeze(1) - y).pow(2).mean();
  (corl_q ? (l1 + l2) / 2 : l1 + l2).backward();
  r.g_critic = c64.grad().clone();
  r.critic = adam_first_step(c64.detach(), r.g_critic, cfg.critic_lr);
  // Polyak after the critic step, towards the updated critic
  r.target = cfg.polyak * r.critic + (1 - cfg.polyak) * target64;
  return r;
}

TrainConfig base_config() {
  TrainConfig c;
  c.hidden = 256;
  c.batch_size = 256;
  c.steps = 1000;
  return c;
}

}  // namespace

class TestIqlUpdateReference : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void iqlUpdate_data() {
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<double>("temperature");
    QTest::addColumn<double>("value_lr");
    QTest::addColumn<double>("polyak");
    QTest::addColumn<bool>("logStdAtBounds");
    // Official hyperparameters as they are.
    QTest::newRow("iql official defaults") << "iql" << 0.0 << 3.0 << 3e-4 << 0.005 << false;
    // Made observable: beta 30 puts many weights at the clip of 100; a larger V step makes the choice of
    // V (updated or not) visible in the actor and critic; polyak 0.5 makes the Polyak order visible.
    QTest::newRow("iql dropout, clip, bounds") << "iql" << 0.1 << 30.0 << 1e-3 << 0.5 << true;
    QTest::newRow("iql-corl dropout, clip, bounds") << "iql-corl" << 0.1 << 30.0 << 1e-3 << 0.5 << true;
    QTest::newRow("iql-corl defaults") << "iql-corl" << 0.0 << 3.0 << 3e-4 << 0.005 << false;
  }

  void iqlUpdate() {
    QFETCH(QString, algorithm);
    QFETCH(double, dropout);
    QFETCH(double, temperature);
    QFETCH(double, value_lr);
    QFETCH(double, polyak);
    QFETCH(bool, logStdAtBounds);
    const int64_t o = 17, a = 6, n = 256;
    auto cfg = base_config();
    cfg.algorithm = algorithm.toStdString();
    cfg.dropout = dropout;
    cfg.temperature = temperature;
    cfg.value_lr = value_lr;
    cfg.polyak = polyak;
    const bool corl = cfg.algorithm == "iql-corl";

    torch::manual_seed(11);
    algo::Iql agent(o, a, agent_hyperparameters(cfg));
    if (logStdAtBounds) {  // at the lower and upper clip, beyond each, and inside
      torch::NoGradGuard g;
      agent.policy().log_std().copy_(torch::tensor({-5.0f, 2.0f, 2.5f, -6.0f, 0.0f, 0.3f}));
    }
    Snapshot s{agent.value().params().clone(), agent.critic().params().clone(), agent.target_critic().params().clone(),
               agent.policy().trunk().params().clone(), agent.policy().log_std().clone()};
    QVERIFY(torch::equal(s.critic, s.target));
    const auto in = make_batch(n, o, a, 5);
    agent.update(in.b32, false);
    const auto masks = agent.policy().trunk().last_dropout_masks();
    QCOMPARE(masks.size(), std::size_t(dropout > 0 ? 2 : 0));

    const auto ref = iql_reference(s, cfg, o, a, in, masks, corl, corl);
    check_grad("V", agent.value().grad(), ref.g_value);
    check_grad("Q", agent.critic().grad(), ref.g_critic);
    check_grad("actor trunk", agent.policy().trunk().grad(), ref.g_trunk);
    // Adam's first moment after its first step is (1 - beta1) g: the log-std gradient.
    check_grad("log-std", agent.policy().log_std_adam().exp_avg() / (1 - kBeta1), ref.g_log_std);
    check_params("V", agent.value().params(), ref.value, ref.g_value, cfg.value_lr);
    check_params("Q", agent.critic().params(), ref.critic, ref.g_critic, cfg.critic_lr);
    // target = polyak Q' + (1 - polyak) target: polyak times the critic's error
    check_params("target Q", agent.target_critic().params(), ref.target, ref.g_critic, polyak * cfg.critic_lr);
    check_params("actor trunk", agent.policy().trunk().params(), ref.trunk, ref.g_trunk, cfg.actor_lr);
    check_params("log-std", agent.policy().log_std(), ref.log_std, ref.g_log_std, cfg.actor_lr);
    if (logStdAtBounds) {
      // the clip passes the gradient at its bounds and blocks it beyond them
      QVERIFY(ref.g_log_std[0].item<double>() != 0 && ref.g_log_std[1].item<double>() != 0);
      QCOMPARE(ref.g_log_std[2].item<double>(), 0.0);
      QCOMPARE(ref.g_log_std[3].item<double>(), 0.0);
    }

    if (temperature > 10) {
      qInfo("AWR weights at the clip: %.3f", ref.clip_fraction);
      // The case is exercised: some weights clipped at 100, some not.
      QVERIFY2(ref.clip_fraction > 0.05 && ref.clip_fraction < 0.95, qPrintable(QString::number(ref.clip_fraction)));
      // The test can tell the variants apart: the other choice of V (and Q-loss factor) would fail it.
      const auto other = iql_reference(s, cfg, o, a, in, masks, !corl, !corl);
      const double actor_gap = max_abs(other.g_trunk - ref.g_trunk) / max_abs(ref.g_trunk);
      const double critic_gap = max_abs(other.g_critic - ref.g_critic) / max_abs(ref.g_critic);
      qInfo("relative gradient change with the other V / Q-loss choice: actor %.3g, critic %.3g", actor_gap,
            critic_gap);
      QVERIFY2(actor_gap > 100 * kGradTol, qPrintable(QString::number(actor_gap)));
      QVERIFY2(critic_gap > 100 * kGradTol, qPrintable(QString::number(critic_gap)));
      // and a Polyak step towards the pre-update critic would be outside the parameter tolerance
      const auto early = polyak * s.critic.to(torch::kFloat64) + (1 - polyak) * s.target.to(torch::kFloat64);
      QVERIFY(max_abs(early - ref.target) > 10 * kParamTol);
    }
  }

  // Behaviour cloning: the same actor loss with unit weights.
  void bcUpdate() {
    const int64_t o = 17, a = 6, n = 256;
    auto cfg = base_config();
    cfg.algorithm = "bc";
    cfg.dropout = 0.1;
    torch::manual_seed(12);
    algo::BehaviourCloning agent(o, a, agent_hyperparameters(cfg));
    {
      torch::NoGradGuard g;
      agent.policy().log_std().copy_(torch::tensor({-5.0f, 2.0f, 2.5f, -6.0f, 0.0f, 0.3f}));
    }
    const auto trunk32 = agent.policy().trunk().params().clone();
    const auto ls32 = agent.policy().log_std().clone();
    const auto in = make_batch(n, o, a, 6);
    agent.update(in.b32, false);
    const auto masks = agent.policy().trunk().last_dropout_masks();
    QCOMPARE(masks.size(), std::size_t(2));

    auto t64 = trunk32.to(torch::kFloat64).requires_grad_(true);
    auto ls64 = ls32.to(torch::kFloat64).requires_grad_(true);
    auto mu = torch::tanh(mlp64(t64, &trunk32, {o, cfg.hidden, cfg.hidden, a}, 1, 0, in.obs, in.b32.obs, &masks,
                                cfg.dropout));
    actor_loss64(mu, ls64, in.act, torch::ones({n}, f64)).backward();
    check_grad("BC actor trunk", agent.policy().trunk().grad(), t64.grad());
    check_grad("BC log-std", agent.policy().log_std_adam().exp_avg() / (1 - kBeta1), ls64.grad());
    check_params("BC actor trunk", agent.policy().trunk().params(),
                 adam_first_step(t64.detach(), t64.grad(), cfg.actor_lr), t64.grad(), cfg.actor_lr);
    check_params("BC log-std", agent.policy().log_std(), adam_first_step(ls64.detach(), ls64.grad(), cfg.actor_lr),
                 ls64.grad(), cfg.actor_lr);
  }
};

QTEST_GUILESS_MAIN(TestIqlUpdateReference)
#include "test_iql_update_reference.moc"
