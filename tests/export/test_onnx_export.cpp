// ONNX export: the file passes ONNX's checker (Debian's python3-onnx, full check, and libonnx's C++
// checker through check_onnx_file), and run by a real ONNX runtime (onnxruntime-node from npm,
// packaging/install-onnxruntime-node.sh) it gives the workbench's own outputs within 1e-5 on 1,000
// raw dataset observations at batch 1 and 1,000, for IQL, IQL-CORL (normaliser inside) and BC.
#include <QtTest/QtTest>

#include "core/export/export_policy.h"
#include "core/export/onnx_export.h"
#include "core/util/errors.h"
#include "export_fixture.h"

using namespace export_fixture;
using iql::exporting::WorkbenchPolicy;

namespace {
constexpr double kTol = 1e-5;

const char* kNodeScript = R"(const ort = require('onnxruntime-node');
const fs = require('fs');
const [model, obsPath, out, n, o] = process.argv.slice(2);
const N = Number(n), O = Number(o);
(async () => {
  // one thread: onnxruntime's pool spin-waits, which stalls when tests share the cores
  const s = await ort.InferenceSession.create(model, {intraOpNumThreads: 1, interOpNumThreads: 1});
  const buf = fs.readFileSync(obsPath);
  const obs = new Float32Array(buf.buffer, buf.byteOffset, N * O);
  const names = ['action', 'mean', 'log_std'];
  const full = await s.run({observation: new ort.Tensor('float32', obs, [N, O])});
  if (full.action.dims[0] !== N) throw new Error('batch dimension not dynamic');
  const rows = {action: [], mean: [], log_std: []};
  for (let i = 0; i < N; ++i) {
    const r = await s.run({observation: new ort.Tensor('float32', obs.slice(i * O, (i + 1) * O), [1, O])});
    for (const k of names) rows[k].push(...r[k].data);
  }
  for (const k of names) {
    fs.writeFileSync(out + '.' + k + '.1000', Buffer.from(full[k].data.buffer, full[k].data.byteOffset, full[k].data.byteLength));
    fs.writeFileSync(out + '.' + k + '.1', Buffer.from(new Float32Array(rows[k]).buffer));
  }
})().catch(e => { console.error(e); process.exit(1); });
)";
}  // namespace

class TestOnnxExport : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::map<std::string, std::string> ckpt_;

  QString exported(const QString& run) {
    const QString file = dir_.path() + "/" + run + ".onnx";
    if (!QFileInfo::exists(file))
      iql::exporting::write_onnx(iql::exporting::read_export_policy(ckpt_.at(run.toStdString())), file.toStdString());
    return file;
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    for (const char* a : {"iql", "iql-corl", "bc"}) ckpt_[a] = train_tiny(dir_.path(), a);
    ckpt_["bc-deterministic"] = train_tiny(dir_.path(), "bc", "deterministic");
    write_floats(dir_.path() + "/obs.bin", observations());
  }

  void cppCheckerAndWeights() {
    const auto p = iql::exporting::read_export_policy(ckpt_.at("iql-corl"));
    const auto c = iql::exporting::check_onnx_file(exported("iql-corl").toStdString(), p);
    QCOMPARE(c.ir_version, int64_t{8});
    QCOMPARE(c.opset, int64_t{17});
    QCOMPARE(c.max_weight_difference, 0.0);
    // 3 Gemm, 2 Relu, Tanh, Clip, Mul, Add, Sub, Div, Clip, Shape, Concat, Expand
    QCOMPARE(c.nodes, int64_t{15});
    // another checkpoint's weights are told apart
    const auto other = iql::exporting::read_export_policy(ckpt_.at("iql"));
    QVERIFY(iql::exporting::check_onnx_file(exported("iql-corl").toStdString(), other).max_weight_difference > 1e-3);
  }

  void truncatedFileIsReported() {
    const QString file = exported("bc");
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const QString cut = dir_.path() + "/cut.onnx";
    QFile g(cut);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(bytes.left(bytes.size() / 2));
    g.close();
    try {
      iql::exporting::check_onnx_file(cut.toStdString(), iql::exporting::read_export_policy(ckpt_.at("bc")));
      QFAIL("a truncated ONNX file passed");
    } catch (const iql::DataError& e) {
      QVERIFY2(QString(e.what()).contains(cut), e.what());
    }
  }

  void passesPythonOnnxChecker_data() {
    QTest::addColumn<QString>("run");
    for (const char* r : {"iql", "iql-corl", "bc", "bc-deterministic"}) QTest::newRow(r) << QString(r);
  }
  void passesPythonOnnxChecker() {
    QString why;
    EXPORT_RUNTIME_OR_SKIP(python_has("onnx", &why), why);
    QFETCH(QString, run);
    bool ok = false;
    const QString log = export_fixture::run(
        debian_python(),
        {"-c", "import sys, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
               "assert [i.name for i in m.graph.input] == ['observation']; "
               "assert [o.name for o in m.graph.output] == ['action', 'mean', 'log_std']; "
               "assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_param == 'batch'; print('ok')",
         exported(run)},
        &ok);
    QVERIFY2(ok && log.contains("ok"), qPrintable(log));
  }

  void onnxruntimeMatchesWorkbench_data() { passesPythonOnnxChecker_data(); }
  void onnxruntimeMatchesWorkbench() {
    const QString ort = onnxruntime_node_dir();
    bool node_ok = false;
    export_fixture::run("node", {"--version"}, &node_ok);
    const bool have = node_ok && QFileInfo::exists(ort + "/node_modules/onnxruntime-node/package.json");
    EXPORT_RUNTIME_OR_SKIP(have, QString("node or onnxruntime-node in " + ort +
                                         " (bash packaging/install-onnxruntime-node.sh installs it)"));
    QFETCH(QString, run);
    const QString script = dir_.path() + "/run_onnx.js";
    {
      QFile f(script);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(kNodeScript);
    }
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("NODE_PATH", ort + "/node_modules");
    bool ok = false;
    const QString out = dir_.path() + "/ort-" + run;
    const QString log = export_fixture::run("node", {script, exported(run), dir_.path() + "/obs.bin", out, "1000", "3"}, &ok, env);
    QVERIFY2(ok, qPrintable(log));
    WorkbenchPolicy ref(ckpt_.at(run.toStdString()));
    const auto want = ref.forward(observations());
    const QString mismatch = compare_runtime_outputs(out, want, kTol);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }
};

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "test_onnx_export.moc"
