// read_d4rl_hdf5: the real Pendulum fixture, plus small files built here with the HDF5 C API,
// one per way a user's file can be wrong (each must give a DataError naming file and key).
#include <QtTest/QtTest>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/dataset_inspector.h"
#include "core/util/errors.h"

using iql::DataError;

namespace {

// One dataset to put in a test file: values are given as double and converted by HDF5 on write.
struct Arr {
  std::string key;
  std::vector<hsize_t> dims;
  std::vector<double> values;
  hid_t file_type = H5T_IEEE_F32LE;
};

void write_file(const QString& path, const std::vector<Arr>& arrays, bool gzip = false) {
  hid_t f = H5Fcreate(path.toStdString().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  QVERIFY(f >= 0);
  for (const Arr& a : arrays) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t space = H5Screate_simple(int(a.dims.size()), a.dims.data(), nullptr);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (gzip) {  // like D4RL files: chunked and deflated
      std::vector<hsize_t> chunk = a.dims;
      chunk[0] = std::min<hsize_t>(chunk[0], 256);
      H5Pset_chunk(dcpl, int(chunk.size()), chunk.data());
      H5Pset_deflate(dcpl, 4);
    }
    hid_t ds = H5Dcreate2(f, a.key.c_str(), a.file_type, space, lcpl, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    QVERIFY(ds >= 0);
    QVERIFY(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values.data()) >= 0);
    H5Dclose(ds);
    H5Sclose(space);
    H5Pclose(lcpl);
  }
  H5Fclose(f);
}

std::vector<double> seq(size_t n, double start = 0.0) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + 0.01 * double(i);
  return v;
}

// A valid file of n rows, obs_dim 3, act_dim 2, next_observations present.
std::vector<Arr> good(size_t n = 100) {
  std::vector<double> term(n, 0.0), to(n, 0.0);
  to[n - 1] = 1.0;
  return {{"observations", {n, 3}, seq(n * 3)},
          {"actions", {n, 2}, seq(n * 2, 1.0)},
          {"rewards", {n}, seq(n, -1.0)},
          {"terminals", {n}, term},
          {"timeouts", {n}, to},
          {"next_observations", {n, 3}, seq(n * 3, 0.03)}};
}

Arr& find(std::vector<Arr>& arrays, const std::string& key) {
  for (Arr& a : arrays)
    if (a.key == key) return a;
  throw std::runtime_error("no key " + key);
}

void remove_key(std::vector<Arr>& arrays, const std::string& key) {
  arrays.erase(std::remove_if(arrays.begin(), arrays.end(), [&](const Arr& a) { return a.key == key; }),
               arrays.end());
}

}  // namespace

