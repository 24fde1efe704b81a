// check-physics tells the simulator a dataset came from: data recorded with one physics variant
// replays with near-zero error under that variant and with clear errors under the other.
#include <QtTest/QtTest>

#include <random>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/env/env_registry.h"
#include "core/env/physics_check.h"
#include "core/util/errors.h"

using namespace iql;

namespace {
Dataset record_random(const std::string& env_name, const std::string& physics, int64_t n) {
  auto env = make_env(env_name, physics);
  Dataset d;
  d.source = env_name + "-" + physics;
  d.obs_dim = env->obs_dim();
  d.act_dim = env->act_dim();
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<float> u(-0.3f, 0.3f);  // gentle: fewer falls with clipped velocities
  auto obs = env->reset(1);
  for (int64_t i = 0; i < n; ++i) {
    std::vector<float> a(d.act_dim);
    for (auto& v : a) v = u(rng);
    auto r = env->step(a);
    d.observations.insert(d.observations.end(), obs.begin(), obs.end());
    d.actions.insert(d.actions.end(), a.begin(), a.end());
    d.next_observations.insert(d.next_observations.end(), r.observation.begin(), r.observation.end());
    d.rewards.push_back(static_cast<float>(r.reward));
    d.terminals.push_back(r.terminal);
    d.timeouts.push_back(r.timeout);
    obs = (r.terminal || r.timeout) ? env->reset() : r.observation;
  }
  return d;
}
}  // namespace

class TestPhysicsCheck : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void pendulumFixtureReplaysExactly() {
    auto d = read_d4rl_hdf5(IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5");
    auto r = check_physics(d, "pendulum", "d4rl");
    QCOMPARE(r.checked, int64_t(11200));
    QVERIFY(r.obs_error.max < 1e-5);
    QVERIFY(r.reward_error.max < 1e-5);
  }

  void distinguishesPhysicsVariants_data() {
    QTest::addColumn<QString>("env");
    QTest::newRow("halfcheetah") << "halfcheetah";
    QTest::newRow("hopper") << "hopper";
    QTest::newRow("walker2d") << "walker2d";
  }
  void distinguishesPhysicsVariants() {
    QFETCH(QString, env);
    auto d = record_random(env.toStdString(), "d4rl", 300);
    auto same = check_physics(d, env.toStdString(), "d4rl");
    auto other = check_physics(d, env.toStdString(), "gymnasium-v4");
    QVERIFY2(same.checked > 100, qPrintable(QString("checked %1, skipped %2").arg(same.checked).arg(same.skipped)));
    // float32 observations limit the recovered state's precision; a different mass model does not.
    QVERIFY2(same.obs_error.median < 1e-4, qPrintable(QString::number(same.obs_error.median)));
    QVERIFY2(other.obs_error.median > 10 * same.obs_error.median + 1e-4,
             qPrintable(QString("%1 vs %2").arg(other.obs_error.median).arg(same.obs_error.median)));
  }

  void rejectsMismatchedDims() {
    auto d = record_random("hopper", "d4rl", 10);
    QVERIFY_THROWS_EXCEPTION(DataError, check_physics(d, "walker2d", "d4rl"));
  }
};

QTEST_GUILESS_MAIN(TestPhysicsCheck)
#include "test_physics_check.moc"
