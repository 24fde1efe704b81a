// Trainer: bit-for-bit reproducibility, checkpoint/resume equality, dataset preprocessing (reward
// scale, action scale/clip), live hyperparameters and dataset/environment checks.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "core/algo/iql_math.h"
#include "core/env/builtin_datasets.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

using namespace iql;

namespace {

TrainConfig small_config() {
  TrainConfig c;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 32;
  c.batch_size = 64;
  c.steps = 60;
  c.seed = 11;
  return c;
}

std::vector<StepMetrics> run_steps(Trainer& t, int n) {
  std::vector<StepMetrics> out;
  for (int i = 0; i < n; ++i) out.push_back(t.step(true));
  return out;
}

void expect_identical(const StepMetrics& a, const StepMetrics& b) {
  QCOMPARE(a.step, b.step);
  QCOMPARE(a.values.size(), b.values.size());
  QVERIFY(a.values.size() >= 2);
  for (size_t k = 0; k < a.values.size(); ++k) {
    QCOMPARE(a.values[k].first, b.values[k].first);
    if (!(a.values[k].second == b.values[k].second))  // exact, not fuzzy
      QFAIL(qPrintable(QString("step %1 metric %2: %3 vs %4")
                           .arg(a.step)
                           .arg(QString::fromStdString(a.values[k].first))
                           .arg(a.values[k].second, 0, 'g', 17)
                           .arg(b.values[k].second, 0, 'g', 17)));
  }
}

// A pendulum-shaped dataset (obs 3, act 1) of the given episodes; consecutive episodes are joined
// without a timeout flag but with an observation discontinuity, except where `timeouts` says so.
Dataset pendulum_like(const std::vector<std::vector<float>>& episode_rewards, const std::vector<float>& actions) {
  Dataset d;
  d.source = "synthetic";
  d.obs_dim = 3;
  d.act_dim = 1;
  size_t row = 0;
  for (size_t e = 0; e < episode_rewards.size(); ++e) {
    for (size_t t = 0; t < episode_rewards[e].size(); ++t, ++row) {
      const float x = static_cast<float>(e * 100 + t);
      d.observations.insert(d.observations.end(), {x, 0.5f, 0.0f});
      d.next_observations.insert(d.next_observations.end(), {x + 1, 0.5f, 0.0f});
      d.actions.push_back(actions[row % actions.size()]);
      d.rewards.push_back(episode_rewards[e][t]);
      d.terminals.push_back(0);
      d.timeouts.push_back(0);
    }
  }
  return d;
}

}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT
  Dataset medium_;

