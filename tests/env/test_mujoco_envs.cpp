// MuJoCo locomotion envs against shared/reference/environments.md: body masses of both physics
// variants, reward decomposition, every termination rule on constructed states, time limit,
// determinism, reset noise, dimensions, model-loading errors.
#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/env/ant.h"
#include "core/env/env_registry.h"
#include "core/env/half_cheetah.h"
#include "core/env/hopper.h"
#include "core/env/mujoco_env.h"
#include "core/env/walker2d.h"
#include "core/util/errors.h"

using iql::MujocoEnv;

namespace {

constexpr double kPi = 3.14159265358979323846;
const char* const kEnvs[] = {"hopper", "walker2d", "halfcheetah", "ant"};

std::unique_ptr<MujocoEnv> make(const std::string& name, const std::string& physics = "d4rl") {
  std::unique_ptr<iql::Env> env = iql::make_env(name, physics);
  auto* mj = dynamic_cast<MujocoEnv*>(env.get());
  if (!mj) return nullptr;
  env.release();
  return std::unique_ptr<MujocoEnv>(mj);
}

// MuJoCo >= 2.1.1's exact capsule: cylinder of length 2h plus a sphere.
double exact_capsule_mass(double density, double r, double h) {
  return density * (kPi * r * r * 2.0 * h + 4.0 / 3.0 * kPi * r * r * r);
}

// x as the reward reads it, straight from mjData (Ant: torso body xpos).
double data_x(const MujocoEnv& env) {
  if (env.name() == "ant")
    return env.data()->xpos[3 * mj_name2id(env.model(), mjOBJ_BODY, "torso")];
  return env.data()->qpos[0];
}

std::vector<float> test_action(int n, int t = 0) {
  std::vector<float> a(n);
  for (int i = 0; i < n; ++i) a[i] = static_cast<float>(std::sin(0.7 * i + 0.3 * t + 0.1));
  return a;
}

bool healthy_with(MujocoEnv& env, int qpos_i, double qpos_v, int qvel_i = -1, double qvel_v = 0) {
  std::vector<double> qp = env.init_qpos(), qv(env.model()->nv, 0.0);
  if (qpos_i >= 0) qp[qpos_i] = qpos_v;
  if (qvel_i >= 0) qv[qvel_i] = qvel_v;
  env.set_state(qp, qv);
  return env.is_healthy();
}

}  // namespace

class TestMujocoEnvs : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void hopperMassesD4rl();
  void hopperMassesGymnasium();
  void fromtoCapsuleMassesBothPhysics();
  void d4rlFixKeepsCapsulesForCollision();
  void walkerFootFriction();
  void simulationParameters();
  void dimensionsAndRegistry();
  void observationLayout();
  void rewardDecomposition();
  void hopperTermination();
  void walkerTermination();
  void antTermination();
  void halfCheetahNeverTerminates();
  void timeoutAt1000NotTerminal();
  void sameSeedSameTrajectory();
  void resetNoiseBounds();
  void stepErrors();
  void missingModelNamesFile();
};

void TestMujocoEnvs::hopperMassesD4rl() {
  iql::HopperEnv env("d4rl");
  const double expected[] = {3.53429, 3.92699, 2.71433, 5.08938};
  const char* bodies[] = {"torso", "thigh", "leg", "foot"};
  for (int i = 0; i < 4; ++i) {
    const double m = env.body_mass(bodies[i]);
    QVERIFY2(std::abs(m - expected[i]) < 1e-4, (std::string(bodies[i]) + " " + std::to_string(m)).c_str());
  }
}

