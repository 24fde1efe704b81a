// Declared sizes are checked before allocating: hostile files built here (HDF5 datasets declared
// as 2e9 rows but never written, a truncated contiguous dataset, a compressed dataset whose few
// chunks cannot inflate to its shape, a Minari episode likewise, NPZ entries that lie about their
// sizes) must fail with a DataError naming file, key and declared shape within a second, having
// allocated nothing big. IQL_MAX_LOAD_BYTES caps the memory budget to test the memory check on
// honest files.
#include <QtTest/QtTest>
#include <hdf5.h>
#include <sys/resource.h>
#include <zlib.h>

#include <cstring>
#include <fstream>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/dataset_loader.h"
#include "core/data/minari_reader.h"
#include "core/data/npz_reader.h"
#include "core/data/size_guard.h"
#include "core/util/errors.h"

using iql::DataError;

namespace {

constexpr hsize_t kRows = 2000000000ull;

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

enum class Kind { ChunkedUnwritten, ContiguousUnwritten, DeflateOneChunk };

// One float32 dataset of shape (rows, width) (or (rows,)) at loc/name, stored as kind says.
void make_dataset(hid_t loc, const char* name, hsize_t rows, hsize_t width, Kind kind) {
  const hsize_t dims[2] = {rows, width};
  const int rank = width ? 2 : 1;
  const hid_t space = H5Screate_simple(rank, dims, nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  const hsize_t chunk[2] = {1024, width};
  if (kind != Kind::ContiguousUnwritten) H5Pset_chunk(dcpl, rank, chunk);
  if (kind == Kind::DeflateOneChunk) H5Pset_deflate(dcpl, 9);
  const hid_t ds = H5Dcreate2(loc, name, H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  QVERIFY(ds >= 0);
  if (kind == Kind::DeflateOneChunk) {  // one written chunk of zeros; every other chunk unwritten
    std::vector<float> zeros(1024 * std::max<hsize_t>(width, 1), 0.f);
    const hsize_t start[2] = {0, 0}, count[2] = {1024, width};
    const hid_t fs = H5Dget_space(ds);
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, nullptr, count, nullptr);
    const hsize_t n = zeros.size();
    const hid_t ms = H5Screate_simple(1, &n, nullptr);
    QVERIFY(H5Dwrite(ds, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, zeros.data()) >= 0);
    H5Sclose(ms);
    H5Sclose(fs);
  }
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
}

// A D4RL-layout file whose five arrays all declare `rows` rows.
void make_d4rl(const std::string& path, hsize_t rows, Kind kind) {
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  QVERIFY(f >= 0);
  make_dataset(f, "observations", rows, 3, kind);
  make_dataset(f, "actions", rows, 1, kind);
  make_dataset(f, "rewards", rows, 0, kind);
  make_dataset(f, "terminals", rows, 0, kind);
  make_dataset(f, "timeouts", rows, 0, kind);
  H5Fclose(f);
}

void put(std::string& b, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b += char((v >> (8 * i)) & 0xff);
}

// A one-entry zip whose header sizes/method are whatever the caller claims.
std::string zip1(const std::string& name, const std::string& payload, uint16_t method, uint32_t crc, uint32_t usize) {
  std::string out, cd;
  put(out, 0x04034b50, 4); put(out, 20, 2); put(out, 0, 2); put(out, method, 2); put(out, 0, 4);
  put(out, crc, 4); put(out, payload.size(), 4); put(out, usize, 4); put(out, name.size(), 2); put(out, 0, 2);
  out += name + payload;
  put(cd, 0x02014b50, 4); put(cd, 20, 2); put(cd, 20, 2); put(cd, 0, 2); put(cd, method, 2); put(cd, 0, 4);
  put(cd, crc, 4); put(cd, payload.size(), 4); put(cd, usize, 4); put(cd, name.size(), 2);
  put(cd, 0, 2); put(cd, 0, 2); put(cd, 0, 2); put(cd, 0, 2); put(cd, 0, 4); put(cd, 0, 4);
  cd += name;
  const size_t cd_off = out.size();
  out += cd;
  put(out, 0x06054b50, 4); put(out, 0, 2); put(out, 0, 2); put(out, 1, 2); put(out, 1, 2);
  put(out, cd.size(), 4); put(out, cd_off, 4); put(out, 0, 2);
  return out;
}

std::string npy_header(const std::string& descr, const std::string& shape) {
  std::string h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(h.size() & 0xff);
  out += char(h.size() >> 8);
  return out + h;
}

}  // namespace

class TestSizeGuard : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  std::string file(const char* name) const { return dir_.filePath(name).toStdString(); }

