// PendulumEnv must reproduce Gym's Pendulum-v1: replay of real recorded transitions, closed-form
// single steps, time limit, clipping, reset ranges, determinism; plus the env registry.
#include <QtTest/QtTest>

#include <cmath>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/env/env_registry.h"
#include "core/env/pendulum.h"
#include "core/util/errors.h"

using iql::PendulumEnv;

class TestPendulum : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void replaysRealGymTransitions();
  void singleStepMatchesClosedForm();
  void angleNormalizeMatchesPythonModulo();
  void timeoutAtStep200NeverTerminal();
  void clipsTorque();
  void clipsSpeed();
  void resetRanges();
  void sameSeedSameTrajectory();
  void stepBeforeResetThrows();
  void registryMakesPendulum();
  void registryRejectsUnknown();
};

void TestPendulum::replaysRealGymTransitions() {
  const std::string path = std::string(IQL_FIXTURE_DIR) + "/pendulum-v1-expert-imitation.hdf5";
  const iql::Dataset d = iql::read_d4rl_hdf5(path);
  QCOMPARE(d.obs_dim, 3);
  QCOMPARE(d.act_dim, 1);
  QCOMPARE(d.size(), int64_t(11200));
  PendulumEnv env;
  double max_obs_err = 0.0, max_rew_err = 0.0;
  for (int64_t i = 0; i < d.size(); ++i) {
    const float* o = &d.observations[i * 3];
    env.set_state(std::atan2(double(o[1]), double(o[0])), double(o[2]));
    const iql::StepResult r = env.step({d.actions[i]});
    for (int k = 0; k < 3; ++k)
      max_obs_err = std::max(max_obs_err, std::abs(double(r.observation[k]) - d.next_observations[i * 3 + k]));
    max_rew_err = std::max(max_rew_err, std::abs(r.reward - double(d.rewards[i])));
    QVERIFY(!r.terminal);
  }
  qInfo("max |next_obs err| = %.3g, max |reward err| = %.3g", max_obs_err, max_rew_err);
  QVERIFY(max_obs_err < 1e-5);
  QVERIFY(max_rew_err < 1e-5);
}

void TestPendulum::singleStepMatchesClosedForm() {
  PendulumEnv env;
  const double th = 1.0, thdot = 0.5, u = 1.5;
  env.set_state(th, thdot);
  const iql::StepResult r = env.step({float(u)});
  const double newthdot = thdot + (3.0 * 10.0 / 2.0 * std::sin(th) + 3.0 * u) * 0.05;
  const double newth = th + newthdot * 0.05;
  QVERIFY(std::abs(env.theta_dot() - newthdot) < 1e-12);
  QVERIFY(std::abs(env.theta() - newth) < 1e-12);
  QVERIFY(std::abs(r.reward - -(th * th + 0.1 * thdot * thdot + 0.001 * u * u)) < 1e-12);
  QCOMPARE(r.observation.size(), size_t(3));
  QCOMPARE(r.observation[0], float(std::cos(newth)));
  QCOMPARE(r.observation[1], float(std::sin(newth)));
  QCOMPARE(r.observation[2], float(newthdot));

  // Cost uses the normalised angle: th = 4 is 4 - 2pi from upright.
  env.set_state(4.0, 0.0);
  const double an = 4.0 - 2.0 * M_PI;
  QVERIFY(std::abs(env.step({0.0f}).reward - -(an * an)) < 1e-12);
}

void TestPendulum::angleNormalizeMatchesPythonModulo() {
  QVERIFY(std::abs(PendulumEnv::angle_normalize(M_PI) - -M_PI) < 1e-12);
  QVERIFY(std::abs(PendulumEnv::angle_normalize(-M_PI) - -M_PI) < 1e-12);
  QVERIFY(std::abs(PendulumEnv::angle_normalize(-4.0) - (-4.0 + 2 * M_PI)) < 1e-12);
  QVERIFY(std::abs(PendulumEnv::angle_normalize(13.0) - (13.0 - 4 * M_PI)) < 1e-12);
}

void TestPendulum::timeoutAtStep200NeverTerminal() {
  PendulumEnv env;
  QCOMPARE(env.max_episode_steps(), 200);
  env.reset(3);
  for (int t = 1; t <= 200; ++t) {
    const iql::StepResult r = env.step({1.0f});
    QVERIFY(!r.terminal);
    QCOMPARE(r.timeout, t == 200);
  }
  env.reset();
  QVERIFY(!env.step({0.0f}).timeout);  // a reset starts a fresh count
}