void TestMujocoEnvs::hopperMassesGymnasium() {
  iql::HopperEnv env("gymnasium-v4");
  // (r, h) from resources/mjcf/hopper.xml, default density 1000.
  const double rh[4][2] = {{0.05, 0.2}, {0.05, 0.225}, {0.04, 0.25}, {0.06, 0.195}};
  const char* bodies[] = {"torso", "thigh", "leg", "foot"};
  for (int i = 0; i < 4; ++i) {
    const double expected = exact_capsule_mass(1000.0, rh[i][0], rh[i][1]);
    const double m = env.body_mass(bodies[i]);
    QVERIFY2(std::abs(m - expected) < 1e-9 * expected, (std::string(bodies[i]) + " " + std::to_string(m)).c_str());
  }
  QVERIFY(std::abs(env.body_mass("torso") - 3.665) < 1e-3);  // the value quoted in the reference
}

void TestMujocoEnvs::fromtoCapsuleMassesBothPhysics() {
  // Ant's aux_1 body holds one fromto capsule (0,0,0)-(0.2,0.2,0), r 0.08, density 5.
  const double r = 0.08, len = 0.2 * std::sqrt(2.0);
  iql::AntEnv d4rl("d4rl"), gym("gymnasium-v4");
  QVERIFY(std::abs(d4rl.body_mass("aux_1") - 5.0 * kPi * r * r * (len + r)) < 1e-12);
  QVERIFY(std::abs(gym.body_mass("aux_1") - exact_capsule_mass(5.0, r, len / 2)) < 1e-12);
  // HalfCheetah is rescaled to total mass 14 in both variants.
  for (const char* ph : {"d4rl", "gymnasium-v4"}) {
    iql::HalfCheetahEnv hc(ph);
    double total = 0.0;
    for (double m : hc.body_masses()) total += m;
    QVERIFY(std::abs(total - 14.0) < 1e-9);
  }
}

void TestMujocoEnvs::d4rlFixKeepsCapsulesForCollision() {
  for (const char* name : kEnvs) {
    auto gym = make(name, "gymnasium-v4");
    auto d4rl = make(name, "d4rl");
    const mjModel* g = gym->model();
    const mjModel* m = d4rl->model();
    int capsules = 0, cylinders = 0;
    for (int i = 0; i < m->ngeom; ++i) {
      if (m->geom_type[i] == mjGEOM_CAPSULE) {
        ++capsules;
        QVERIFY(m->geom_contype[i] != 0 || m->geom_conaffinity[i] != 0);
      } else if (m->geom_type[i] == mjGEOM_CYLINDER) {
        ++cylinders;
        QCOMPARE(m->geom_contype[i], 0);
        QCOMPARE(m->geom_conaffinity[i], 0);
      }
    }
    QVERIFY(capsules > 0);
    QCOMPARE(cylinders, capsules);
    QCOMPARE(m->ngeom, g->ngeom + capsules);
    QCOMPARE(m->nq, g->nq);
    QCOMPARE(m->nv, g->nv);
    QCOMPARE(m->nu, g->nu);
  }
  // The transform itself on a size-form capsule: half-length h + r/2, mass moved off the capsule.
  const std::string out = iql::apply_d4rl_capsule_fix(
      "<mujoco><worldbody><body><geom name=\"c\" size=\"0.1 0.2\" type=\"capsule\"/></body></worldbody></mujoco>");
  QVERIFY(out.find("mass=\"0\"") != std::string::npos);
  QVERIFY(out.find("type=\"cylinder\"") != std::string::npos);
  QVERIFY(out.find("size=\"0.10000000000000001 0.25\"") != std::string::npos);
  QVERIFY_EXCEPTION_THROWN(
      iql::apply_d4rl_capsule_fix("<mujoco><worldbody><geom type=\"capsule\" size=\"1 1\"></geom></worldbody></mujoco>"),
      iql::ConfigError);
}

void TestMujocoEnvs::walkerFootFriction() {
  for (const char* ph : {"d4rl", "gymnasium-v4"}) {
    iql::Walker2dEnv env(ph);
    const int left = mj_name2id(env.model(), mjOBJ_GEOM, "foot_left_geom");
    const int right = mj_name2id(env.model(), mjOBJ_GEOM, "foot_geom");
    QVERIFY(left >= 0 && right >= 0);
    QCOMPARE(env.model()->geom_friction[3 * left], 1.9);
    QCOMPARE(env.model()->geom_friction[3 * right], 0.9);
  }
}

