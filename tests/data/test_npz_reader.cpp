// read_npz_rollouts: the real imitation fixture against its D4RL twin, plus archives built here
// with a tiny stored-entry zip writer (float64 data, (N, 1) rews, a pickled infos to skip) and
// one archive per way a user's file can be wrong.
#include <QtTest/QtTest>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/npz_reader.h"
#include "core/util/errors.h"

using iql::DataError;

namespace {

using Bytes = std::string;

// A .npy image: header dict padded to a multiple of 64 bytes, then the raw little-endian data.
Bytes npy(const std::string& descr, const std::string& shape, const Bytes& data) {
  std::string h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + h.size() + 1) % 64) h += ' ';
  h += '\n';
  Bytes out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(h.size() & 0xff);
  out += char(h.size() >> 8);
  return out + h + data;
}

template <class T>
Bytes raw(const std::vector<T>& v) {
  return Bytes(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

void put(Bytes& b, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b += char((v >> (8 * i)) & 0xff);
}

// A zip of stored (uncompressed) entries, as np.savez writes them minus compression.
Bytes zip(const std::vector<std::pair<std::string, Bytes>>& entries) {
  Bytes out, cd;
  for (const auto& [name, data] : entries) {
    const uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size()));
    const size_t offset = out.size();
    put(out, 0x04034b50, 4); put(out, 20, 2); put(out, 0, 2); put(out, 0, 2); put(out, 0, 4);
    put(out, crc, 4); put(out, data.size(), 4); put(out, data.size(), 4); put(out, name.size(), 2); put(out, 0, 2);
    out += name + data;
    put(cd, 0x02014b50, 4); put(cd, 20, 2); put(cd, 20, 2); put(cd, 0, 2); put(cd, 0, 2); put(cd, 0, 4);
    put(cd, crc, 4); put(cd, data.size(), 4); put(cd, data.size(), 4); put(cd, name.size(), 2);
    put(cd, 0, 2); put(cd, 0, 2); put(cd, 0, 2); put(cd, 0, 2); put(cd, 0, 4); put(cd, offset, 4);
    cd += name;
  }
  const size_t cd_off = out.size();
  out += cd;
  put(out, 0x06054b50, 4); put(out, 0, 2); put(out, 0, 2); put(out, entries.size(), 2); put(out, entries.size(), 2);
  put(out, cd.size(), 4); put(out, cd_off, 4); put(out, 0, 2);
  return out;
}

// 3 episodes of lengths 2, 3, 1 (A = 6), obs_dim 2, act_dim 1; episode 1 is not terminal.
std::vector<std::pair<std::string, Bytes>> tiny() {
  std::vector<double> obs, acts, rews;
  for (int i = 0; i < 9; ++i) { obs.push_back(i); obs.push_back(10 + i); }
  for (int i = 0; i < 6; ++i) { acts.push_back(0.5 * i); rews.push_back(-1.0 * i); }
  // infos: the header says object array; its payload is a pickle that must never be read
  const Bytes pickle = "\x80\x03" "cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85R.";
  return {{"obs.npy", npy("<f8", "(9, 2)", raw(obs))},
          {"acts.npy", npy("<f8", "(6, 1)", raw(acts))},
          {"infos.npy", npy("|O", "(6,)", pickle)},
          {"terminal.npy", npy("|b1", "(3,)", Bytes("\x01\x00\x01", 3))},
          {"indices.npy", npy("<i8", "(2,)", raw(std::vector<int64_t>{2, 5}))},
          {"rews.npy", npy("<f8", "(6, 1)", raw(rews))}};
}

void replace(std::vector<std::pair<std::string, Bytes>>& e, const std::string& name, const Bytes& data) {
  for (auto& [n, d] : e)
    if (n == name) d = data;
}

}  // namespace

