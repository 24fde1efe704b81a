// Built-in Pendulum datasets: D4RL layout, sizes, behaviour quality ordering, determinism, and
// the on-disk cache (generated on first use, read back afterwards).
#include <QtTest/QtTest>

#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "core/env/builtin_datasets.h"
#include "core/env/pendulum.h"
#include "core/util/errors.h"

namespace {
double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
int64_t expected_episodes(const std::string& name) { return name == "pendulum-medium-replay" ? 75 : 100; }
}  // namespace

class TestBuiltinDatasets : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void namesAndLookup();
  void layoutAndSizes();
  void qualityOrdering();
  void sameSeedSameData();
  void transitionsAreRealDynamics();
  void pathFollowsXdg();
  void loadOrCreateCachesOnDisk();
};

void TestBuiltinDatasets::namesAndLookup() {
  const auto names = iql::builtin_dataset_names();
  QCOMPARE(names.size(), size_t(4));
  for (const char* n : {"pendulum-random", "pendulum-medium", "pendulum-medium-replay", "pendulum-expert"})
    QVERIFY(iql::is_builtin_dataset(n));
  QVERIFY(!iql::is_builtin_dataset("hopper-medium-v2"));
  try {
    iql::generate_builtin_dataset("pendulum-mediun");
    QFAIL("expected ConfigError");
  } catch (const iql::ConfigError& e) {
    QVERIFY(std::string(e.what()).find("pendulum-medium-replay") != std::string::npos);
  }
}

void TestBuiltinDatasets::layoutAndSizes() {
  for (const auto& name : iql::builtin_dataset_names()) {
    const iql::Dataset d = iql::generate_builtin_dataset(name);
    d.validate();
    const int64_t eps = expected_episodes(name);
    QCOMPARE(d.obs_dim, 3);
    QCOMPARE(d.act_dim, 1);
    QCOMPARE(d.size(), eps * 200);
    QCOMPARE(d.num_episodes(), eps);
    QCOMPARE(d.next_observations.size(), d.observations.size());
    for (int64_t i = 0; i < d.size(); ++i) {
      QCOMPARE(int(d.terminals[i]), 0);
      QCOMPARE(bool(d.timeouts[i]), (i + 1) % 200 == 0);
      QVERIFY(d.actions[i] >= -2.0f && d.actions[i] <= 2.0f);  // env units, like real Gym data
    }
    for (int64_t e = 0; e < eps; ++e) QCOMPARE(d.episode_starts[e], e * 200);
    QCOMPARE(d.metadata.at("env"), std::string("pendulum"));
    QCOMPARE(d.metadata.at("seed"), std::string("0"));
    QVERIFY(!d.metadata.at("generator").empty());
    QVERIFY(std::abs(std::stod(d.metadata.at("behaviour_return_mean")) - mean(d.episode_returns())) < 1e-2);
  }
}

void TestBuiltinDatasets::qualityOrdering() {
  std::map<std::string, double> ret;
  for (const auto& name : iql::builtin_dataset_names()) {
    ret[name] = mean(iql::generate_builtin_dataset(name).episode_returns());
    qInfo("%s: mean episode return %.1f", name.c_str(), ret[name]);
  }
  QVERIFY(ret["pendulum-random"] < ret["pendulum-medium-replay"]);
  QVERIFY(ret["pendulum-medium-replay"] < ret["pendulum-medium"]);
  QVERIFY(ret["pendulum-medium"] < ret["pendulum-expert"]);
  QVERIFY(ret["pendulum-expert"] > -250.0);
  QVERIFY(ret["pendulum-medium"] > -850.0 && ret["pendulum-medium"] < -450.0);
  QVERIFY(ret["pendulum-random"] < -1000.0);
}

void TestBuiltinDatasets::sameSeedSameData() {
  for (const auto& name : iql::builtin_dataset_names()) {
    const iql::Dataset a = iql::generate_builtin_dataset(name, 5), b = iql::generate_builtin_dataset(name, 5);
    QVERIFY(a.observations == b.observations);
    QVERIFY(a.actions == b.actions);
    QVERIFY(a.rewards == b.rewards);
    QVERIFY(a.next_observations == b.next_observations);
    QVERIFY(a.metadata == b.metadata);
    const iql::Dataset c = iql::generate_builtin_dataset(name, 6);
    QVERIFY(a.observations != c.observations);
  }
  // different datasets do not share start states
  QVERIFY(iql::generate_builtin_dataset("pendulum-random").observations[0] !=
          iql::generate_builtin_dataset("pendulum-expert").observations[0]);
}