void TestMujocoEnvs::simulationParameters() {
  struct P { const char* name; int skip; double ts; int integrator; };
  const P ps[] = {{"hopper", 4, 0.002, mjINT_RK4}, {"walker2d", 4, 0.002, mjINT_RK4},
                  {"halfcheetah", 5, 0.01, mjINT_EULER}, {"ant", 5, 0.01, mjINT_RK4}};
  for (const P& p : ps)
    for (const char* ph : {"d4rl", "gymnasium-v4"}) {
      auto env = make(p.name, ph);
      QCOMPARE(env->frame_skip(), p.skip);
      QCOMPARE(env->model()->opt.timestep, p.ts);
      QCOMPARE(env->model()->opt.integrator, p.integrator);
      QCOMPARE(env->dt(), p.ts * p.skip);
      QCOMPARE(env->physics(), std::string(ph));
    }
}

void TestMujocoEnvs::dimensionsAndRegistry() {
  struct D { const char* name; int obs; int act; };
  const D ds[] = {{"hopper", 11, 3}, {"walker2d", 17, 6}, {"halfcheetah", 17, 6}, {"ant", 27, 8}};
  const auto names = iql::env_names();
  for (const D& d : ds) {
    QVERIFY(iql::is_env_name(d.name));
    for (const char* ph : {"d4rl", "gymnasium-v4"}) {
      auto env = iql::make_env(d.name, ph);
      QCOMPARE(env->name(), std::string(d.name));
      QCOMPARE(env->obs_dim(), d.obs);
      QCOMPARE(env->act_dim(), d.act);
      QCOMPARE(env->action_low(), -1.0f);
      QCOMPARE(env->action_high(), 1.0f);
      QCOMPARE(env->max_episode_steps(), 1000);
      QCOMPARE(static_cast<int>(env->reset(1).size()), d.obs);
      QCOMPARE(static_cast<int>(env->step(std::vector<float>(d.act, 0.1f)).observation.size()), d.obs);
    }
  }
  QCOMPARE(iql::make_env("HalfCheetah")->name(), std::string("halfcheetah"));
  QVERIFY_EXCEPTION_THROWN(iql::make_env("hopper", "mujoco-9"), iql::ConfigError);
}

void TestMujocoEnvs::observationLayout() {
  iql::HopperEnv hop;
  std::vector<double> qp = {0.3, 1.2, 0.05, -0.1, -0.2, 0.1};
  std::vector<double> qv = {20.0, -15.0, 0.5, 1.0, -1.0, 9.5};
  hop.set_state(qp, qv);
  std::vector<float> o = hop.observation();
  const float expect[] = {1.2f, 0.05f, -0.1f, -0.2f, 0.1f, 10.0f, -10.0f, 0.5f, 1.0f, -1.0f, 9.5f};
  for (int i = 0; i < 11; ++i) QCOMPARE(o[i], expect[i]);

  iql::AntEnv ant;
  std::vector<double> aq = ant.init_qpos(), av(14);
  for (int i = 0; i < 14; ++i) av[i] = 12.0 + i;  // unclipped for Ant
  aq[0] = 3.0;
  aq[1] = -2.0;
  ant.set_state(aq, av);
  o = ant.observation();
  for (int i = 0; i < 13; ++i) QCOMPARE(o[i], static_cast<float>(aq[i + 2]));
  for (int i = 0; i < 14; ++i) QCOMPARE(o[13 + i], static_cast<float>(av[i]));

  iql::HalfCheetahEnv hc;
  std::vector<double> hq(9), hv(9);
  for (int i = 0; i < 9; ++i) { hq[i] = 0.01 * i; hv[i] = 11.0 + i; }
  hc.set_state(hq, hv);
  o = hc.observation();
  for (int i = 0; i < 8; ++i) QCOMPARE(o[i], static_cast<float>(hq[i + 1]));
  for (int i = 0; i < 9; ++i) QCOMPARE(o[8 + i], static_cast<float>(hv[i]));
}