class TestNpzReader : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  std::string write(const char* name, const Bytes& data) {
    const std::string p = dir_.filePath(name).toStdString();
    std::ofstream(p, std::ios::binary) << data;
    return p;
  }

  void expect_error(const std::string& file, const std::string& key, const std::string& also) {
    try {
      iql::read_npz_rollouts(file);
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      const std::string msg = e.what();
      QVERIFY2(msg.find(file) != std::string::npos, msg.c_str());
      QVERIFY2(e.key() == key, msg.c_str());
      QVERIFY2(msg.find(also) != std::string::npos, msg.c_str());
    }
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void fixtureMatchesHdf5() {
    const iql::Dataset n = iql::read_npz_rollouts(IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.npz");
    const iql::Dataset h = iql::read_d4rl_hdf5(IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5");
    QCOMPARE(n.size(), int64_t(11200));
    QCOMPARE(n.obs_dim, 3);
    QCOMPARE(n.act_dim, 1);
    QCOMPARE(n.num_episodes(), int64_t(56));
    QCOMPARE(n.size(), h.size());
    for (int64_t i = 0; i < n.size(); ++i) {  // transition by transition, for a useful failure row
      for (int k = 0; k < 3; ++k) {
        QCOMPARE(n.observations[i * 3 + k], h.observations[i * 3 + k]);
        QCOMPARE(n.next_observations[i * 3 + k], h.next_observations[i * 3 + k]);
      }
      QCOMPARE(n.actions[i], h.actions[i]);
      QCOMPARE(n.rewards[i], h.rewards[i]);
      QCOMPARE(n.terminals[i], h.terminals[i]);
      QCOMPARE(n.timeouts[i], h.timeouts[i]);
    }
    QCOMPARE(n.episode_starts, h.episode_starts);
    double total = 0.0;
    for (float r : n.rewards) total += r;
    const double mean = total / 56.0;
    QVERIFY2(std::fabs(mean - (-189.4)) < 0.1, qPrintable(QString::number(mean)));
    // Pendulum never terminates: every episode end is the 200-step time limit
    QVERIFY(n.metadata.count("npz_time_limit"));
  }

  void tinyArchive() {
    const iql::Dataset d = iql::read_npz_rollouts(write("tiny.npz", zip(tiny())));
    QCOMPARE(d.size(), int64_t(6));
    QCOMPARE(d.obs_dim, 2);
    QCOMPARE(d.act_dim, 1);
    QCOMPARE(d.episode_starts, (std::vector<int64_t>{0, 2, 5}));
    // episode e's obs rows are offset by e (each episode keeps its final observation)
    const std::vector<float> obs0{0, 10, 1, 11, 3, 13, 4, 14, 5, 15, 7, 17};
    const std::vector<float> next0{1, 11, 2, 12, 4, 14, 5, 15, 6, 16, 8, 18};
    QCOMPARE(d.observations, obs0);
    QCOMPARE(d.next_observations, next0);
    QCOMPARE(d.actions, (std::vector<float>{0, 0.5f, 1, 1.5f, 2, 2.5f}));
    QCOMPARE(d.rewards, (std::vector<float>{0, -1, -2, -3, -4, -5}));
    // lengths differ, so the flags are trusted: episodes 0 and 2 terminal, episode 1 cut off
    QCOMPARE(d.terminals, (std::vector<uint8_t>{0, 1, 0, 0, 0, 1}));
    QCOMPARE(d.timeouts, (std::vector<uint8_t>{0, 0, 0, 0, 1, 0}));
    QVERIFY(!d.metadata.count("npz_time_limit"));
  }

  void missingActs() {
    auto e = tiny();
    e.erase(e.begin() + 1);
    expect_error(write("noacts.npz", zip(e)), "acts", "missing array, expected shape (sum T_e, act_dim)");
  }

  void wrongLengths() {
    auto e = tiny();
    replace(e, "obs.npy", npy("<f4", "(8, 2)", raw(std::vector<float>(16, 0.f))));
    expect_error(write("shortobs.npz", zip(e)), "obs", "has shape (8, 2), expected (9, obs_dim)");
    e = tiny();
    replace(e, "rews.npy", npy("<f4", "(5,)", raw(std::vector<float>(5, 0.f))));
    expect_error(write("shortrews.npz", zip(e)), "rews", "has shape (5,), expected (6,)");
    e = tiny();
    replace(e, "indices.npy", npy("<i8", "(3,)", raw(std::vector<int64_t>{1, 2, 5})));
    expect_error(write("badidx.npz", zip(e)), "indices", "expected integer (2,)");
    e = tiny();
    replace(e, "indices.npy", npy("<i8", "(2,)", raw(std::vector<int64_t>{4, 2})));
    expect_error(write("descidx.npz", zip(e)), "indices", "not increasing");
  }

  void objectWhereNumbersExpected() {
    auto e = tiny();
    replace(e, "rews.npy", npy("|O", "(6,)", "\x80\x03N."));
    expect_error(write("objrews.npz", zip(e)), "rews", "object (pickled) array, expected numeric");
  }

  void truncatedZip() {
    const Bytes full = zip(tiny());
    expect_error(write("trunc.npz", full.substr(0, 400)), "acts", "zip entry 'acts.npy' is truncated");
    Bytes corrupt = full;
    corrupt[120] ^= 0x55;  // inside obs.npy's data: the CRC check catches it
    expect_error(write("crc.npz", corrupt), "obs", "CRC");
    expect_error(write("junk.npz", "PK\x03\x04 not really a zip"), "", "not a zip");
  }
};

QTEST_GUILESS_MAIN(TestNpzReader)
#include "test_npz_reader.moc"
