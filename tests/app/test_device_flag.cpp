// The --device flag of the real `iql` binary on a machine without a GPU: auto trains on the CPU and
// the run's stored 'runtime' event says so (device, CPU name, LibTorch version, no graphs); --device
// cuda fails at once with the reason and stores nothing; eval and bench take the flag too.
#include <QtTest/QtTest>

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "core/device/device_choice.h"
#include "iql_process.h"

using iql::test::run_iql;

namespace {
// The payloads of a run's events of one kind, read with SQLite directly.
std::vector<std::string> events(const QString& db, const char* kind) {
  std::vector<std::string> out;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "select payload from events where kind = ?", -1, &st, nullptr);
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}
}  // namespace

class TestDeviceFlag : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    if (iql::device::cuda_usable()) QSKIP("this machine has CUDA: these checks are for a machine without");
  }
  void autoTrainsOnTheCpuAndRecordsIt() {
    const QString db = home_.filePath("auto.db");
    auto r = run_iql({"train", "--dataset", "pendulum-medium", "--steps", "40", "--hidden", "16", "--batch", "32",
                      "--eval-interval", "0", "--eval-episodes", "1", "--probe-interval", "0", "--db", db,
                      "--device", "auto", "--threads", "1", "--json"},
                     home_.path(), 300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    auto ev = events(db, "runtime");
    QCOMPARE(ev.size(), size_t{1});
    auto j = nlohmann::json::parse(ev[0]);
    QCOMPARE(j["device"].get<std::string>(), std::string("cpu"));
    QCOMPARE(j["cuda_graphs"].get<bool>(), false);
    QCOMPARE(j["torch"].get<std::string>(), std::string(TORCH_VERSION));
    QVERIFY(j.contains("device_name") && j.contains("cuda") && j.contains("matmul_precision"));
    // --json reports the same device facts the run stored (the stored event adds the BLAS facts)
    auto out = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(out["device"].size(), size_t{6});
    for (const auto& [key, value] : out["device"].items()) QVERIFY2(j[key] == value, key.c_str());
  }
  // A population's --json carries its one device too.
  void populationJsonNamesTheDevice() {
    const QString db = home_.filePath("pop.db");
    auto r = run_iql({"train", "--dataset", "pendulum-medium", "--steps", "20", "--hidden", "16", "--batch", "32",
                      "--eval-interval", "0", "--eval-episodes", "1", "--probe-interval", "0", "--db", db,
                      "--population", "--tau", "0.7,0.9", "--device", "cpu", "--threads", "1", "--json"},
                     home_.path(), 300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    auto out = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(out["members"].size(), size_t{2});
    QCOMPARE(out["device"]["device"].get<std::string>(), std::string("cpu"));
    QCOMPARE(out["device"]["torch"].get<std::string>(), std::string(TORCH_VERSION));
  }
  void cudaWithoutOneFailsAndStoresNothing() {
    const QString db = home_.filePath("cuda.db");
    auto r = run_iql({"train", "--dataset", "pendulum-medium", "--steps", "40", "--db", db, "--device", "cuda"},
                     home_.path(), 120000);
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains("device cuda") && r.err.contains("CUDA"), qPrintable(r.err));
    QVERIFY(events(db, "runtime").empty());
    auto e = run_iql({"bench", "update", "--device", "cuda"}, home_.path(), 120000);
    QVERIFY(e.code != 0);
    QVERIFY2(e.err.contains("device cuda"), qPrintable(e.err));
    auto w = run_iql({"train", "--dataset", "pendulum-medium", "--device", "tpu"}, home_.path(), 120000);
    QVERIFY(w.code != 0);
    QVERIFY2(w.err.contains("device") && w.err.contains("tpu"), qPrintable(w.err));
  }
  // The device path's benchmark runs on the CPU too and reports one row per population size.
  void benchDevicePathOnTheCpu() {
    auto r = run_iql({"bench", "update", "--device", "cpu", "--device-path", "--populations", "1,3", "--steps", "5",
                      "--hidden", "16", "--batch", "16", "--threads", "1", "--json"},
                     home_.path(), 300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["device"].get<std::string>(), std::string("cpu"));
    QCOMPARE(j["rows"].size(), size_t{2});
    QCOMPARE(j["rows"][1]["population"].get<int>(), 3);
    const double sps = j["rows"][1]["steps_per_s"].get<double>();
    QVERIFY(sps > 0);
    QCOMPARE(j["rows"][1]["member_steps_per_s"].get<double>(), 3 * sps);
  }
};

QTEST_GUILESS_MAIN(TestDeviceFlag)
#include "test_device_flag.moc"