void TestMujocoEnvs::rewardDecomposition() {
  struct R { const char* name; double healthy; double c; };
  const R rs[] = {{"hopper", 1.0, 1e-3}, {"walker2d", 1.0, 1e-3}, {"halfcheetah", 0.0, 0.1}, {"ant", 1.0, 0.5}};
  for (const R& r : rs)
    for (const char* ph : {"d4rl", "gymnasium-v4"}) {
      auto env = make(r.name, ph);
      env->reset(7);
      // A moving state, so the forward term is not ~0.
      std::vector<double> qp = env->qpos(), qv = env->qvel();
      qv[0] = 1.5;
      env->set_state(qp, qv);
      for (int t = 0; t < 3; ++t) {
        std::vector<float> a = test_action(env->act_dim(), t);
        a[0] = 1.7f;  // outside ctrlrange: the cost must still use the raw value
        double sq = 0.0;
        for (float v : a) sq += static_cast<double>(v) * v;
        const double x0 = data_x(*env);
        const iql::StepResult res = env->step(a);
        const double x1 = data_x(*env);
        const double expected = (x1 - x0) / env->dt() + r.healthy - r.c * sq;
        QVERIFY2(std::abs(res.reward - expected) < 1e-9,
                 (std::string(r.name) + " " + ph + ": " + std::to_string(res.reward) + " vs " +
                  std::to_string(expected)).c_str());
        QVERIFY(std::abs(x1 - x0) > 1e-6);
      }
    }
}

void TestMujocoEnvs::hopperTermination() {
  iql::HopperEnv env;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  QVERIFY(healthy_with(env, -1, 0));
  QVERIFY(!healthy_with(env, 1, 0.7));   // z <= 0.7
  QVERIFY(!healthy_with(env, 1, 0.69));
  QVERIFY(healthy_with(env, 1, 0.71));
  QVERIFY(!healthy_with(env, 2, 0.2));   // |angle| >= 0.2
  QVERIFY(!healthy_with(env, 2, -0.2));
  QVERIFY(healthy_with(env, 2, 0.199));
  QVERIFY(healthy_with(env, 2, -0.199));
  QVERIFY(!healthy_with(env, 3, -100.0));        // state[2:] entry in qpos
  QVERIFY(!healthy_with(env, -1, 0, 0, 100.0));  // qvel entries are state[6:]
  QVERIFY(!healthy_with(env, -1, 0, 5, -150.0));
  QVERIFY(healthy_with(env, -1, 0, 5, 99.9));
  QVERIFY(healthy_with(env, 0, 150.0));          // x (state[0]) is exempt from the 100 bound
  QVERIFY(!healthy_with(env, -1, 0, 4, nan));    // non-finite anywhere
  QVERIFY(!healthy_with(env, -1, 0, 1, inf));
  QVERIFY(!healthy_with(env, 0, nan));
  // Through step(): terminal follows the health of the post-step state; not a timeout.
  std::vector<double> qp = env.init_qpos(), qv(6, 0.0);
  qp[2] = 0.5;
  env.set_state(qp, qv);
  iql::StepResult r = env.step({0, 0, 0});
  QVERIFY(r.terminal);
  QVERIFY(!r.timeout);
  env.reset(3);
  r = env.step({0, 0, 0});
  QVERIFY(!r.terminal);
  QCOMPARE(r.terminal, !env.is_healthy());
}

