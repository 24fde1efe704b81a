// The device a stored run trained on, read from its 'runtime' events: the latest one naming a device
// (a failed graph capture records a second one), nothing for runs stored before devices were recorded,
// and the same through a store file.
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "ui/runs/run_device_facts.h"

using iqlui::runDeviceFacts;

namespace {
iql::EventRecord runtimeEvent(int64_t step, const std::string& payload) {
  iql::EventRecord e;
  e.step = step;
  e.kind = "runtime";
  e.payload_json = payload;
  return e;
}
const char* kCuda = R"({"threads":2,"device":"cuda","device_name":"NVIDIA H200","torch":"2.6.0","cuda":"12.4",)"
                    R"("cuda_graphs":true,"matmul_precision":"tf32"})";
const char* kCudaEager = R"({"threads":2,"device":"cuda","device_name":"NVIDIA H200","torch":"2.6.0","cuda":"12.4",)"
                         R"("cuda_graphs":false,"cuda_graphs_note":"capture failed","matmul_precision":"fp32"})";
const char* kCpu = R"({"threads":2,"device":"cpu","device_name":"AMD EPYC 7B13","torch":"1.13.1","cuda":"",)"
                   R"("cuda_graphs":false,"matmul_precision":"fp32"})";
}  // namespace

class TestRunDeviceFacts : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void cpuRun() {
    const auto f = runDeviceFacts({runtimeEvent(0, kCpu)});
    QCOMPARE(f.device, QStringLiteral("cpu"));
    QCOMPARE(f.text, QStringLiteral("cpu (AMD EPYC 7B13)"));
  }

  void cudaRunWithGraphsAndTf32() {
    const auto f = runDeviceFacts({runtimeEvent(0, kCuda)});
    QCOMPARE(f.device, QStringLiteral("cuda"));
    QCOMPARE(f.text, QStringLiteral("cuda (NVIDIA H200, CUDA 12.4), graphs on, tf32"));
  }

  void latestRuntimeEventWins() {
    iql::EventRecord other;
    other.step = 50;
    other.kind = "hyperparameter";
    const auto f = runDeviceFacts({runtimeEvent(0, kCuda), runtimeEvent(40, kCudaEager), other});
    QCOMPARE(f.text, QStringLiteral("cuda (NVIDIA H200, CUDA 12.4), graphs off, fp32 [capture failed]"));
  }

  void runsWithoutDeviceFactsHaveNone() {
    QVERIFY(!runDeviceFacts({}).known());
    QVERIFY(!runDeviceFacts({runtimeEvent(0, R"({"threads":2,"blas":"openblas-openmp"})")}).known());
    QVERIFY(!runDeviceFacts(QStringLiteral("/nonexistent/runs.db"), 1).known());
  }

  void readFromAStore() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath("runs.db");
    int64_t id = 0;
    {
      iql::RunStore store(db.toStdString());
      iql::RunInfo info;
      info.name = "r";
      info.status = "finished";
      info.algorithm = "iql";
      info.config_json = "{}";
      id = store.create_run(info);
      store.add_event(id, 0, "runtime", kCpu);
    }
    const auto f = runDeviceFacts(db, id);
    QCOMPARE(f.device, QStringLiteral("cpu"));
    QCOMPARE(f.text, QStringLiteral("cpu (AMD EPYC 7B13)"));
  }
};

QTEST_GUILESS_MAIN(TestRunDeviceFacts)
#include "test_run_device_facts.moc"
