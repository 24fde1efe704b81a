// Export end to end (policy_export, export_source, export_sidecar): a stored run's latest checkpoint,
// or a population member's, to a file and its sidecar; --check's comparison; a corrupted or truncated
// export and a run without a checkpoint reported clearly.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

#include "core/export/export_sidecar.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"
#include "export_fixture.h"

using namespace export_fixture;
namespace ex = iql::exporting;

namespace {
nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

void write_bytes(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(bytes);
}

QByteArray read_bytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
}  // namespace

class TestPolicyExport : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string db_, corl_, bc_;
  int64_t corl_id_ = 0, member1_id_ = 0, bare_id_ = 0;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    corl_ = train_tiny(dir_.path(), "iql-corl");
    bc_ = train_tiny(dir_.path(), "bc");
    db_ = (dir_.path() + "/runs.db").toStdString();
    iql::RunStore store(db_);
    iql::RunInfo r;
    r.name = "corl";
    r.algorithm = "iql-corl";
    r.dataset = "pendulum-medium";
    r.env = "pendulum";
    r.population_id = "pop-1";
    r.population_member = 0;
    corl_id_ = store.create_run(r);
    store.add_checkpoint(corl_id_, {80, corl_, iql::RunStore::sha256_file(corl_)});
    r.name = "bc member";
    r.algorithm = "bc";
    r.population_member = 1;
    member1_id_ = store.create_run(r);
    store.add_checkpoint(member1_id_, {80, bc_, iql::RunStore::sha256_file(bc_)});
    r.name = "stopped early";
    r.population_id.clear();
    r.population_member.reset();
    r.status = "stopped";
    bare_id_ = store.create_run(r);
  }

  void exportsRunWithSidecar() {
    const auto src = ex::resolve_export_source(std::to_string(corl_id_), db_);
    QCOMPARE(src.checkpoint, corl_);
    const std::string out = (dir_.path() + "/corl.pt").toStdString();
    const auto r = ex::export_policy_file(src, ex::ExportFormat::torchscript, out);
    QCOMPARE(r.sidecar, out + ".json");
    QCOMPARE(r.step, int64_t{80});
    QVERIFY(r.bytes > 0);
    const auto j = read_json(r.sidecar);
    QCOMPARE(j.at("run_id").get<int64_t>(), corl_id_);
    QCOMPARE(j.at("algorithm").get<std::string>(), std::string("iql-corl"));
    QCOMPARE(j.at("env").get<std::string>(), std::string("pendulum"));
    QCOMPARE(j.at("physics").get<std::string>(), std::string("d4rl"));
    QCOMPARE(j.at("dataset").at("name").get<std::string>(), std::string("pendulum-medium"));
    QCOMPARE(j.at("dataset").at("sha256").get<std::string>(), ex::dataset_sha256(pendulum()));
    QCOMPARE(j.at("observation_dim").get<int>(), 3);
    QCOMPARE(j.at("action_dim").get<int>(), 1);
    QCOMPARE(j.at("action_low").at(0).get<float>(), -2.0f);  // Pendulum's torque bound
    QCOMPARE(j.at("action_high").at(0).get<float>(), 2.0f);
    QCOMPARE(j.at("checkpoint").at("step").get<int64_t>(), int64_t{80});
    QCOMPARE(j.at("checkpoint").at("sha256").get<std::string>(), iql::RunStore::sha256_file(corl_));
    QCOMPARE(j.at("config").at("hidden").get<int>(), 32);
    QCOMPARE(j.at("observation_normalisation").at("mean").size(), size_t{3});
    QVERIFY(!j.at("versions").at("libtorch").get<std::string>().empty());
    QVERIFY(!j.at("versions").at("workbench").get<std::string>().empty());
    QVERIFY(j.at("contract").at("outputs").contains("log_std"));
    QCOMPARE(j.at("population").at("member").get<int64_t>(), int64_t{0});
  }

  void checkComparesWithTheCheckpoint() {
    const std::string out = (dir_.path() + "/check.pt").toStdString();
    ex::export_policy_file(ex::resolve_export_source(corl_, ""), ex::ExportFormat::torchscript, out);
    const auto c = ex::check_export(out);
    QCOMPARE(c.format, std::string("torchscript"));
    QCOMPARE(c.observations, int64_t{1000});
    QVERIFY2(c.max_difference <= 1e-5, qPrintable(QString::number(c.max_difference)));
    // Pointed at another run's checkpoint, the same file no longer matches: the check compares.
    auto j = read_json(out + ".json");
    j["checkpoint"]["path"] = bc_;
    std::ofstream(out + ".json") << j.dump();
    QVERIFY(ex::check_export(out).max_difference > 1e-3);
  }

  void memberOfPopulation() {
    const auto src = ex::resolve_export_source(std::to_string(corl_id_), db_, 1);
    QCOMPARE(src.run->id, member1_id_);
    QCOMPARE(src.checkpoint, bc_);
    QVERIFY_THROWS_EXCEPTION(iql::ConfigError, ex::resolve_export_source(std::to_string(corl_id_), db_, 5));
  }

  void runWithoutCheckpointIsAClearError() {
    try {
      ex::resolve_export_source(std::to_string(bare_id_), db_);
      QFAIL("exported a run without a checkpoint");
    } catch (const iql::ConfigError& e) {
      QVERIFY2(QString(e.what()).contains("run " + QString::number(bare_id_)) && QString(e.what()).contains("no checkpoint"),
               e.what());
    }
  }

  void corruptedOrTruncatedExportIsReported_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("damage");  // 0: truncated to half, 1: first 64 bytes overwritten
    QTest::newRow("torchscript truncated") << "bad1.pt" << 0;
    QTest::newRow("torchscript corrupted") << "bad2.pt" << 1;
    QTest::newRow("onnx truncated") << "bad3.onnx" << 0;
    QTest::newRow("onnx corrupted") << "bad4.onnx" << 1;
  }
  void corruptedOrTruncatedExportIsReported() {
    QFETCH(QString, name);
    QFETCH(int, damage);
    const QString file = dir_.path() + "/" + name;
    ex::export_policy_file(ex::resolve_export_source(bc_, ""), ex::format_for_path(file.toStdString()), file.toStdString());
    QByteArray bytes = read_bytes(file);
    if (damage == 0) bytes.truncate(bytes.size() / 2);
    else bytes.replace(0, 64, QByteArray(64, '\x7f'));
    write_bytes(file, bytes);
    try {
      ex::check_export(file.toStdString());
      QFAIL("a damaged export passed --check");
    } catch (const iql::DataError& e) {
      QVERIFY2(QString(e.what()).startsWith(file), e.what());
      QVERIFY2(QString(e.what()).contains("corrupted or truncated") || QString(e.what()).contains("checker"), e.what());
    }
  }

  void formatFromExtension() {
    QVERIFY(ex::format_for_path("a/b.ONNX") == ex::ExportFormat::onnx);
    QVERIFY(ex::format_for_path("b.pt") == ex::ExportFormat::torchscript);
    QVERIFY_THROWS_EXCEPTION(iql::ConfigError, ex::format_for_path("b.bin"));
  }
};

QTEST_GUILESS_MAIN(TestPolicyExport)
#include "test_policy_export.moc"