void TestMujocoEnvs::walkerTermination() {
  iql::Walker2dEnv env;
  QVERIFY(healthy_with(env, -1, 0));
  QVERIFY(!healthy_with(env, 1, 0.8));
  QVERIFY(healthy_with(env, 1, 0.81));
  QVERIFY(healthy_with(env, 1, 1.99));
  QVERIFY(!healthy_with(env, 1, 2.0));
  QVERIFY(!healthy_with(env, 2, 1.0));
  QVERIFY(!healthy_with(env, 2, -1.0));
  QVERIFY(healthy_with(env, 2, 0.99));
  QVERIFY(healthy_with(env, 2, -0.99));
  QVERIFY(!healthy_with(env, 1, std::numeric_limits<double>::quiet_NaN()));
  QVERIFY(healthy_with(env, -1, 0, 3, 500.0));  // Walker has no state-magnitude rule
  // Through step(): start in the air above z = 2.
  std::vector<double> qp = env.init_qpos(), qv(9, 0.0);
  qp[1] = 2.5;
  env.set_state(qp, qv);
  const iql::StepResult r = env.step(std::vector<float>(6, 0.0f));
  QVERIFY(r.terminal);
  QVERIFY(!r.timeout);
}

void TestMujocoEnvs::antTermination() {
  iql::AntEnv env;
  QVERIFY(healthy_with(env, -1, 0));
  QVERIFY(!healthy_with(env, 2, 0.19));
  QVERIFY(healthy_with(env, 2, 0.2));
  QVERIFY(healthy_with(env, 2, 1.0));
  QVERIFY(!healthy_with(env, 2, 1.01));
  QVERIFY(!healthy_with(env, -1, 0, 7, std::numeric_limits<double>::quiet_NaN()));
  QVERIFY(!healthy_with(env, -1, 0, 0, std::numeric_limits<double>::infinity()));
  QVERIFY(healthy_with(env, -1, 0, 7, 1e6));  // large but finite is fine
  std::vector<double> qp = env.init_qpos(), qv(14, 0.0);
  qp[2] = 1.5;
  env.set_state(qp, qv);
  const iql::StepResult r = env.step(std::vector<float>(8, 0.0f));
  QVERIFY(r.terminal);
  QVERIFY(!r.timeout);
}

void TestMujocoEnvs::halfCheetahNeverTerminates() {
  iql::HalfCheetahEnv env;
  QVERIFY(healthy_with(env, 1, -5.0));
  QVERIFY(healthy_with(env, 2, kPi));  // upside down
  QVERIFY(healthy_with(env, -1, 0, 3, 1e4));
  env.reset(11);
  for (int t = 0; t < 1000; ++t) {
    const iql::StepResult r = env.step(test_action(6, t));
    QVERIFY(!r.terminal);
    QCOMPARE(r.timeout, t == 999);
  }
}

void TestMujocoEnvs::timeoutAt1000NotTerminal() {
  for (const char* name : {"halfcheetah", "ant"}) {
    auto env = make(name);
    env->reset(5);
    const std::vector<float> zero(env->act_dim(), 0.0f);
    for (int t = 1; t <= 1000; ++t) {
      const iql::StepResult r = env->step(zero);
      QVERIFY2(!r.terminal, (std::string(name) + " terminal at " + std::to_string(t)).c_str());
      QCOMPARE(r.timeout, t == 1000);
      QCOMPARE(env->elapsed_steps(), t);
    }
    env->reset();
    QCOMPARE(env->elapsed_steps(), 0);
    QVERIFY(!env->step(zero).timeout);
  }
}

void TestMujocoEnvs::sameSeedSameTrajectory() {
  for (const char* name : kEnvs) {
    auto a = make(name), b = make(name);
    std::vector<float> oa = a->reset(42), ob = b->reset(42);
    QCOMPARE(oa, ob);
    for (int t = 0; t < 50; ++t) {
      const std::vector<float> act = test_action(a->act_dim(), t);
      const iql::StepResult ra = a->step(act), rb = b->step(act);
      QCOMPARE(ra.observation, rb.observation);
      QCOMPARE(ra.reward, rb.reward);
      QCOMPARE(ra.terminal, rb.terminal);
    }
    QVERIFY(a->reset(43) != b->reset(42));
    QVERIFY(a->reset(42) == b->reset(42));
    QVERIFY(a->reset() != a->reset(42));  // reset() continues the stream
  }
}

