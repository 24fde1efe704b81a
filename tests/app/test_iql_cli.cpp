// The `iql` command line, run as a real process: help texts, clear errors with non-zero exits, and a
// small train -> runs -> export -> eval round trip against a temporary run store.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

#include "core/runtime/training_slots.h"
#include "core/store/run_store.h"

namespace {
struct Result {
  int code;
  QString out, err;
};

Result run_iql(const QStringList& args, const QString& home) {
  QProcess p;
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("XDG_DATA_HOME", home);  // built-in datasets and the default store go here
  p.setProcessEnvironment(env);
  p.start(IQL_CLI_PATH, args);
  if (!p.waitForFinished(300000)) return {-1, {}, "timeout"};
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}
}  // namespace

class TestIqlCli : public QObject {
  Q_OBJECT
  QTemporaryDir home_;
  QString db_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    db_ = home_.filePath("runs.db");
  }

  void helpListsEveryCommand() {
    auto r = run_iql({"--help"}, home_.path());
    QCOMPARE(r.code, 0);
    for (auto c : {"train", "finetune", "eval", "datasets", "runs", "bench", "doctor"}) QVERIFY(r.out.contains(c));
    auto t = run_iql({"train", "--help"}, home_.path());
    QCOMPARE(t.code, 0);
    for (auto o : {"--expectile", "--temperature", "--dropout", "--reward-mode", "--eval-interval", "--online-steps"})
      QVERIFY2(t.out.contains(o), o);
  }

  // doctor says what auto threads resolve to here and counts the trainings of this machine: the two
  // slots this test holds are trainings for it (the count is at least two: other tests may train).
  void doctorShowsAutoThreadsAndTrainings() {
    iql::runtime::TrainingSlot a, b;
    auto r = run_iql({"doctor"}, home_.path());
    QCOMPARE(r.code, 0);
    const QString autoLine = QString("auto:    a run with threads 0 trains with %1 ").arg(iql::runtime::default_training_threads());
    QVERIFY2(r.out.contains(autoLine), qPrintable(r.out));
    const auto m = QRegularExpression("running: (\\d+) training").match(r.out);
    QVERIFY2(m.hasMatch(), qPrintable(r.out));
    QVERIFY(m.captured(1).toInt() >= 2);
  }

  void badInputGivesClearErrors() {
    auto r = run_iql({"train", "--bogus"}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("unknown option --bogus"));
    r = run_iql({"train", "--expectile", "1.5", "--db", db_}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("expectile"));
    r = run_iql({"train", "--steps", "ten"}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--steps expects an integer"));
    r = run_iql({"train", "--dataset", "/nonexistent/file.hdf5", "--db", db_}, home_.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("/nonexistent/file.hdf5"));
    r = run_iql({"nosuchcommand"}, home_.path());
    QCOMPARE(r.code, 2);
  }

  void inspectsTheFixture() {
    auto r = run_iql({"datasets", "inspect", IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5", "--json"}, home_.path());
    QCOMPARE(r.code, 0);
    auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["transitions"].toInteger(), 11200);
    QCOMPARE(j["episodes"].toInteger(), 56);
  }

  void trainStoreExportEvaluate() {
    auto r = run_iql({"train", "--dataset", "pendulum-medium", "--steps", "300", "--hidden", "32", "--eval-interval", "100",
                  "--eval-episodes", "2", "--log-interval", "10", "--db", db_, "--json"},
                 home_.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains("[iql]"));  // progress on stderr
    auto out = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const auto run_id = out["run_id"].toInteger();
    QCOMPARE(out["status"].toString(), QString("finished"));
    QCOMPARE(out["steps"].toInteger(), 300);
    QVERIFY(out.contains("return_mean"));

    auto list = run_iql({"runs", "list", "--db", db_, "--json"}, home_.path());
    QCOMPARE(list.code, 0);
    auto runs = QJsonDocument::fromJson(list.out.toUtf8()).array();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].toObject()["id"].toInteger(), run_id);

    auto show = run_iql({"runs", "show", QString::number(run_id), "--db", db_}, home_.path());
    auto shown = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(shown["evaluations"].toArray().size(), 3);  // steps 100, 200, 300
    QCOMPARE(shown["config"].toObject()["hidden"].toInt(), 32);

    const QString csv = home_.filePath("m.csv");
    auto ex = run_iql({"runs", "export", QString::number(run_id), "--db", db_, "--out", csv}, home_.path());
    QCOMPARE(ex.code, 0);
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QString("step,key,value"));
    QVERIFY(lines.size() > 30 * 10);  // 30 logged steps x >= 10 metrics

    auto ev = run_iql({"eval", out["checkpoint"].toString(), "--episodes", "3", "--json"}, home_.path());
    QVERIFY2(ev.code == 0, qPrintable(ev.err));
    auto e = QJsonDocument::fromJson(ev.out.toUtf8()).object();
    QCOMPARE(e["returns"].toArray().size(), 3);
    QCOMPARE(e["step"].toInteger(), 300);
  }

  void killedRunLeavesConsistentStore() {
    const QString db = home_.filePath("killed.db");
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", home_.path());
    p.setProcessEnvironment(env);
    p.setReadChannel(QProcess::StandardError);
    p.start(IQL_CLI_PATH, {"train", "--dataset", "pendulum-medium", "--steps", "1000000", "--hidden", "32",
                           "--log-interval", "10", "--eval-interval", "0", "--db", db});
    QVERIFY(p.waitForStarted());
    // Wait for the second progress line (5 s apart without a terminal; the store is flushed every
    // second), then SIGKILL mid-training.
    QString err;
    while (err.count("steps/s") < 2) {
      QVERIFY2(p.waitForReadyRead(60000), qPrintable(err));
      err += QString::fromUtf8(p.readAllStandardError());
    }
    p.kill();
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);

    iql::RunStore store(db.toStdString());  // opening marks runs whose writer is gone
    QCOMPARE(QString::fromStdString(store.integrity_check()), QString("ok"));
    auto runs = store.list_runs();
    QCOMPARE(int(runs.size()), 1);
    QCOMPARE(QString::fromStdString(runs[0].status), QString("interrupted"));
    auto series = store.metric_series(runs[0].id, "v_loss");
    QVERIFY(series.size() >= 10);
    for (size_t i = 0; i < series.size(); ++i) QCOMPARE(series[i].first, int64_t(10 * (i + 1)));  // no gaps
    // the step count commits with the metrics of the same flush
    QVERIFY(runs[0].steps >= series.back().first && runs[0].steps < series.back().first + 10);
  }

  // Rates are timings (benchmarks print them; no test asserts them): only their relations and the
  // update's GEMM FLOPs, counted by hand here, are checked.
  void benchPrintsBothFigures() {
    auto r = run_iql({"bench", "update", "--steps", "30", "--json"}, home_.path());
    QCOMPARE(r.code, 0);
    auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const double full = j["steps_per_s"].toDouble(), gemm = j["gemm_steps_per_s"].toDouble();
    QVERIFY(full > 0 && gemm > 0);
    QVERIFY(std::abs(j["ratio_full_to_gemm"].toDouble() - full / gemm) < 1e-9 * full / gemm);
    QVERIFY(j["runtime"].toString().contains("BLAS"));
    // obs 17, act 6, hidden 256, batch 256. Multiply-adds per sample of each network's forward, dW and
    // dX (no dX for the first layer): critic 23-256-256-1, value 17-256-256-1, actor 17-256-256-6.
    const double C = 23 * 256 + 256 * 256 + 256, V = 17 * 256 + 256 * 256 + 256, A = 17 * 256 + 256 * 256 + 256 * 6;
    const double dXc = 256 * 256 + 256, dXv = dXc, dXa = 256 * 256 + 256 * 6;
    const double per_sample = 2 * C               // twin target critics
                              + (V + V + dXv)     // value step
                              + 2 * V             // V(s) and V(s') after the value step (2B rows)
                              + (A + A + dXa)     // actor step
                              + 2 * (C + C + dXc);  // twin critics step
    const double flop = 2 * per_sample * 256;    // 572,391,424
    QCOMPARE(j["gemm_gflop_per_step"].toDouble(), flop / 1e9);
    const double peak = std::max(j["peak_gflops_one_product"].toDouble(), j["peak_gflops_product_per_thread"].toDouble());
    QVERIFY(peak > 0);
    const double ceiling = peak * 1e9 / flop;
    QVERIFY(std::abs(j["ceiling_member_steps_per_s"].toDouble() - ceiling) < 1e-9 * ceiling);
    QVERIFY(std::abs(j["ceiling_speedup_vs_single"].toDouble() - ceiling / full) < 1e-9 * ceiling / full);
  }
};

QTEST_GUILESS_MAIN(TestIqlCli)
#include "test_iql_cli.moc"
