// The device path on a CUDA GPU (label gpu: `ctest -L gpu`; every check skips, saying why, where this
// build or machine has no CUDA). The same checks as test_device_path_cpu with the tensors on the GPU:
// one update of iql, iql-corl and bc against the ordinary CPU path from identical weights and batches
// (FP32, 1e-4 relative); a population of 4 against 4 single CUDA runs with a live change reaching one
// member only; a checkpoint that resumes exactly; and CUDA graph replay against eager execution for 100
// steps (1e-6), with a live beta change mid-run taking effect inside the graph.
#include <QtTest/QtTest>

#include "core/device/device_choice.h"
#include "core/env/dataset_source.h"
#include "device_path_checks.h"

using namespace device_checks;

class TestGpuDevicePath : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

  static bool skip_without_cuda() {
    std::string why;
    if (iql::device::cuda_usable(&why)) return false;
    QWARN(qPrintable(QString::fromStdString("no CUDA here, GPU check skipped: " + why)));
    return true;
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    qputenv("XDG_DATA_HOME", home_.path().toUtf8());
    torch::set_num_threads(1);
    iql::device::set_matmul_precision("fp32");  // TF32 would make 1e-4 unreachable
  }
  void iqlUpdateMatchesCpu() {
    if (skip_without_cuda()) QSKIP("no CUDA");
    iql_update_matches(torch::kCUDA, false, 1e-4);
  }
  void iqlCorlUpdateMatchesCpu() {
    if (skip_without_cuda()) QSKIP("no CUDA");
    iql_update_matches(torch::kCUDA, true, 1e-4);
  }
  void bcUpdateMatchesCpu() {
    if (skip_without_cuda()) QSKIP("no CUDA");
    bc_update_matches(torch::kCUDA, 1e-4);
  }
  void populationMatchesSingles() {
    if (skip_without_cuda()) QSKIP("no CUDA");
    population_matches_singles(load_dataset("pendulum-medium"), "cuda", false, 1e-4, home_.path().toStdString() + "/pop");
  }
  void checkpointResumesExactly() {
    if (skip_without_cuda()) QSKIP("no CUDA");
    checkpoint_resumes_exactly(load_dataset("pendulum-medium"), "cuda", false, home_.path().toStdString() + "/ckpt");
  }
  // 100 steps replayed from a graph against 100 eager steps, beta changed to 10 at step 50 in both; a
  // third run (graphs, no change) must differ, so the graph did read the new beta.
  void graphReplayMatchesEager() {
    if (skip_without_cuda()) QSKIP("no CUDA");
    auto data = load_dataset("pendulum-medium");
    auto graphs = small_config(3, "cuda"), eager = graphs;
    eager.cuda_graphs = "off";
    auto g = trainer({graphs}, data, false), e = trainer({eager}, data, false), n = trainer({graphs}, data, false);
    for (int step = 1; step <= 100; ++step) {
      if (step == 50) {
        g->set_hyperparameter("temperature", 10.0);
        e->set_hyperparameter("temperature", 10.0);
      }
      g->step(false), e->step(false), n->step(false);
    }
    QVERIFY2(g->device_facts_json().find("\"cuda_graphs\":true") != std::string::npos, g->device_facts_json().c_str());
    const std::string dir = home_.path().toStdString() + "/graph";
    expect_same_state("graph vs eager", *g, 0, *e, 0, dir, 1e-6, 1e-7);
    auto with = member_state(*g, 0, dir + "/w"), without = member_state(*n, 0, dir + "/n");
    QVERIFY2((with[3].second - without[3].second).abs().max().item<double>() > 1e-6,
             "the beta change at step 50 did not reach the replayed graph");
  }
};

QTEST_GUILESS_MAIN(TestGpuDevicePath)
#include "test_gpu_path.moc"
