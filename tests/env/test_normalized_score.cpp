// D4RL reference returns, and our Pendulum references re-measured the documented way.
#include <QtTest/QtTest>

#include <cmath>

#include "core/env/normalized_score.h"
#include "core/env/pendulum.h"
#include "core/env/pendulum_controllers.h"

class TestNormalizedScore : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void hopperEndpoints();
  void d4rlTable();
  void datasetNamesMapToEnv();
  void unknownEnvIsNullopt();
  void pendulumReferencesAreReproducible();
};

void TestNormalizedScore::hopperEndpoints() {
  QVERIFY(std::abs(*iql::normalized_score("hopper", 3234.3) - 100.0) < 1e-9);
  QVERIFY(std::abs(*iql::normalized_score("hopper", -20.272305) - 0.0) < 1e-9);
  const double mid = (3234.3 + -20.272305) / 2;
  QVERIFY(std::abs(*iql::normalized_score("hopper", mid) - 50.0) < 1e-9);
}

void TestNormalizedScore::d4rlTable() {
  QCOMPARE(iql::reference_returns("halfcheetah")->min, -280.178953);
  QCOMPARE(iql::reference_returns("halfcheetah")->max, 12135.0);
  QCOMPARE(iql::reference_returns("walker2d")->min, 1.629008);
  QCOMPARE(iql::reference_returns("walker2d")->max, 4592.3);
  QCOMPARE(iql::reference_returns("ant")->min, -325.6);
  QCOMPARE(iql::reference_returns("ant")->max, 3879.7);
  QVERIFY(std::abs(*iql::normalized_score("antmaze-umaze-v0", 0.5) - 50.0) < 1e-9);
}

void TestNormalizedScore::datasetNamesMapToEnv() {
  QVERIFY(std::abs(*iql::normalized_score("hopper-medium-v2", 3234.3) - 100.0) < 1e-9);
  QVERIFY(std::abs(*iql::normalized_score("Hopper", 3234.3) - 100.0) < 1e-9);
  QVERIFY(iql::normalized_score("pendulum-expert", -1000.0).has_value());
}

void TestNormalizedScore::unknownEnvIsNullopt() {
  QVERIFY(!iql::normalized_score("cartpole", 1.0).has_value());
  QVERIFY(!iql::normalized_score("", 1.0).has_value());
  QVERIFY(!iql::reference_returns("humanoid-medium-v2").has_value());
}

// The procedure documented in normalized_score.cpp must give back the hard-coded values.
void TestNormalizedScore::pendulumReferencesAreReproducible() {
  auto measure = [](iql::PendulumBehaviour b) {
    iql::PendulumEnv env;
    iql::PendulumBehaviourPolicy policy(b, 0);
    std::vector<float> obs = env.reset(0);
    double total = 0.0;
    for (int e = 0; e < 100; ++e) {
      if (e) obs = env.reset();
      for (int t = 0; t < 200; ++t) {
        iql::StepResult r = env.step(policy.act(obs));
        total += r.reward;
        obs = r.observation;
      }
    }
    return total / 100.0;
  };
  const auto ref = iql::reference_returns("pendulum");
  QVERIFY(ref.has_value());
  const double rnd = measure({1.0, 0.0}), exp = measure({0.0, 0.0});
  qInfo("pendulum random %.6f expert %.6f", rnd, exp);
  QVERIFY(std::abs(rnd - ref->min) < 1e-3);
  QVERIFY(std::abs(exp - ref->max) < 1e-3);
  QVERIFY(std::abs(*iql::normalized_score("pendulum", rnd)) < 1e-3);
  QVERIFY(std::abs(*iql::normalized_score("pendulum", exp) - 100.0) < 1e-3);
}

QTEST_APPLESS_MAIN(TestNormalizedScore)
#include "test_normalized_score.moc"
