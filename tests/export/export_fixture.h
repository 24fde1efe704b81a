// Shared by the export tests: tiny real runs (hidden 32, 80 updates on the built-in pendulum-medium
// data) saved as checkpoints, the dataset's observations, and the external runtimes the tests drive
// (Debian's python3 with torch and onnx, onnxruntime-node from packaging/install-onnxruntime-node.sh).
#pragma once
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/env/dataset_source.h"
#include "core/export/policy_export.h"
#include "core/export/workbench_policy.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/train/trainer.h"

namespace export_fixture {

inline const iql::Dataset& pendulum() {
  static const iql::Dataset d = iql::load_dataset("pendulum-medium");
  return d;
}

// Trains `algorithm` for 80 updates and saves the checkpoint at the end; returns its path.
inline std::string train_tiny(const QString& dir, const std::string& algorithm, const std::string& policy = "gaussian") {
  iql::set_threads(1);
  iql::TrainConfig c;
  c.algorithm = algorithm;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 32;
  c.batch_size = 64;
  c.steps = 80;
  c.policy = policy;
  c.threads = 1;
  c.seed = 7;
  iql::Trainer t(c, pendulum());
  for (int i = 0; i < c.steps; ++i) t.step(false);
  const std::string path = (dir + "/" + QString::fromStdString(algorithm + "-" + policy) + ".pt").toStdString();
  t.save_checkpoint(path);
  return path;
}

// 1,000 raw dataset observations, [1000, obs].
inline torch::Tensor observations(int64_t n = 1000) {
  const auto rows = iql::exporting::sample_observations(pendulum(), n);
  return torch::from_blob(const_cast<float*>(rows.data()), {n, pendulum().obs_dim}, torch::kFloat32).clone();
}

// Largest |a - b|; equal infinities count as equal, NaN or a shape mismatch as infinite.
inline double max_diff(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes()) return INFINITY;
  auto d = (a - b).abs().masked_fill(a.eq(b), 0.0);
  if (d.isnan().any().item<bool>()) return INFINITY;
  return d.max().item<double>();
}

inline void write_floats(const QString& path, const torch::Tensor& t) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  auto c = t.contiguous();
  f.write(reinterpret_cast<const char*>(c.data_ptr<float>()), c.numel() * 4);
}

inline torch::Tensor read_floats(const QString& path, std::vector<int64_t> shape) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray b = f.readAll();
  int64_t n = 1;
  for (auto s : shape) n *= s;
  if (b.size() != n * 4) return {};
  return torch::from_blob(const_cast<char*>(b.data()), shape, torch::kFloat32).clone();
}

// What another runtime wrote for 1,000 observations at batch 1,000 and batch 1 (`out`.<name>.<batch>,
// raw float32) against the workbench's outputs: empty when every output is within `tol`, else why not.
inline QString compare_runtime_outputs(const QString& out, const iql::exporting::PolicyOutputs& want, double tol) {
  const std::vector<torch::Tensor> refs{want.action, want.mean, want.log_std};
  int k = 0;
  for (const char* name : {"action", "mean", "log_std"}) {
    for (const char* batch : {"1000", "1"}) {
      auto got = read_floats(out + "." + name + "." + batch, {1000, 1});
      if (!got.defined()) return QString("%1 at batch %2: no output file of 1,000 floats").arg(name, batch);
      const double d = max_diff(got, refs[k]);
      if (!(d <= tol)) return QString("%1 at batch %2: %3").arg(name, batch).arg(d);
    }
    ++k;
  }
  return {};
}

// Missing runtimes skip a test with the reason, unless IQL_REQUIRE_EXPORT_RUNTIMES is set (CI sets it
// in packaging/setup-and-test.sh): there a missing runtime fails instead of passing silently.
inline bool runtimes_required() { return qEnvironmentVariableIsSet("IQL_REQUIRE_EXPORT_RUNTIMES"); }

// Debian's python3 (python3-torch, python3-onnx live in /usr/lib/python3/dist-packages, which a pyenv
// or venv python on PATH does not see).
inline QString debian_python() { return QFileInfo::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

// Runs `program args`; returns stdout+stderr and sets ok on exit 0.
inline QString run(const QString& program, const QStringList& args, bool* ok, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(program, args);
  const bool finished = p.waitForFinished(180000);
  *ok = finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
  return QString::fromUtf8(p.readAll());
}

// Whether python3 can import `module`; `why` says what is missing.
inline bool python_has(const QString& module, QString* why) {
  bool ok = false;
  const QString out = run(debian_python(), {"-c", "import " + module}, &ok);
  if (!ok) *why = debian_python() + " cannot import " + module + " (apt-get install python3-" + module + "): " + out.left(300);
  return ok;
}

// onnxruntime-node's folder: $IQL_ONNXRUNTIME_NODE_DIR, else the cache folder the install script
// fills ($XDG_CACHE_HOME or ~/.cache, /iql-workbench/onnxruntime-node); the one holding node_modules.
inline QString onnxruntime_node_dir() {
  QString dir = qEnvironmentVariable("IQL_ONNXRUNTIME_NODE_DIR");
  if (dir.isEmpty()) {
    QString cache = qEnvironmentVariable("XDG_CACHE_HOME");
    if (cache.isEmpty()) cache = QDir::homePath() + "/.cache";
    dir = cache + "/iql-workbench/onnxruntime-node";
  }
  return dir;
}

}  // namespace export_fixture

#define EXPORT_RUNTIME_OR_SKIP(available, why)                                           \
  do {                                                                                   \
    if (!(available)) {                                                                  \
      if (export_fixture::runtimes_required()) QFAIL(qPrintable("required runtime missing: " + (why))); \
      QSKIP(qPrintable("skipped, runtime missing: " + (why)));                            \
    }                                                                                    \
  } while (0)