  // f() must throw a DataError naming path and key whose message holds every `also`, quickly.
  template <class F>
  void expect_refusal(F f, const std::string& path, const std::string& key, const std::vector<std::string>& also) {
    QElapsedTimer t;
    t.start();
    try {
      f();
      QFAIL("expected a DataError");
    } catch (const DataError& e) {
      const std::string msg = e.what();
      QCOMPARE(QString::fromStdString(e.file()), QString::fromStdString(path));
      QCOMPARE(QString::fromStdString(e.key()), QString::fromStdString(key));
      for (const auto& s : also)
        QVERIFY2(msg.find(s) != std::string::npos, (msg + "  [missing: " + s + "]").c_str());
    }
    QVERIFY2(t.elapsed() < 1000, qPrintable(QString("took %1 ms").arg(t.elapsed())));
    QVERIFY2(peak_rss_mb() < 1024, qPrintable(QString("peak RSS %1 MB").arg(peak_rss_mb())));
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  void cleanup() { qunsetenv("IQL_MAX_LOAD_BYTES"); }

  void saturatingArithmetic() {
    QCOMPARE(iql::mul_sat(uint64_t(1) << 40, uint64_t(1) << 30), UINT64_MAX);
    QCOMPARE(iql::mul_sat(3, 7), uint64_t(21));
    QCOMPARE(iql::product_sat({kRows, kRows, kRows}), UINT64_MAX);
    QCOMPARE(iql::product_sat({kRows, 0, kRows}), uint64_t(0));
    QCOMPARE(iql::add_sat(UINT64_MAX - 1, 5), UINT64_MAX);
    QCOMPARE(QString::fromStdString(iql::human_bytes(24000000000ull)), QString("24 GB"));
    QVERIFY(iql::load_budget_bytes() > (uint64_t(64) << 20));  // some memory is available
    qputenv("IQL_MAX_LOAD_BYTES", "12345");
    QCOMPARE(iql::load_budget_bytes(), uint64_t(12345));
  }

  // The 10 kB file: 2e9 rows, chunked, never written (inspect allocated 19.5 GB).
  void d4rlChunkedNeverWritten() {
    const std::string p = file("bomb-chunked.hdf5");
    make_d4rl(p, kRows, Kind::ChunkedUnwritten);
    QVERIFY(QFileInfo(QString::fromStdString(p)).size() < 64 * 1024);
    expect_refusal([&] { iql::read_d4rl_hdf5(p); }, p, "observations",
                   {"declares shape (2000000000, 3)", "24 GB", "only 0 B of it are stored"});
    expect_refusal([&] { iql::read_dataset_file(p); }, p, "observations", {"(2000000000, 3)"});
  }

  void d4rlContiguousNeverWritten() {
    const std::string p = file("bomb-contiguous.hdf5");
    make_d4rl(p, kRows, Kind::ContiguousUnwritten);
    expect_refusal([&] { iql::read_d4rl_hdf5(p); }, p, "observations",
                   {"declares shape (2000000000, 3)", "only 0 B of it are stored in the"});
  }

  // One deflated chunk of zeros (a few bytes) cannot hold 24 GB: deflate expands at most ~1032x.
  void d4rlDeflateMostlyUnwritten() {
    const std::string p = file("bomb-deflate.hdf5");
    make_d4rl(p, kRows, Kind::DeflateOneChunk);
    expect_refusal([&] { iql::read_d4rl_hdf5(p); }, p, "observations",
                   {"declares shape (2000000000, 3)", "cannot inflate to that"});
  }

  // An honest file is refused only when it does not fit the memory budget, naming its shape.
  void d4rlOverMemoryBudget() {
    const std::string fx = IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5";
    const iql::Dataset d = iql::read_d4rl_hdf5(fx);  // loads under the real budget
    QVERIFY(d.size() > 0);
    qputenv("IQL_MAX_LOAD_BYTES", "100000");
    expect_refusal([&] { iql::read_d4rl_hdf5(fx); }, fx, "observations", {"declares shape (", "more than the 100 kB of memory available"});
  }

  void minariEpisodeNeverWritten() {
    const std::string p = file("bomb-minari.hdf5");
    const hid_t f = H5Fcreate(p.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t g = H5Gcreate2(f, "episode_0", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    make_dataset(g, "actions", kRows, 1, Kind::ChunkedUnwritten);
    make_dataset(g, "observations", kRows + 1, 3, Kind::ChunkedUnwritten);
    make_dataset(g, "rewards", kRows, 0, Kind::ChunkedUnwritten);
    make_dataset(g, "terminations", kRows, 0, Kind::ChunkedUnwritten);
    make_dataset(g, "truncations", kRows, 0, Kind::ChunkedUnwritten);
    H5Gclose(g);
    H5Fclose(f);
    expect_refusal([&] { iql::read_minari(p); }, p, "episode_0/actions",
                   {"declares shape (2000000000, 1)", "only 0 B of it are stored"});
    expect_refusal([&] { iql::read_dataset_file(p); }, p, "episode_0/actions", {"(2000000000, 1)"});
  }

  // The budget is for the whole load: an episode whose arrays each fit it alone, but not together
  // (actions 5,000 x 1 holds 20 kB once read; observations 5,001 x 3 need 180 kB to convert), is
  // refused at the array that goes over, naming it. Before, each array was checked on its own and
  // the file loaded; in the fuzzer such loads, 256 MB each, went over 1 GB of RSS.
  void minariBudgetCountsEarlierArrays() {
    const std::string p = file("budget-minari.hdf5");
    const hsize_t T = 5000;
    const hid_t f = H5Fcreate(p.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t g = H5Gcreate2(f, "episode_0", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    auto written = [&](const char* name, hsize_t rows, hsize_t width) {
      const hsize_t dims[2] = {rows, width};
      const hid_t space = H5Screate_simple(width ? 2 : 1, dims, nullptr);
      const hid_t ds = H5Dcreate2(g, name, H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      std::vector<float> zeros(rows * std::max<hsize_t>(width, 1), 0.f);
      QVERIFY(H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros.data()) >= 0);
      H5Dclose(ds);
      H5Sclose(space);
    };
    written("actions", T, 1);
    written("observations", T + 1, 3);
    written("rewards", T, 0);
    written("terminations", T, 0);
    written("truncations", T, 0);
    H5Gclose(g);
    H5Fclose(f);
    QCOMPARE(iql::read_minari(p).size(), std::size_t(T));  // loads under the real budget
    // observations alone: 15,003 values x 12 B = 180,036 B < 190,000; with the actions' 20,000 B held, over
    qputenv("IQL_MAX_LOAD_BYTES", "190000");
    expect_refusal([&] { iql::read_minari(p); }, p, "episode_0/observations", {"declares shape (5001, 3)", "more than the 190 kB"});
  }

  // A stored .npy whose header declares 2e9 x 3 float64 but holds 48 bytes.
  void npzShapeLargerThanEntry() {
    const std::string p = file("bomb-shape.npz");
    const std::string entry = npy_header("<f8", "(2000000000, 3)") + std::string(48, '\0');
    const uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(entry.data()), uInt(entry.size()));
    std::ofstream(p, std::ios::binary) << zip1("terminal.npy", entry, 0, crc, uint32_t(entry.size()));
    expect_refusal([&] { iql::read_npz_rollouts(p); }, p, "terminal", {"(2000000000, 3)", "truncated"});
  }

  // A deflated entry claiming 4 GB uncompressed from 10 bytes.
  void npzEntryClaimsHugeSize() {
    const std::string p = file("bomb-usize.npz");
    std::ofstream(p, std::ios::binary) << zip1("terminal.npy", std::string(10, '\x03'), 8, 0, 0xFFFFFFF0u);
    expect_refusal([&] { iql::read_npz_rollouts(p); }, p, "terminal", {"claims 4.29 GB uncompressed from 10 B"});
  }

  void npzOverMemoryBudget() {
    const std::string fx = IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.npz";
    qputenv("IQL_MAX_LOAD_BYTES", "100000");
    expect_refusal([&] { iql::read_npz_rollouts(fx); }, fx, "", {"(whole archive)", "more than the 100 kB"});
  }
};

QTEST_GUILESS_MAIN(TestSizeGuard)
#include "test_size_guard.moc"
