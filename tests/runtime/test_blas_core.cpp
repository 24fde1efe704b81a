// The OpenBLAS core decision as a pure function: CPU feature flags and the core OpenBLAS reported ->
// the OPENBLAS_CORETYPE to set, or none (user already set it, not OpenBLAS, fixed build, core fine).
#include <QtTest/QtTest>

#include "core/runtime/blas_core.h"

using namespace iql::runtime;

namespace {
BlasCoreInput openblas(const std::string& core, CpuFeatures cpu) {
  BlasCoreInput in;
  in.is_openblas = true;
  in.reported_core = core;
  in.config = "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY " + core + " MAX_THREADS=64";
  in.cpu = cpu;
  return in;
}
const CpuFeatures kAvx512{true, true, true};
const CpuFeatures kAvx2{false, true, true};
const CpuFeatures kSse{false, false, false};
}  // namespace

class TestBlasCore : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void tiersOrderKernelGenerations() {
    QCOMPARE(blas_core_tier("Prescott"), 0);
    QCOMPARE(blas_core_tier("Core2"), 0);
    QCOMPARE(blas_core_tier("Nehalem"), 0);
    QCOMPARE(blas_core_tier("Sandybridge"), 1);
    QCOMPARE(blas_core_tier("Haswell"), 2);
    QCOMPARE(blas_core_tier("Zen"), 2);
    QCOMPARE(blas_core_tier("SkylakeX"), 3);
    QCOMPARE(blas_core_tier("COOPERLAKE"), 3);  // case does not matter
    QCOMPARE(blas_core_tier("some future core"), 0);
  }

  void bestCoreFollowsFeatureFlags() {
    QCOMPARE(best_core_for(kAvx512), std::string("SkylakeX"));
    QCOMPARE(best_core_for(kAvx2), std::string("Haswell"));
    QCOMPARE(best_core_for(CpuFeatures{false, true, false}), std::string(""));  // AVX2 without FMA
    QCOMPARE(best_core_for(kSse), std::string(""));
  }

  void decisions_data() {
    QTest::addColumn<QString>("core");
    QTest::addColumn<bool>("avx512");
    QTest::addColumn<bool>("avx2");
    QTest::addColumn<QString>("expected");
    // The case that motivated this: a new Xeon with AVX-512 that OpenBLAS 0.3.21 calls Prescott.
    QTest::newRow("avx512 cpu, prescott kernels") << "Prescott" << true << true << "SkylakeX";
    QTest::newRow("avx512 cpu, haswell kernels") << "Haswell" << true << true << "SkylakeX";
    QTest::newRow("avx512 cpu, zen kernels") << "Zen" << true << true << "SkylakeX";
    QTest::newRow("avx512 cpu, skylakex kernels") << "SkylakeX" << true << true << "";
    QTest::newRow("avx512 cpu, cooperlake kernels") << "Cooperlake" << true << true << "";
    QTest::newRow("avx2 cpu, prescott kernels") << "Prescott" << false << true << "Haswell";
    QTest::newRow("avx2 cpu, sandybridge kernels") << "Sandybridge" << false << true << "Haswell";
    QTest::newRow("avx2 cpu, haswell kernels") << "Haswell" << false << true << "";
    QTest::newRow("old cpu") << "Core2" << false << false << "";
  }
  void decisions() {
    QFETCH(QString, core);
    QFETCH(bool, avx512);
    QFETCH(bool, avx2);
    QFETCH(QString, expected);
    auto d = decide_blas_core(openblas(core.toStdString(), CpuFeatures{avx512, avx2, avx2}));
    QCOMPARE(QString::fromStdString(d.set_coretype), expected);
    QVERIFY(!d.reason.empty());
  }

  void userSettingIsAlwaysRespected() {
    auto in = openblas("Prescott", kAvx512);
    in.user_coretype = "Haswell";
    auto d = decide_blas_core(in);
    QCOMPARE(d.set_coretype, std::string(""));
    QVERIFY(d.reason.find("set by the user") != std::string::npos);
  }

  void notOpenBlasIsLeftAlone() {
    BlasCoreInput in;
    in.is_openblas = false;
    in.cpu = kAvx512;
    QCOMPARE(decide_blas_core(in).set_coretype, std::string(""));
  }

  void fixedArchitectureBuildCannotBeCorrected() {
    auto in = openblas("Prescott", kAvx512);
    in.config = "OpenBLAS 0.3.21 NO_AFFINITY Prescott MAX_THREADS=64";  // no DYNAMIC_ARCH
    auto d = decide_blas_core(in);
    QCOMPARE(d.set_coretype, std::string(""));
    QVERIFY(d.reason.find("DYNAMIC_ARCH") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestBlasCore)
#include "test_blas_core.moc"