class TestD4rlHdf5Reader : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString path(const char* name) const { return dir_.filePath(name); }

  // Reads path expecting a DataError whose message names the file and the key.
  void expect_error(const QString& file, const std::string& key, const std::string& also = "") {
    try {
      iql::read_d4rl_hdf5(file.toStdString());
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      const std::string msg = e.what();
      QVERIFY2(msg.find(file.toStdString()) != std::string::npos, msg.c_str());
      QVERIFY2(msg.find("'" + key + "'") != std::string::npos || key.empty(), msg.c_str());
      QCOMPARE(e.key(), key);
      QVERIFY2(msg.find(also) != std::string::npos, msg.c_str());
    }
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void realFixture() {
    const iql::Dataset d = iql::read_d4rl_hdf5(IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5");
    QCOMPARE(d.size(), int64_t(11200));
    QCOMPARE(d.obs_dim, 3);
    QCOMPARE(d.act_dim, 1);
    QCOMPARE(d.num_episodes(), int64_t(56));
    int64_t timeouts = 0;
    for (uint8_t t : d.timeouts) timeouts += t;
    QCOMPARE(timeouts, int64_t(56));
    // mean episode return, summed here independently of Dataset::episode_returns
    double total = 0.0;
    for (float r : d.rewards) total += r;
    const double mean = total / 56.0;
    QVERIFY2(std::fabs(mean - (-189.4)) < 0.1, qPrintable(QString::number(mean)));
  }

  void goodSmallFile() {
    write_file(path("good.h5"), good());
    const iql::Dataset d = iql::read_d4rl_hdf5(path("good.h5").toStdString());
    QCOMPARE(d.size(), int64_t(100));
    QCOMPARE(d.act_dim, 2);
    QCOMPARE(d.actions[3], 1.03f);
    QCOMPARE(d.next_observations[0], 0.03f);
    QCOMPARE(d.source, path("good.h5").toStdString());
  }

  void missingKey_data() {
    QTest::addColumn<QString>("key");
    for (const char* k : {"observations", "actions", "rewards", "terminals"}) QTest::newRow(k) << k;
  }
  void missingKey() {
    QFETCH(QString, key);
    auto a = good();
    remove_key(a, key.toStdString());
    write_file(path("missing.h5"), a);
    expect_error(path("missing.h5"), key.toStdString(), "missing");
  }

  void mismatchedLength() {
    auto a = good();
    find(a, "actions") = {"actions", {99, 1}, seq(99)};
    write_file(path("mismatch.h5"), a);
    expect_error(path("mismatch.h5"), "actions", "has shape (99, 1), expected (N, act_dim) with N = 100");
    a = good();
    find(a, "rewards") = {"rewards", {101}, seq(101)};
    write_file(path("mismatch2.h5"), a);
    expect_error(path("mismatch2.h5"), "rewards", "(101,)");
    a = good();
    find(a, "next_observations") = {"next_observations", {100, 4}, seq(400)};
    write_file(path("mismatch3.h5"), a);
    expect_error(path("mismatch3.h5"), "next_observations", "(100, 4)");
  }

  void wrongDims() {
    auto a = good();
    find(a, "observations") = {"observations", {100}, seq(100)};
    write_file(path("obs1d.h5"), a);
    expect_error(path("obs1d.h5"), "observations", "expected (N, obs_dim)");
    a = good();
    find(a, "observations") = {"observations", {100, 3, 2}, seq(600)};
    write_file(path("obs3d.h5"), a);
    expect_error(path("obs3d.h5"), "observations", "(100, 3, 2)");
    a = good();
    find(a, "rewards") = {"rewards", {100, 2}, seq(200)};
    write_file(path("rew2.h5"), a);
    expect_error(path("rew2.h5"), "rewards", "has shape (100, 2), expected (N,) or (N, 1)");
    a = good();
    find(a, "terminals") = {"terminals", {100, 2}, std::vector<double>(200, 0.0)};
    write_file(path("term2.h5"), a);
    expect_error(path("term2.h5"), "terminals", "(100, 2)");
  }

  void flatActionsAreActDim1() {
    auto a = good();
    find(a, "actions") = {"actions", {100}, seq(100)};
    write_file(path("act1.h5"), a);
    const iql::Dataset d = iql::read_d4rl_hdf5(path("act1.h5").toStdString());
    QCOMPARE(d.act_dim, 1);
    QCOMPARE(d.actions.size(), size_t(100));
  }

  void rewardsColumn() {
    auto a = good();
    find(a, "rewards").dims = {100, 1};
    write_file(path("rewcol.h5"), a);
    const iql::Dataset d = iql::read_d4rl_hdf5(path("rewcol.h5").toStdString());
    QCOMPARE(d.rewards.size(), size_t(100));
    QCOMPARE(d.rewards[5], -0.95f);
  }

  void float64AndBoolEnum() {
    auto a = good();
    for (Arr& x : a) x.file_type = H5T_IEEE_F64LE;
    find(a, "terminals").file_type = H5T_STD_U8LE;
    find(a, "terminals").values[10] = 1.0;
    write_file(path("f64.h5"), a);
    // h5py stores bool as an int8 enum {FALSE, TRUE}: write timeouts that way
    hid_t f = H5Fopen(path("f64.h5").toStdString().c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(f, "timeouts", H5P_DEFAULT);
    hid_t et = H5Tenum_create(H5T_NATIVE_INT8);
    int8_t fv = 0, tv = 1;
    H5Tenum_insert(et, "FALSE", &fv);
    H5Tenum_insert(et, "TRUE", &tv);
    hsize_t n = 100;
    hid_t sp = H5Screate_simple(1, &n, nullptr);
    hid_t ds = H5Dcreate2(f, "timeouts", et, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    std::vector<int8_t> to(100, 0);
    to[49] = to[99] = 1;
    QVERIFY(H5Dwrite(ds, et, H5S_ALL, H5S_ALL, H5P_DEFAULT, to.data()) >= 0);
    H5Dclose(ds);
    H5Sclose(sp);
    H5Tclose(et);
    H5Fclose(f);

    const iql::Dataset d = iql::read_d4rl_hdf5(path("f64.h5").toStdString());
    QCOMPARE(d.observations[7], 0.07f);
    QCOMPARE(int(d.terminals[10]), 1);
    QCOMPARE(int(d.timeouts[49]), 1);
    QCOMPARE(int(d.timeouts[50]), 0);
    QCOMPARE(int(d.timeouts[99]), 1);
  }

  void nanAndInf() {
    auto a = good();
    find(a, "observations").values[7 * 3 + 1] = std::numeric_limits<double>::quiet_NaN();
    write_file(path("nan.h5"), a);
    expect_error(path("nan.h5"), "observations", "NaN value at row 7, column 1");
    a = good();
    find(a, "rewards").file_type = H5T_IEEE_F64LE;
    find(a, "rewards").values[42] = -std::numeric_limits<double>::infinity();
    write_file(path("inf.h5"), a);
    expect_error(path("inf.h5"), "rewards", "Inf value at row 42");
    a = good();
    find(a, "actions").file_type = H5T_IEEE_F64LE;
    find(a, "actions").values[0] = 1e300;  // finite float64 that float32 cannot hold
    write_file(path("overflow.h5"), a);
    expect_error(path("overflow.h5"), "actions", "row 0");
  }

  void nonNumericDtype() {
    auto a = good();
    remove_key(a, "rewards");
    write_file(path("str.h5"), a);
    hid_t f = H5Fopen(path("str.h5").toStdString().c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, 4);
    hsize_t n = 100;
    hid_t sp = H5Screate_simple(1, &n, nullptr);
    hid_t ds = H5Dcreate2(f, "rewards", st, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    std::vector<char> buf(400, 'x');
    H5Dwrite(ds, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
    H5Dclose(ds);
    H5Sclose(sp);
    H5Tclose(st);
    H5Fclose(f);
    expect_error(path("str.h5"), "rewards", "non-numeric dtype");
  }

  void truncatedFile() {
    write_file(path("full.h5"), good(5000));
    QFile full(path("full.h5"));
    QVERIFY(full.open(QIODevice::ReadOnly));
    const QByteArray bytes = full.readAll();
    for (qsizetype keep : {bytes.size() / 2, qsizetype(4096), qsizetype(600)}) {
      QFile cut(path("cut.h5"));
      QVERIFY(cut.open(QIODevice::WriteOnly | QIODevice::Truncate));
      cut.write(bytes.left(keep));
      cut.close();
      try {
        iql::read_d4rl_hdf5(path("cut.h5").toStdString());
        QFAIL("expected DataError");
      } catch (const DataError& e) {
        QVERIFY2(std::string(e.what()).find(path("cut.h5").toStdString()) != std::string::npos, e.what());
      }
    }
  }

  void corruptFile() {
    write_file(path("whole.h5"), good(5000), true);
    QFile f(path("whole.h5"));
    QVERIFY(f.open(QIODevice::ReadWrite));
    f.seek(f.size() / 3);  // inside the deflated observations chunks: inflate fails
    f.write(QByteArray(2048, char(0xA5)));
    f.close();
    QVERIFY_EXCEPTION_THROWN(iql::read_d4rl_hdf5(path("whole.h5").toStdString()), DataError);
  }

  void notHdf5() {
    QFile txt(path("notes.h5"));
    QVERIFY(txt.open(QIODevice::WriteOnly));
    txt.write("observations,actions\n1,2\n");
    txt.close();
    expect_error(path("notes.h5"), "", "not an HDF5 file");
  }

  void nonexistent() { expect_error(path("nope/none.hdf5"), "", "does not exist"); }

  void noNextObservations() {
    const size_t n = 10;
    auto a = good(n);
    remove_key(a, "next_observations");
    std::vector<double> to(n, 0.0);
    to[4] = to[9] = 1.0;
    find(a, "timeouts").values = to;
    write_file(path("qlearn.h5"), a);
    const iql::Dataset d = iql::read_d4rl_hdf5(path("qlearn.h5").toStdString());
    // rows 0..N-2 minus those with timeouts[i] among them: 9 - 1 = 8
    QCOMPARE(d.size(), int64_t(8));
    const std::vector<double> obs = seq(n * 3);
    const std::vector<size_t> kept = {0, 1, 2, 3, 5, 6, 7, 8};
    for (size_t k = 0; k < kept.size(); ++k) {
      for (int c = 0; c < 3; ++c) {
        QCOMPARE(d.observations[k * 3 + c], float(obs[kept[k] * 3 + c]));
        QCOMPARE(d.next_observations[k * 3 + c], float(obs[(kept[k] + 1) * 3 + c]));
      }
    }
    QCOMPARE(d.num_episodes(), int64_t(2));
    QCOMPARE(d.episode_starts[1], int64_t(4));
    QVERIFY(d.metadata.count("next_observations"));
  }

  void antmazeLayout() {
    // D4RL's AntMaze files: no next_observations, 1001 rows per episode with the time-out on the
    // last, relabelled rewards = terminals, infos/goal, infos/qpos, infos/qvel beside (ignored).
    const size_t n = 2002;
    std::vector<double> rew(n, 0.0), to(n, 0.0);
    to[1000] = to[2001] = 1.0;
    rew[500] = rew[501] = 1.0;  // the first episode walks through the goal
    write_file(path("antmaze.hdf5"),
               {{"observations", {n, 29}, seq(n * 29)},
                {"actions", {n, 8}, std::vector<double>(n * 8, 0.5)},
                {"rewards", {n}, rew},
                {"terminals", {n}, rew, H5T_STD_U8LE},
                {"timeouts", {n}, to, H5T_STD_U8LE},
                {"infos/goal", {n, 2}, std::vector<double>(n * 2, 1.0)},
                {"infos/qpos", {n, 15}, seq(n * 15)},
                {"infos/qvel", {n, 14}, seq(n * 14)}},
               /*gzip=*/true);
    const iql::Dataset d = iql::read_d4rl_hdf5(path("antmaze.hdf5").toStdString());
    QCOMPARE(d.obs_dim, 29);
    QCOMPARE(d.act_dim, 8);
    QCOMPARE(d.size(), int64_t(2000));  // rows 0..2000, minus the time-out row 1000
    QCOMPARE(d.rewards[500], 1.0f);
    QCOMPARE(d.terminals[501], uint8_t(1));
    QCOMPARE(d.timeouts[999], uint8_t(1));  // the episode boundary stays explicit
    QCOMPARE(d.observations[1000 * 29], float(seq(n * 29)[1001 * 29]));  // row 1001 moved up
    const iql::DatasetStats st = iql::inspect_dataset(d);
    QVERIFY(st.sparse_rewards);
    QCOMPARE(st.success_transitions, int64_t(2));
    QCOMPARE(st.trajectories, int64_t(2));
    QCOMPARE(st.successful_trajectories, int64_t(1));
  }

  void timeoutsOptional() {
    auto a = good();
    remove_key(a, "timeouts");
    write_file(path("noto.h5"), a);
    const iql::Dataset d = iql::read_d4rl_hdf5(path("noto.h5").toStdString());
    QCOMPARE(d.timeouts, std::vector<uint8_t>(100, 0));
  }

  void metadataBestEffort() {
    auto a = good();
    a.push_back({"metadata/iteration", {1}, {1500}});
    a.push_back({"metadata/policy/fc0/weight", {64, 3}, seq(192)});  // too big: skipped
    write_file(path("meta.h5"), a);
    hid_t f = H5Fopen(path("meta.h5").toStdString().c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, H5T_VARIABLE);
    hid_t sp = H5Screate(H5S_SCALAR);
    const char* algo = "SAC";
    hid_t ds = H5Dcreate2(f, "metadata/algorithm", st, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &algo);
    H5Dclose(ds);
    hid_t fixed = H5Tcopy(H5T_C_S1);
    H5Tset_size(fixed, 11);
    hid_t at = H5Acreate2(f, "env", fixed, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(at, fixed, "Pendulum-v1");
    H5Aclose(at);
    H5Tclose(fixed);
    H5Sclose(sp);
    H5Tclose(st);
    H5Fclose(f);
    const iql::Dataset d = iql::read_d4rl_hdf5(path("meta.h5").toStdString());
    QCOMPARE(d.metadata.at("algorithm"), std::string("SAC"));
    QCOMPARE(d.metadata.at("iteration"), std::string("1500"));
    QCOMPARE(d.metadata.at("env"), std::string("Pendulum-v1"));
    QVERIFY(!d.metadata.count("policy/fc0/weight"));
  }
};

QTEST_GUILESS_MAIN(TestD4rlHdf5Reader)
#include "test_d4rl_hdf5_reader.moc"