// Each row is one real Pendulum-v1 step (checked on a sample of rows, as the fixture replay does).
void TestBuiltinDatasets::transitionsAreRealDynamics() {
  const iql::Dataset d = iql::generate_builtin_dataset("pendulum-medium");
  iql::PendulumEnv env;
  for (int64_t i = 0; i < d.size(); i += 37) {
    const float* o = &d.observations[i * 3];
    env.set_state(std::atan2(double(o[1]), double(o[0])), double(o[2]));
    const iql::StepResult r = env.step({d.actions[i]});
    for (int k = 0; k < 3; ++k) QVERIFY(std::abs(r.observation[k] - d.next_observations[i * 3 + k]) < 1e-5f);
    QVERIFY(std::abs(r.reward - d.rewards[i]) < 1e-4);
  }
}

void TestBuiltinDatasets::pathFollowsXdg() {
  const QByteArray old_xdg = qgetenv("XDG_DATA_HOME"), old_home = qgetenv("HOME");
  qputenv("XDG_DATA_HOME", "/tmp/xdg-test");
  QCOMPARE(iql::builtin_dataset_path("pendulum-expert"),
           std::string("/tmp/xdg-test/iql-workbench/datasets/pendulum-expert.hdf5"));
  qunsetenv("XDG_DATA_HOME");
  qputenv("HOME", "/home/someone");
  QCOMPARE(iql::builtin_dataset_path("pendulum-random"),
           std::string("/home/someone/.local/share/iql-workbench/datasets/pendulum-random.hdf5"));
  QVERIFY_EXCEPTION_THROWN(iql::builtin_dataset_path("../etc/passwd"), iql::ConfigError);
  qputenv("HOME", old_home);
  if (old_xdg.isNull()) qunsetenv("XDG_DATA_HOME"); else qputenv("XDG_DATA_HOME", old_xdg);
}

void TestBuiltinDatasets::loadOrCreateCachesOnDisk() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QByteArray old_xdg = qgetenv("XDG_DATA_HOME");
  qputenv("XDG_DATA_HOME", dir.path().toUtf8());
  const std::string path = iql::builtin_dataset_path("pendulum-expert");
  QVERIFY(!std::filesystem::exists(path));
  const iql::Dataset made = iql::load_or_create_builtin("pendulum-expert");
  QVERIFY(std::filesystem::exists(path));
  const auto mtime = std::filesystem::last_write_time(path);
  const iql::Dataset read = iql::load_or_create_builtin("pendulum-expert");
  QCOMPARE(std::filesystem::last_write_time(path), mtime);  // second call read, did not rewrite
  const iql::Dataset fresh = iql::generate_builtin_dataset("pendulum-expert", 0);
  for (const iql::Dataset* d : {&made, &read}) {
    QVERIFY(d->observations == fresh.observations);
    QVERIFY(d->actions == fresh.actions);
    QVERIFY(d->rewards == fresh.rewards);
    QVERIFY(d->next_observations == fresh.next_observations);
    QVERIFY(d->terminals == fresh.terminals);
    QVERIFY(d->timeouts == fresh.timeouts);
    QVERIFY(d->episode_starts == fresh.episode_starts);
  }
  QCOMPARE(read.metadata.at("generator"), fresh.metadata.at("generator"));
  QCOMPARE(read.metadata.at("behaviour_return_mean"), fresh.metadata.at("behaviour_return_mean"));

  // A corrupt cache file is regenerated rather than failing forever.
  { std::ofstream(path, std::ios::trunc) << "not hdf5"; }
  const iql::Dataset again = iql::load_or_create_builtin("pendulum-expert");
  QVERIFY(again.observations == fresh.observations);
  QVERIFY(iql::load_or_create_builtin("pendulum-expert").actions == fresh.actions);
  if (old_xdg.isNull()) qunsetenv("XDG_DATA_HOME"); else qputenv("XDG_DATA_HOME", old_xdg);
}

QTEST_GUILESS_MAIN(TestBuiltinDatasets)
#include "test_builtin_datasets.moc"
