// TorchScript export against the workbench's own forward of the same checkpoint, on 1,000 raw
// observations of the run's dataset at batch 1 and batch 1,000, for IQL, IQL-CORL, BC and a
// deterministic policy: loaded in C++ by torch::jit::load and in Python by Debian's torch.jit.load.
#include <QtTest/QtTest>

#include <torch/script.h>

#include "core/export/export_policy.h"
#include "core/export/torchscript_export.h"
#include "export_fixture.h"

using namespace export_fixture;
using iql::exporting::PolicyOutputs;
using iql::exporting::WorkbenchPolicy;

namespace {
constexpr double kTol = 1e-5;

PolicyOutputs run_module(torch::jit::Module& m, const torch::Tensor& obs) {
  torch::NoGradGuard no_grad;
  auto t = m.forward({obs}).toTuple()->elements();
  return {t.at(0).toTensor(), t.at(1).toTensor(), t.at(2).toTensor()};
}

// Worst difference over the three outputs, batch 1,000 and every row alone (batch 1).
double worst_difference(torch::jit::Module& m, WorkbenchPolicy& ref, const torch::Tensor& obs) {
  const auto want = ref.forward(obs);
  auto got = run_module(m, obs);
  double worst = std::max({max_diff(got.action, want.action), max_diff(got.mean, want.mean), max_diff(got.log_std, want.log_std)});
  for (int64_t i = 0; i < obs.size(0); ++i) {
    auto one = run_module(m, obs.narrow(0, i, 1));
    worst = std::max({worst, max_diff(one.action, want.action.narrow(0, i, 1)),
                      max_diff(one.mean, want.mean.narrow(0, i, 1)), max_diff(one.log_std, want.log_std.narrow(0, i, 1))});
  }
  return worst;
}
}  // namespace

class TestTorchscriptExport : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::map<std::string, std::string> ckpt_;  // "iql", "iql-corl", "bc", "bc-deterministic"

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    for (const char* a : {"iql", "iql-corl", "bc"}) ckpt_[a] = train_tiny(dir_.path(), a);
    ckpt_["bc-deterministic"] = train_tiny(dir_.path(), "bc", "deterministic");
  }

  void matchesWorkbenchInCpp_data() {
    QTest::addColumn<QString>("run");
    for (const char* r : {"iql", "iql-corl", "bc", "bc-deterministic"}) QTest::newRow(r) << QString(r);
  }
  void matchesWorkbenchInCpp() {
    QFETCH(QString, run);
    const auto ckpt = ckpt_.at(run.toStdString());
    const auto p = iql::exporting::read_export_policy(ckpt);
    const std::string file = (dir_.path() + "/" + run + ".ts.pt").toStdString();
    iql::exporting::write_torchscript(p, file);
    auto m = torch::jit::load(file);
    // weights are attributes a user can read (d3rlpy #339): [out, in] like torch.nn.Linear
    QCOMPARE(m.attr("l0_weight").toTensor().sizes().vec(), (std::vector<int64_t>{32, 3}));
    QCOMPARE(m.attr("l2_bias").toTensor().sizes().vec(), (std::vector<int64_t>{1}));
    WorkbenchPolicy ref(ckpt);
    const auto obs = observations();
    const double worst = worst_difference(m, ref, obs);
    QVERIFY2(worst <= kTol, qPrintable(QString("largest difference %1").arg(worst)));
    const auto got = run_module(m, obs);
    if (run == "bc-deterministic") QVERIFY(torch::isinf(got.log_std).all().item<bool>());
    else QVERIFY(torch::isfinite(got.log_std).all().item<bool>());
    // actions inside the environment's bounds, [-2, 2] for Pendulum
    QVERIFY(got.action.abs().max().item<float>() <= 2.0f);
  }

  // The IQL-CORL run normalises observations; its export takes raw ones. Dropping the normaliser from
  // the export must break the match above, or that test could not catch a missing normalisation.
  void corlNormalisationIsInsideTheGraph() {
    const auto ckpt = ckpt_.at("iql-corl");
    auto p = iql::exporting::read_export_policy(ckpt);
    QVERIFY(p.normalizes());
    QCOMPARE(static_cast<int64_t>(p.obs_mean.size()), int64_t{3});
    WorkbenchPolicy ref(ckpt);
    const auto obs = observations();
    const std::string with = (dir_.path() + "/corl-with.pt").toStdString();
    iql::exporting::write_torchscript(p, with);
    auto m = torch::jit::load(with);
    QVERIFY(worst_difference(m, ref, obs) <= kTol);
    p.obs_mean.clear();
    p.obs_std.clear();
    const std::string without = (dir_.path() + "/corl-without.pt").toStdString();
    iql::exporting::write_torchscript(p, without);
    auto dropped = torch::jit::load(without);
    const auto want = ref.forward(obs);
    QVERIFY(max_diff(run_module(dropped, obs).mean, want.mean) > 1e-3);
  }

  void matchesWorkbenchInPython_data() { matchesWorkbenchInCpp_data(); }
  void matchesWorkbenchInPython() {
    QString why;
    EXPORT_RUNTIME_OR_SKIP(python_has("torch", &why), why);
    QFETCH(QString, run);
    const auto ckpt = ckpt_.at(run.toStdString());
    const QString file = dir_.path() + "/" + run + ".py.pt";
    iql::exporting::write_torchscript(iql::exporting::read_export_policy(ckpt), file.toStdString());
    const auto obs = observations();
    write_floats(dir_.path() + "/obs.bin", obs);
    const QString script = dir_.path() + "/run_torchscript.py";
    {
      QFile f(script);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(R"(import sys, torch
model, obs_path, out, n, o = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(1)
m = torch.jit.load(model)
x = torch.from_file(obs_path, size=n * o, dtype=torch.float32).view(n, o)
with torch.no_grad():
    full = m(x)
    rows = [m(x[i:i + 1]) for i in range(n)]
for k, name in enumerate(["action", "mean", "log_std"]):
    full[k].contiguous().numpy().tofile(out + "." + name + ".1000")
    torch.cat([r[k] for r in rows]).contiguous().numpy().tofile(out + "." + name + ".1")
)");
    }
    bool ok = false;
    const QString out = dir_.path() + "/py-" + run;
    const QString log = export_fixture::run(debian_python(), {script, file, dir_.path() + "/obs.bin", out, "1000", "3"}, &ok);
    QVERIFY2(ok, qPrintable(log));
    WorkbenchPolicy ref(ckpt);
    const auto want = ref.forward(obs);
    const QString mismatch = compare_runtime_outputs(out, want, kTol);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }
};

QTEST_GUILESS_MAIN(TestTorchscriptExport)
#include "test_torchscript_export.moc"
