// Physics auto-detection picks the variant that recorded the data, for data made by each variant,
// and keeps d4rl (saying why) when it cannot tell.
#include <QtTest/QtTest>
#include <random>

#include "core/env/env_registry.h"
#include "core/env/physics_detect.h"

using namespace iql;

namespace {
Dataset record_random(const std::string& env_name, const std::string& physics, int64_t n) {
  auto env = make_env(env_name, physics);
  Dataset d;
  d.source = env_name + "-" + physics;
  d.obs_dim = env->obs_dim();
  d.act_dim = env->act_dim();
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> u(-0.3f, 0.3f);
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

class TestPhysicsDetect : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void picksTheRecordingVariant_data() {
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("physics");
    for (const char* env : {"hopper", "halfcheetah", "walker2d"})
      for (const auto& physics : physics_names())
        QTest::newRow((std::string(env) + "/" + physics).c_str()) << env << QString::fromStdString(physics);
  }
  void picksTheRecordingVariant() {
    QFETCH(QString, env);
    QFETCH(QString, physics);
    const Dataset d = record_random(env.toStdString(), physics.toStdString(), 400);
    const PhysicsDetection det = detect_physics(d, env.toStdString(), 300);
    QVERIFY2(det.reproduced, det.to_text().c_str());
    QCOMPARE(QString::fromStdString(det.chosen), physics);
    QCOMPARE(det.results.size(), physics_names().size());
    // The evidence names both variants and their errors.
    const QString text = QString::fromStdString(det.to_text());
    for (const auto& p : physics_names()) QVERIFY2(text.contains(QString::fromStdString(p) + ":"), qPrintable(text));
    QVERIFY(QString::fromStdString(det.to_json()).contains("\"chosen\":\"" + physics + "\""));
  }

  void pendulumAndMismatchKeepD4rl() {
    const Dataset pend = record_random("pendulum", "d4rl", 50);
    PhysicsDetection det = detect_physics(pend, "pendulum");
    QCOMPARE(det.chosen, std::string("d4rl"));
    QVERIFY(!det.reproduced);
    QVERIFY(det.reason.find("pendulum") != std::string::npos);

    const Dataset hopper = record_random("hopper", "d4rl", 20);
    det = detect_physics(hopper, "walker2d");  // wrong sizes: not checked, says why, never throws
    QCOMPARE(det.chosen, std::string("d4rl"));
    QVERIFY(!det.reproduced);
    QVERIFY2(det.reason.find("not checked") != std::string::npos, det.reason.c_str());
  }
};

QTEST_MAIN(TestPhysicsDetect)
#include "test_physics_detect.moc"
