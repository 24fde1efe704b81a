// Choosing the device: cpu is always there; auto takes CUDA only when this build has it and a GPU is
// visible; asking for cuda without one fails with a reason; a trainer records what it runs on.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include "core/device/cuda_backend.h"
#include "core/device/device_choice.h"
#include "core/util/errors.h"

using namespace iql;

class TestDeviceChoice : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void cpuIsAlwaysCpu() { QCOMPARE(device::resolve_device("cpu"), std::string("cpu")); }
  void autoFollowsWhatIsThere() {
    std::string why;
    const bool cuda = device::cuda_usable(&why);
    QCOMPARE(device::resolve_device("auto"), std::string(cuda ? "cuda" : "cpu"));
    if (!cuda) QVERIFY(!why.empty());
    if (!device::cuda_compiled()) QVERIFY2(why.find("no CUDA") != std::string::npos, why.c_str());
  }
  void cudaWithoutOneFailsClearly() {
    if (device::cuda_usable()) QSKIP("this machine has CUDA");
    try {
      device::resolve_device("cuda");
      QFAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
      const std::string msg = e.what();
      QVERIFY2(msg.find("device cuda") != std::string::npos, msg.c_str());
      QVERIFY2(msg.find("CUDA") != std::string::npos, msg.c_str());
    }
  }
  void unknownWordIsRefused() {
    QVERIFY_EXCEPTION_THROWN(device::resolve_device("gpu"), ConfigError);
    QVERIFY_EXCEPTION_THROWN(device::set_matmul_precision("bf16"), ConfigError);
  }
  void menuOffersCpuFirst() {
    auto opts = device::available_devices();
    QVERIFY(!opts.empty());
    QCOMPARE(opts[0].key, std::string("cpu"));
    QCOMPARE(opts.size() == 2, device::cuda_usable());
  }
  void factsNameTheRuntime() {
    auto f = device::device_facts("cpu");
    auto j = nlohmann::json::parse(device::device_facts_json(f));
    QCOMPARE(j["device"].get<std::string>(), std::string("cpu"));
    QCOMPARE(j["torch"].get<std::string>(), std::string(TORCH_VERSION));
    QCOMPARE(j["cuda_graphs"].get<bool>(), false);
    QCOMPARE(j["cuda"].get<std::string>().empty(), !device::cuda_compiled());
  }
};

QTEST_GUILESS_MAIN(TestDeviceChoice)
#include "test_choice.moc"
