// The device path (batched GEMMs over the member axis, tensor-op Adam with device-side counters and
// learning rates, the actor schedule on the device, counter-based batch streams) run on the CPU, where
// every machine can check it: one update of iql, iql-corl and bc against the ordinary CPU path from
// identical weights and batches; a population of 4 against 4 one-member runs, with a live change
// reaching one member only; a checkpoint that resumes exactly. test_device_gpu_path runs the same
// checks with the tensors on a GPU.
#include <QtTest/QtTest>

#include "core/env/dataset_source.h"
#include "device_path_checks.h"

using namespace device_checks;

class TestDevicePathCpu : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    qputenv("XDG_DATA_HOME", home_.path().toUtf8());  // the built-in dataset is made here
    torch::set_num_threads(1);
  }
  // Same GEMMs (a batched product per layer instead of one per member) and the same float32 Adam
  // arithmetic: only summation order differs, so 1e-5 relative after 3 steps.
  void iqlUpdateMatchesCpuPath() { iql_update_matches(torch::kCPU, false, 1e-5); }
  void iqlCorlUpdateMatchesCpuPath() { iql_update_matches(torch::kCPU, true, 1e-5); }
  void bcUpdateMatchesCpuPath() { bc_update_matches(torch::kCPU, 1e-5); }
  void populationMatchesSingles() {
    population_matches_singles(load_dataset("pendulum-medium"), "cpu", true, 1e-4, home_.path().toStdString() + "/pop");
  }
  void checkpointResumesExactly() {
    checkpoint_resumes_exactly(load_dataset("pendulum-medium"), "cpu", true, home_.path().toStdString() + "/ckpt");
  }
  // The batch streams: member k's batch of draw n is rows indices_of(n)[k] of the dataset, in range,
  // and two members with different seeds draw different rows.
  void sampledRowsAreTheDrawnIndices() {
    auto data = load_dataset("pendulum-medium");
    std::vector<TrainConfig> ms{small_config(1, "cpu"), small_config(2, "cpu")};
    auto prepared = prepare_run_data(ms, data);
    train::BatchSampler rows(prepared.data, 0);
    train::DeviceSampler s(rows, torch::kCPU, {1, 2}, 64);
    auto b = s.draw();
    auto idx = s.indices_of(0);
    QCOMPARE(idx.sizes().vec(), (std::vector<int64_t>{2, 64}));
    QVERIFY(idx.min().item<int64_t>() >= 0);
    QVERIFY(idx.max().item<int64_t>() < rows.size());
    QVERIFY(!idx[0].equal(idx[1]));
    auto expect = rows.rows(std::vector<int64_t>(idx[1].data_ptr<int64_t>(), idx[1].data_ptr<int64_t>() + 64));
    QVERIFY(b.obs[1].equal(expect.obs));
    QVERIFY(b.rew[1].equal(expect.rew));
    QVERIFY(!s.indices_of(1).equal(idx));
  }
};

QTEST_GUILESS_MAIN(TestDevicePathCpu)
#include "test_path_cpu.moc"
