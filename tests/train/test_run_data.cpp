// prepare_run_data: the one place a run's data is checked, clipped and scaled. Configs are checked
// before any data is read, out-of-bound actions are clipped and reported, physics "auto" is chosen
// for every member, and a Trainer takes the result as it is (the same numbers as from raw data).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <QTemporaryDir>
#include <cmath>
#include <limits>

#include "core/train/run_data.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

using namespace iql;

namespace {

TrainConfig pendulum_config() {
  TrainConfig c;
  c.dataset = "pendulum-random";
  c.env = "pendulum";
  c.hidden = 16;
  c.batch_size = 8;
  c.steps = 10;
  c.seed = 5;
  return c;
}

// One pendulum-shaped episode (obs 3, act 1): observation row i is (i, 0.5, 0), reward i.
Dataset pendulum_rows(const std::vector<float>& actions) {
  Dataset d;
  d.source = "synthetic";
  d.obs_dim = 3;
  d.act_dim = 1;
  for (size_t i = 0; i < actions.size(); ++i) {
    const float x = static_cast<float>(i);
    d.observations.insert(d.observations.end(), {x, 0.5f, 0.0f});
    d.next_observations.insert(d.next_observations.end(), {x + 1, 0.5f, 0.0f});
    d.actions.push_back(actions[i]);
    d.rewards.push_back(x);
    d.terminals.push_back(0);
    d.timeouts.push_back(0);
  }
  return d;
}

}  // namespace

class TestRunData : public QObject {
  Q_OBJECT
  QTemporaryDir data_home_;  // the built-in dataset cache, away from the user's

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(data_home_.isValid());
    qputenv("XDG_DATA_HOME", data_home_.path().toUtf8());
  }

  // A bad config or a population that cannot share one model fails before the (missing) file is read.
  void configsAreCheckedBeforeAnyData() {
    auto bad = pendulum_config();
    bad.dataset = "/no/such/file.hdf5";
    bad.expectile = 1.5;
    QVERIFY_THROWS_EXCEPTION(ConfigError, prepare_run_data({bad}));
    auto a = pendulum_config(), b = pendulum_config();
    a.dataset = b.dataset = "/no/such/file.hdf5";
    b.hidden = 32;
    QVERIFY_THROWS_EXCEPTION(ConfigError, prepare_run_data({a, b}));
    QVERIFY_THROWS_EXCEPTION(DataError, prepare_run_data({a}));  // then the data
  }

  void invalidDataIsRejected() {
    auto d = pendulum_rows({0.0f, 1.0f});
    d.rewards[1] = std::numeric_limits<float>::quiet_NaN();
    try {
      prepare_run_data({pendulum_config()}, d);
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      QCOMPARE(e.key(), std::string("rewards"));
    }
  }

  // Pendulum torques are bounded by 2: 2.5 is clipped to 2 and reported, then actions are divided by 2
  // and kept within +-(1 - 1e-5).
  void outOfBoundActionsAreClippedAndReported() {
    const PreparedData p = prepare_run_data({pendulum_config()}, pendulum_rows({0.0f, 2.5f, -1.0f, 2.0f}));
    QCOMPARE(p.action_high, 2.0f);
    QCOMPARE(p.report.clip.bound, 2.0f);
    QCOMPARE(p.report.clip.rows, int64_t(4));
    QCOMPARE(p.report.clip.rows_clipped, int64_t(1));
    QCOMPARE(p.report.clip.max_abs, 2.5);
    QCOMPARE(p.data.actions, (std::vector<float>{0.0f, 1.0f - 1e-5f, -0.5f, 1.0f - 1e-5f}));
    QVERIFY(!p.report.detection);  // physics "d4rl" was given, nothing detected
  }

  // iql-corl normalises observations and keeps raw rewards, but the stored config says what was asked.
  void corlNormalisesObservations() {
    auto c = pendulum_config();
    c.algorithm = "iql-corl";
    const PreparedData p = prepare_run_data({c}, pendulum_rows({0.0f, 0.0f, 0.0f}));
    QCOMPARE(p.members[0].normalize_obs, false);
    QCOMPARE(p.reward_mode, std::string("none"));
    QCOMPARE(p.reward_scale, 1.0);
    QCOMPARE(p.data.rewards, (std::vector<float>{0.0f, 1.0f, 2.0f}));
    QVERIFY(p.norm.enabled());
    // column 0 holds 0, 1, 2: mean 1, std sqrt(2/3) (+ 1e-3); column 1 is constant 0.5: std 0 + 1e-3
    QCOMPARE(p.norm.mean[0], 1.0f);
    QVERIFY(std::abs(p.norm.std[0] - (std::sqrt(2.0f / 3.0f) + 1e-3f)) < 1e-6f);
    QCOMPARE(p.norm.mean[1], 0.5f);
    QCOMPARE(p.norm.std[1], 1e-3f);
    QCOMPARE(p.data.observations[1], 0.0f);
    QVERIFY(std::abs(p.data.observations[3] - 0.0f) < 1e-6f);  // row 1, column 0: its mean
  }

  // Member 0's physics "auto" is chosen from the data for every member (pendulum: d4rl, with evidence).
  void autoPhysicsIsChosenForEveryMember() {
    auto a = pendulum_config(), b = pendulum_config();
    a.physics = "auto";
    b.seed = 6;
    const PreparedData p = prepare_run_data({a, b}, pendulum_rows({0.0f, 1.0f}));
    QVERIFY(p.report.detection.has_value());
    QCOMPARE(p.report.detection->chosen, std::string("d4rl"));
    QCOMPARE(p.members.size(), size_t(2));
    QCOMPARE(p.members[0].physics, std::string("d4rl"));
    QCOMPARE(p.members[1].physics, std::string("d4rl"));
    QCOMPARE(p.members[1].seed, uint64_t(6));
  }

  // A built-in name is loaded (generated once into the cache); uniform random torques are in bounds.
  void loadsBuiltinByName() {
    const PreparedData p = prepare_run_data({pendulum_config()});
    QCOMPARE(p.data.size(), int64_t(100 * 200));
    QCOMPARE(p.report.clip.rows, int64_t(100 * 200));
    QCOMPARE(p.report.clip.rows_clipped, int64_t(0));
    for (float a : p.data.actions) QVERIFY(std::abs(a) <= 1.0f - 1e-5f);
  }

  // The trainer takes prepared data as it is; from raw data it prepares it the same way, once.
  void trainerTakesPreparedDataAsItIs() {
    const auto cfg = pendulum_config();
    const Dataset raw = pendulum_rows({0.5f, -2.0f, 1.5f, 0.25f, 2.5f, -0.75f, 1.0f, 0.0f, -1.25f, 1.75f});
    PreparedData p = prepare_run_data({cfg}, raw);
    const Dataset prepared = p.data;
    Trainer from_prepared(std::move(p));
    QCOMPARE(from_prepared.dataset().actions, prepared.actions);
    QCOMPARE(from_prepared.dataset().observations, prepared.observations);
    QCOMPARE(from_prepared.dataset().rewards, prepared.rewards);
    Trainer from_raw(cfg, raw);
    QCOMPARE(from_raw.dataset().actions, prepared.actions);
    for (int i = 0; i < 3; ++i) {
      const auto m1 = from_prepared.step(true), m2 = from_raw.step(true);
      QCOMPARE(m1.values.size(), m2.values.size());
      for (size_t k = 0; k < m1.values.size(); ++k) QVERIFY(m1.values[k].second == m2.values[k].second);  // exact
    }
  }
};

QTEST_GUILESS_MAIN(TestRunData)
#include "test_run_data.moc"