void TestPendulum::clipsTorque() {
  for (float big : {5.0f, -7.5f}) {
    PendulumEnv a, b;
    a.set_state(0.3, -0.2);
    b.set_state(0.3, -0.2);
    const iql::StepResult ra = a.step({big});
    const iql::StepResult rb = b.step({big > 0 ? 2.0f : -2.0f});
    QCOMPARE(ra.reward, rb.reward);  // cost uses the clipped torque
    QCOMPARE(a.theta(), b.theta());
    QCOMPARE(a.theta_dot(), b.theta_dot());
  }
  PendulumEnv env;
  QCOMPARE(env.action_low(), -2.0f);
  QCOMPARE(env.action_high(), 2.0f);
}

void TestPendulum::clipsSpeed() {
  PendulumEnv env;
  env.set_state(M_PI / 2, 7.9);
  env.step({2.0f});
  QCOMPARE(env.theta_dot(), 8.0);
  QVERIFY(std::abs(env.theta() - (M_PI / 2 + 8.0 * 0.05)) < 1e-12);
}

void TestPendulum::resetRanges() {
  PendulumEnv env;
  env.reset(11);
  double thmin = 10, thmax = -10, vmin = 10, vmax = -10;
  for (int i = 0; i < 2000; ++i) {
    const std::vector<float> o = i == 0 ? env.observation() : env.reset();
    QCOMPARE(o.size(), size_t(3));
    QVERIFY(std::abs(o[0] * o[0] + o[1] * o[1] - 1.0f) < 1e-5f);
    QCOMPARE(o[2], float(env.theta_dot()));
    thmin = std::min(thmin, env.theta());
    thmax = std::max(thmax, env.theta());
    vmin = std::min(vmin, env.theta_dot());
    vmax = std::max(vmax, env.theta_dot());
  }
  QVERIFY(thmin >= -M_PI && thmax < M_PI);
  QVERIFY(vmin >= -1.0 && vmax <= 1.0);
  // 2000 draws cover the ranges (not a constant or a narrow band)
  QVERIFY(thmin < -3.0 && thmax > 3.0 && vmin < -0.95 && vmax > 0.95);
}

void TestPendulum::sameSeedSameTrajectory() {
  auto roll = [](uint64_t seed) {
    PendulumEnv env;
    std::vector<float> all = env.reset(seed);
    for (int e = 0; e < 3; ++e) {
      if (e) {
        const auto o = env.reset();
        all.insert(all.end(), o.begin(), o.end());
      }
      for (int t = 0; t < 50; ++t) {
        const auto r = env.step({float(std::sin(0.1 * t)) * 2.0f});
        all.insert(all.end(), r.observation.begin(), r.observation.end());
      }
    }
    return all;
  };
  QVERIFY(roll(42) == roll(42));
  QVERIFY(roll(42) != roll(43));
}

void TestPendulum::stepBeforeResetThrows() {
  PendulumEnv env;
  QVERIFY_EXCEPTION_THROWN(env.step({0.0f}), std::logic_error);
  env.reset(0);
  QVERIFY_EXCEPTION_THROWN(env.step({0.0f, 1.0f}), std::invalid_argument);
}

void TestPendulum::registryMakesPendulum() {
  const auto names = iql::env_names();
  QVERIFY(std::find(names.begin(), names.end(), "pendulum") != names.end());
  for (const char* n : {"pendulum", "Pendulum"}) {
    auto env = iql::make_env(n);
    QVERIFY(env != nullptr);
    QCOMPARE(env->name(), std::string("pendulum"));
    QCOMPARE(env->obs_dim(), 3);
    QCOMPARE(env->act_dim(), 1);
  }
  QVERIFY(iql::make_env("pendulum", "gymnasium-v4") != nullptr);
}

void TestPendulum::registryRejectsUnknown() {
  try {
    iql::make_env("pendullum");
    QFAIL("expected ConfigError");
  } catch (const iql::ConfigError& e) {
    QVERIFY(std::string(e.what()).find("pendullum") != std::string::npos);
    QVERIFY(std::string(e.what()).find("pendulum,") != std::string::npos ||
            std::string(e.what()).find("pendulum)") != std::string::npos);
  }
  QVERIFY_EXCEPTION_THROWN(iql::make_env("pendulum", "mujoco-9"), iql::ConfigError);
}

QTEST_APPLESS_MAIN(TestPendulum)
#include "test_pendulum.moc"