private Q_SLOTS:
  void initTestCase() { medium_ = generate_builtin_dataset("pendulum-medium"); }

  void sameSeedSameMetrics() {
    auto cfg = small_config();
    std::vector<StepMetrics> a, b;
    {
      Trainer t(cfg, medium_);
      a = run_steps(t, 30);
    }
    {
      Trainer t(cfg, medium_);
      b = run_steps(t, 30);
    }
    for (int i = 0; i < 30; ++i) expect_identical(a[i], b[i]);
    QCOMPARE(a.back().step, int64_t(30));
    // and another seed really gives other numbers
    auto other = cfg;
    other.seed = 12;
    Trainer t(other, medium_);
    auto c = run_steps(t, 30);
    QVERIFY(c.back().value("q_loss") != a.back().value("q_loss"));
  }

  void checkpointResumeIsExact_data() {
    QTest::addColumn<QString>("algorithm");
    QTest::newRow("iql") << "iql";
    QTest::newRow("iql-corl") << "iql-corl";
    QTest::newRow("bc") << "bc";
  }
  void checkpointResumeIsExact() {
    QFETCH(QString, algorithm);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = (dir.path() + "/ckpt/b.pt").toStdString();
    auto cfg = small_config();
    cfg.algorithm = algorithm.toStdString();
    const int N = 25;
    std::vector<StepMetrics> a;
    {
      Trainer A(cfg, medium_);
      a = run_steps(A, 2 * N);
    }
    {
      Trainer B(cfg, medium_);
      run_steps(B, N);
      B.save_checkpoint(path);
      QCOMPARE(B.step_count(), int64_t(N));
    }
    QVERIFY(QFile::exists(QString::fromStdString(path)));
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
    {
      // burn some torch RNG and use another trainer in between: the checkpoint carries all state
      torch::randn({1000});
      Trainer C(cfg, medium_);
      QCOMPARE(C.step_count(), int64_t(0));
      C.load_checkpoint(path);
      QCOMPARE(C.step_count(), int64_t(N));
      auto c = run_steps(C, N);
      for (int i = 0; i < N; ++i) expect_identical(c[i], a[N + i]);
    }
  }

  void loadCheckpointRejectsGarbage() {
    QTemporaryDir dir;
    const QString p = dir.path() + "/bad.pt";
    QFile f(p);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a checkpoint");
    f.close();
    Trainer t(small_config(), medium_);
    QVERIFY_THROWS_EXCEPTION(DataError, t.load_checkpoint(p.toStdString()));
  }

  void locomotionRewardScale() {
    auto cfg = small_config();
    cfg.reward_mode = "locomotion";
    Trainer t(cfg, medium_);
    // episode returns computed here: split at terminals, timeouts and obs[i+1] != next_obs[i]
    const auto& d = medium_;
    std::vector<double> returns;
    double acc = 0;
    for (int64_t i = 0; i < d.size(); ++i) {
      acc += d.rewards[i];
      bool end = i + 1 == d.size() || d.terminals[i] || d.timeouts[i];
      for (int k = 0; !end && k < d.obs_dim; ++k)
        end = d.next_observations[i * d.obs_dim + k] != d.observations[(i + 1) * d.obs_dim + k];
      if (end) {
        returns.push_back(acc);
        acc = 0;
      }
    }
    QCOMPARE(returns.size(), size_t(100));  // 100 episodes of 200 steps
    const auto [lo, hi] = std::minmax_element(returns.begin(), returns.end());
    const double factor = 1000.0 / (*hi - *lo);
    QVERIFY(std::abs(t.reward_scale() - factor) < 1e-9 * factor);
    const auto& r = t.dataset().rewards;
    QCOMPARE(r.size(), d.rewards.size());
    for (size_t i = 0; i < r.size(); ++i)
      QVERIFY2(std::abs(r[i] - d.rewards[i] * factor) <= 1e-6 * std::max(1.0, std::abs(d.rewards[i] * factor)),
               qPrintable(QString::number(i)));
    // 'auto' keeps Pendulum's rewards raw (the scaling is for MuJoCo locomotion); 'none' leaves rewards
    // alone; 'antmaze' subtracts 1
    cfg.reward_mode = "auto";
    QCOMPARE(Trainer(cfg, medium_).reward_scale(), 1.0);
    cfg.env = "hopper";
    QCOMPARE(cfg.effective_reward_mode(), std::string("locomotion"));
    cfg.env = "antmaze-umaze-v0";
    QCOMPARE(cfg.effective_reward_mode(), std::string("antmaze"));
    cfg.env = "pendulum";
    cfg.reward_mode = "none";
    Trainer n(cfg, medium_);
    QCOMPARE(n.reward_scale(), 1.0);
    QVERIFY(n.dataset().rewards == d.rewards);
    cfg.reward_mode = "antmaze";
    Trainer am(cfg, medium_);
    for (size_t i = 0; i < 1000; ++i) QCOMPARE(am.dataset().rewards[i], d.rewards[i] - 1.0f);
  }

  // Three episodes with returns 10, 30 and 60 separated only by observation jumps: factor 1000/50.
  void rewardScaleSplitsAtObservationJumps() {
    auto d = pendulum_like({{5, 5}, {10, 20}, {30, 30}}, {0.1f});
    auto cfg = small_config();
    cfg.reward_mode = "locomotion";
    Trainer t(cfg, d);
    QVERIFY(std::abs(t.reward_scale() - 20.0) < 1e-12);
    QCOMPARE(t.dataset().rewards[2], 200.0f);
  }

  void actionsScaledAndClipped() {
    auto d = pendulum_like({{0, 0, 0, 0, 0, 0, 0}}, {2.0f, -2.0f, 1.0f, -0.3f, 1.99999f, 2.0015f, 0.0f});
    Trainer t(small_config(), d);
    const float lim = 1.0f - 1e-5f;
    const std::vector<double> want = {lim, -lim, 0.5, -0.15, lim, lim, 0.0};
    const auto& a = t.dataset().actions;
    QCOMPARE(a.size(), want.size());
    for (size_t i = 0; i < a.size(); ++i)
      QVERIFY2(std::abs(a[i] - want[i]) < 1e-7, qPrintable(QString("%1: %2").arg(i).arg(a[i], 0, 'g', 9)));
    // the builtin dataset: every action within +-(1 - 1e-5) and equal to raw / 2 where not clipped
    Trainer m(small_config(), medium_);
    const auto& am = m.dataset().actions;
    int clipped = 0;
    for (size_t i = 0; i < am.size(); ++i) {
      QVERIFY(std::abs(am[i]) <= lim);
      if (std::abs(medium_.actions[i] / 2.0) < lim) QVERIFY(std::abs(am[i] - medium_.actions[i] / 2.0) < 1e-7);
      else ++clipped;
    }
    QVERIFY(clipped > 0);  // the medium behaviour saturates the torque sometimes
  }

  void liveHyperparameters() {
    auto cfg = small_config();
    Trainer t(cfg, medium_);
    QCOMPARE(t.set_hyperparameter("expectile", 0.9), 0.7);
    QCOMPARE(t.hyperparameter("expectile"), 0.9);
    QCOMPARE(t.config().expectile, 0.9);
    QCOMPARE(t.set_hyperparameter("temperature", 1.5), 3.0);
    QCOMPARE(t.set_hyperparameter("actor_lr", 1e-3), 3e-4);
    QVERIFY_THROWS_EXCEPTION(ConfigError, t.set_hyperparameter("expectile", 1.5));
    QVERIFY_THROWS_EXCEPTION(ConfigError, t.set_hyperparameter("discount", 0.0));
    QVERIFY_THROWS_EXCEPTION(ConfigError, t.set_hyperparameter("no_such_thing", 1.0));
    QCOMPARE(t.hyperparameter("expectile"), 0.9);  // unchanged by the rejected value
    // the agent uses the new actor lr (with its cosine schedule) from the next step on
    auto m = t.step(true);
    QCOMPARE(m.step, int64_t(1));
    QVERIFY(std::abs(m.value("actor_lr", -1) - algo::cosine_decay(1e-3, 0, cfg.steps)) < 1e-15);
    m = t.step(true);
    QVERIFY(std::abs(m.value("actor_lr", -1) - algo::cosine_decay(1e-3, 1, cfg.steps)) < 1e-15);
  }

  // Changing tau live changes the value update: two trainers diverge only after the change.
  void liveExpectileChangesTraining() {
    auto cfg = small_config();
    Trainer a(cfg, medium_), b(cfg, medium_);
    auto ma = run_steps(a, 5), mb = run_steps(b, 5);
    for (int i = 0; i < 5; ++i) expect_identical(ma[i], mb[i]);
    b.set_hyperparameter("expectile", 0.95);
    auto na = a.step(true), nb = b.step(true);
    // the V loss is computed with the new weights at once
    QVERIFY(na.value("v_loss") != nb.value("v_loss"));
  }

  void datasetEnvMismatch() {
    Dataset d;
    d.source = "four-dim.hdf5";
    d.obs_dim = 4;
    d.act_dim = 1;
    for (int i = 0; i < 10; ++i) {
      d.observations.insert(d.observations.end(), {0.f, 1.f, 2.f, 3.f});
      d.next_observations.insert(d.next_observations.end(), {0.f, 1.f, 2.f, 3.f});
      d.actions.push_back(0.f);
      d.rewards.push_back(0.f);
      d.terminals.push_back(0);
      d.timeouts.push_back(0);
    }
    try {
      Trainer t(small_config(), d);
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      QCOMPARE(e.key(), std::string("observations"));
      QVERIFY2(std::string(e.what()).find("observations") != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("four-dim.hdf5") != std::string::npos, e.what());
    }
    // actions outside the pendulum's [-2, 2] are clipped to it, as the official IQL does (the data
    // preparation reports them: tests/train/test_run_data.cpp), then scaled
    auto outside = pendulum_like({{0, 0, 0}}, {0.0f, 2.5f, -1.0f});
    Trainer clipped(small_config(), outside);
    QCOMPARE(clipped.dataset().actions, (std::vector<float>{0.0f, 1.0f - 1e-5f, -0.5f}));
    // invalid config is rejected before anything else
    auto cfg = small_config();
    cfg.expectile = 1.5;
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(cfg, medium_));
  }

  // Evaluation is reproducible and does not disturb training.
  void evaluationDoesNotTouchTrainingStreams() {
    auto cfg = small_config();
    Trainer a(cfg, medium_), b(cfg, medium_);
    run_steps(a, 5);
    run_steps(b, 5);
    auto e = b.evaluate(2);
    QCOMPARE(e.returns.size(), size_t(2));
    QCOMPARE(e.step, int64_t(5));
    for (double r : e.returns) QVERIFY(r <= 0 && r > -2000);  // pendulum rewards are in [-16.3, 0]
    QCOMPARE(e.lengths, (std::vector<int64_t>{200, 200}));  // Pendulum-v1 ends only at its 200-step limit
    expect_identical(a.step(true), b.step(true));
  }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