void TestMujocoEnvs::resetNoiseBounds() {
  struct N { const char* name; double qpos_bound; bool uniform_vel; };
  const N ns[] = {{"hopper", 5e-3, true}, {"walker2d", 5e-3, true}, {"halfcheetah", 0.1, false}, {"ant", 0.1, false}};
  for (const N& n : ns) {
    auto env = make(n.name);
    const std::vector<double> q0 = env->init_qpos();
    double max_dq = 0.0, max_v = 0.0, sum_v2 = 0.0;
    int count_v = 0;
    env->reset(123);
    for (int ep = 0; ep < 200; ++ep) {
      if (ep > 0) env->reset();
      const std::vector<double> qp = env->qpos(), qv = env->qvel();
      for (size_t i = 0; i < qp.size(); ++i) {
        // mj_forward renormalises Ant's free-joint quaternion (qpos[3:7]) in place after the noise.
        if (n.name == std::string("ant") && i >= 3 && i < 7) continue;
        max_dq = std::max(max_dq, std::abs(qp[i] - q0[i]));
      }
      if (n.name == std::string("ant")) {
        const double norm = std::sqrt(qp[3] * qp[3] + qp[4] * qp[4] + qp[5] * qp[5] + qp[6] * qp[6]);
        QVERIFY(std::abs(norm - 1.0) < 1e-12);
      }
      for (double v : qv) {
        max_v = std::max(max_v, std::abs(v));
        sum_v2 += v * v;
        ++count_v;
      }
    }
    QVERIFY2(max_dq <= n.qpos_bound && max_dq > 0.9 * n.qpos_bound, (std::string(n.name) + " qpos " + std::to_string(max_dq)).c_str());
    if (n.uniform_vel) {
      QVERIFY2(max_v <= 5e-3 && max_v > 4.5e-3, (std::string(n.name) + " qvel " + std::to_string(max_v)).c_str());
    } else {  // 0.1 * N(0, 1)
      const double sd = std::sqrt(sum_v2 / count_v);
      QVERIFY2(sd > 0.09 && sd < 0.11, (std::string(n.name) + " qvel sd " + std::to_string(sd)).c_str());
    }
  }
  // Ant's init qpos is the model's qpos0: torso at z 0.75, identity quaternion, joints 0.
  iql::AntEnv ant;
  const std::vector<double> q0 = ant.init_qpos();
  QCOMPARE(q0[2], 0.75);
  QCOMPARE(q0[3], 1.0);
}

void TestMujocoEnvs::stepErrors() {
  iql::HopperEnv env;
  QVERIFY_EXCEPTION_THROWN(env.step({0, 0, 0}), std::logic_error);
  env.reset(0);
  QVERIFY_EXCEPTION_THROWN(env.step({0, 0}), std::invalid_argument);
  QVERIFY_EXCEPTION_THROWN(env.set_state({0, 1}, {0}), std::invalid_argument);
  QVERIFY_EXCEPTION_THROWN(env.body_mass("nope"), iql::ConfigError);
}

void TestMujocoEnvs::missingModelNamesFile() {
  const QByteArray old = qgetenv("IQL_RESOURCE_DIR");
  qputenv("IQL_RESOURCE_DIR", "/nonexistent/iql-resources");
  QCOMPARE(iql::resource_dir(), std::string("/nonexistent/iql-resources"));
  bool thrown = false;
  try {
    iql::Walker2dEnv env;
  } catch (const iql::ConfigError& e) {
    thrown = true;
    QVERIFY2(std::string(e.what()).find("/nonexistent/iql-resources/mjcf/walker2d.xml") != std::string::npos, e.what());
  }
  if (old.isNull()) qunsetenv("IQL_RESOURCE_DIR");
  else qputenv("IQL_RESOURCE_DIR", old);
  QVERIFY(thrown);
  iql::Walker2dEnv ok;  // restored
  QVERIFY(ok.obs_dim() == 17);
}

QTEST_GUILESS_MAIN(TestMujocoEnvs)
#include "test_mujoco_envs.moc"
