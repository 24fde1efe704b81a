// read_minari / write_minari: a round trip, flag mapping, a Minari file written by hand with the
// HDF5 C API (as h5py/Minari lay it out: bool enums, float64 rewards, episode_10 after episode_2),
// and bad episodes that must name the episode and key.
#include <QtTest/QtTest>
#include <hdf5.h>

#include <fstream>

#include "core/data/minari_reader.h"
#include "core/util/errors.h"

using iql::DataError;

namespace {

// Two episodes: 3 steps ending in a termination, 2 steps ending in a truncation.
iql::Dataset sample() {
  iql::Dataset d;
  d.source = "sample";
  d.obs_dim = 2;
  d.act_dim = 1;
  const int lens[2] = {3, 2};
  float o = 0.f;
  for (int e = 0; e < 2; ++e) {
    for (int t = 0; t < lens[e]; ++t) {
      d.observations.insert(d.observations.end(), {o, -o});
      d.next_observations.insert(d.next_observations.end(), {o + 1, -(o + 1)});
      d.actions.push_back(0.25f * o);
      d.rewards.push_back(1.0f + o);
      d.terminals.push_back(e == 0 && t == lens[e] - 1);
      d.timeouts.push_back(e == 1 && t == lens[e] - 1);
      o += 1.f;
    }
    o += 10.f;  // the next episode starts elsewhere
  }
  d.metadata["env"] = "Toy-v0";
  d.rebuild_episode_index();
  return d;
}

hid_t bool_type() {
  hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
  int8_t f = 0, v = 1;
  H5Tenum_insert(t, "FALSE", &f);
  H5Tenum_insert(t, "TRUE", &v);
  return t;
}

void put(hid_t g, const char* name, hid_t ftype, hid_t mtype, std::vector<hsize_t> dims, const void* data) {
  hid_t s = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
  hid_t ds = H5Dcreate2(g, name, ftype, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  QVERIFY(ds >= 0);
  QVERIFY(H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
  H5Dclose(ds);
  H5Sclose(s);
}

// An episode of T steps with obs_dim 3, act_dim 2; value base identifies the episode.
void episode(hid_t f, const std::string& name, int T, double base, bool rewards = true, bool terminated = false) {
  hid_t g = H5Gcreate2(f, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<double> obs, act, rew;
  for (int t = 0; t <= T; ++t) for (int k = 0; k < 3; ++k) obs.push_back(base + t + 0.1 * k);
  for (int t = 0; t < T; ++t) { act.push_back(base); act.push_back(-base); rew.push_back(base + t); }
  std::vector<int8_t> term(T, 0), trunc(T, 0);
  (terminated ? term : trunc)[T - 1] = 1;
  hid_t b = bool_type();
  put(g, "observations", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {hsize_t(T + 1), 3}, obs.data());
  put(g, "actions", H5T_IEEE_F32LE, H5T_NATIVE_DOUBLE, {hsize_t(T), 2}, act.data());
  if (rewards) put(g, "rewards", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {hsize_t(T)}, rew.data());
  put(g, "terminations", b, b, {hsize_t(T)}, term.data());
  put(g, "truncations", b, b, {hsize_t(T)}, trunc.data());
  H5Tclose(b);
  H5Gclose(g);
}

}  // namespace

class TestMinariReader : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void roundTrip() {
    const iql::Dataset d = sample();
    const std::string out = dir_.filePath("toy").toStdString();
    iql::write_minari(d, out);
    QVERIFY(QFile::exists(dir_.filePath("toy/data/main_data.hdf5")));
    QVERIFY(QFile::exists(dir_.filePath("toy/data/metadata.json")));
    for (const std::string& p : {out, out + "/data", out + "/data/main_data.hdf5"}) {
      const iql::Dataset r = iql::read_minari(p);
      QCOMPARE(r.obs_dim, d.obs_dim);
      QCOMPARE(r.act_dim, d.act_dim);
      QCOMPARE(r.observations, d.observations);
      QCOMPARE(r.next_observations, d.next_observations);
      QCOMPARE(r.actions, d.actions);
      QCOMPARE(r.rewards, d.rewards);
      QCOMPARE(r.terminals, d.terminals);  // terminations -> terminals
      QCOMPARE(r.timeouts, d.timeouts);    // truncations -> timeouts
      QCOMPARE(r.episode_starts, (std::vector<int64_t>{0, 3}));
      QCOMPARE(r.metadata.at("env"), std::string("Toy-v0"));
      QCOMPARE(r.metadata.at("total_episodes"), std::string("2"));
      QCOMPARE(r.metadata.at("total_steps"), std::string("5"));
    }
  }

  void handWritten() {
    QVERIFY(QDir(dir_.path()).mkpath("hand/data"));
    const std::string h5 = dir_.filePath("hand/data/main_data.hdf5").toStdString();
    hid_t f = H5Fcreate(h5.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    episode(f, "episode_10", 2, 100.0, true, true);  // numeric order: after episode_2
    episode(f, "episode_2", 3, 20.0);
    episode(f, "episode_0", 1, 0.0);
    H5Fclose(f);
    std::ofstream(dir_.filePath("hand/data/metadata.json").toStdString())
        << R"({"dataset_id": "toy/hand-v0", "total_episodes": 3, "env_spec": {"id": "Toy-v0"}})";
    const iql::Dataset d = iql::read_minari(dir_.filePath("hand").toStdString());
    QCOMPARE(d.size(), int64_t(6));
    QCOMPARE(d.obs_dim, 3);
    QCOMPARE(d.act_dim, 2);
    QCOMPARE(d.episode_starts, (std::vector<int64_t>{0, 1, 4}));
    QCOMPARE(d.rewards, (std::vector<float>{0, 20, 21, 22, 100, 101}));
    QCOMPARE(d.observations[3 * 4], 100.0f);       // episode_10's first obs
    QCOMPARE(d.next_observations[3 * 5], 102.0f);  // its final obs
    QCOMPARE(d.terminals, (std::vector<uint8_t>{0, 0, 0, 0, 0, 1}));
    QCOMPARE(d.timeouts, (std::vector<uint8_t>{1, 0, 0, 1, 0, 0}));
    QCOMPARE(d.metadata.at("dataset_id"), std::string("toy/hand-v0"));
    QCOMPARE(d.metadata.at("total_episodes"), std::string("3"));
    QCOMPARE(d.metadata.at("env_spec"), std::string(R"({"id":"Toy-v0"})"));
  }

  void missingRewards() {
    QVERIFY(QDir(dir_.path()).mkpath("bad/data"));
    const std::string h5 = dir_.filePath("bad/data/main_data.hdf5").toStdString();
    hid_t f = H5Fcreate(h5.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    episode(f, "episode_0", 2, 0.0);
    episode(f, "episode_1", 2, 5.0, false);
    H5Fclose(f);
    try {
      iql::read_minari(dir_.filePath("bad").toStdString());
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      QCOMPARE(e.key(), std::string("episode_1/rewards"));
      QCOMPARE(e.file(), h5);
      QVERIFY2(std::string(e.what()).find("missing") != std::string::npos, e.what());
    }
  }

  void notMinari() {
    QVERIFY(QDir(dir_.path()).mkpath("empty"));
    try {
      iql::read_minari(dir_.filePath("empty").toStdString());
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      QVERIFY2(std::string(e.what()).find("main_data.hdf5") != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestMinariReader)
#include "test_minari_reader.moc"
