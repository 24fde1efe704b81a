// The study report (core/report/study_report.h) from a small store made here (runs, evaluations and
// offline estimates inserted directly, no training), read back by poppler: the expected pages in order
// (run set, curves, aggregates, profiles, tau x beta map, offline selection), each page's text holding
// the ids of the runs it draws on and the command, a run name with ( ) \ read back intact, and the
// pages that need data left out without it (no grid, no estimates).
#include <QtTest/QtTest>

#include <QTemporaryDir>
#include <string>
#include <vector>

#include "core/report/study_report.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"
#include "tests/report/pdf_reader.h"

using namespace iql;

namespace {

std::int64_t add_run(RunStore& store, const std::string& name, const std::string& algorithm, double tau, double beta,
                     std::int64_t seed, double final_score) {
  RunInfo info;
  info.name = name;
  info.algorithm = algorithm;
  info.dataset = "hopper-medium-replay.hdf5";
  info.env = "hopper";
  info.seed = seed;
  info.status = "finished";
  info.steps = 1000;
  info.config_json = algorithm == "bc" ? R"({"steps":1000})"
                                       : "{\"steps\":1000,\"expectile\":" + std::to_string(tau) +
                                             ",\"temperature\":" + std::to_string(beta) + "}";
  const std::int64_t id = store.create_run(info);
  store.update_status(id, "finished");
  for (int k = 1; k <= 4; ++k) {
    EvaluationRecord e;
    e.step = 250 * k;
    e.episodes = 10;
    e.normalized_score = final_score * k / 4.0;
    e.return_mean = 30.0 * final_score;
    store.add_evaluation(id, e);
  }
  return id;
}

// Every "#id" of ids appears in the text as a whole id (not "#12" for "#1").
QString missingIds(const QString& text, const std::vector<std::int64_t>& ids) {
  QStringList missing;
  for (auto id : ids)
    if (!text.contains(QRegularExpression(QStringLiteral("#%1\\b").arg(id)))) missing << QString::number(id);
  return missing.join(QLatin1Char(' '));
}

}  // namespace

class TestStudyReport : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    if (!pdf_reader::available()) QFAIL("pdfinfo/pdftotext missing: install poppler-utils (packaging/install-deps.sh)");
  }

  void fullReportPagesAndRunIds() {
    QTemporaryDir dir;
    const std::string db = dir.filePath(QStringLiteral("study.db")).toStdString();
    std::vector<std::int64_t> iql_ids, bc_ids, all;
    {
      RunStore store(db);
      // a 2 x 2 tau x beta grid, two seeds per cell; BC beside it
      int n = 0;
      for (double tau : {0.7, 0.9})
        for (double beta : {3.0, 10.0})
          for (std::int64_t seed : {0, 1}) {
            const std::string name = n == 0 ? "odd (name) \\ one" : "iql-" + std::to_string(n);
            iql_ids.push_back(add_run(store, name, "iql", tau, beta, seed, 40.0 + 10 * tau + beta + seed));
            ++n;
          }
      for (std::int64_t seed : {0, 1, 2}) bc_ids.push_back(add_run(store, "bc", "bc", 0, 0, seed, 30.0 + seed));
      // FQE estimates for the first five IQL runs at their last checkpoint
      for (int k = 0; k < 5; ++k) {
        OpeEstimateRecord e;
        e.step = 1000;
        e.method = "fqe";
        e.value = 100.0 * k;
        e.normalized_score = 35.0 + 4.0 * k;
        store.add_ope_estimate(iql_ids[std::size_t(k)], e);
      }
    }
    all = iql_ids;
    all.insert(all.end(), bc_ids.begin(), bc_ids.end());

    report::StudyReportOptions options;
    options.stores = {db};
    options.bootstrap.resamples = 200;
    const QString out = dir.filePath(QStringLiteral("study.pdf"));
    const auto result = report::write_study_report(options, out.toStdString());
    // IQL_REPORT_KEEP=DIR keeps a copy to look at (docs/study-report.md's image is made from it)
    if (qEnvironmentVariableIsSet("IQL_REPORT_KEEP"))
      QFile::copy(out, QDir(qEnvironmentVariable("IQL_REPORT_KEEP")).filePath(QStringLiteral("study.pdf")));
    QCOMPARE(result.pages, 6);
    QString error;
    QCOMPARE(pdf_reader::pages(out, &error), 6);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const QStringList titles = {QStringLiteral("Run set"), QStringLiteral("Learning curves"),
                                QStringLiteral("Aggregate statistics"),
                                QStringLiteral("Performance profiles and probability of improvement"),
                                QStringLiteral("tau x beta"), QStringLiteral("Offline policy selection")};
    const std::vector<std::int64_t> ope_ids(iql_ids.begin(), iql_ids.begin() + 5);
    const std::vector<std::vector<std::int64_t>> page_ids = {all, all, all, all, iql_ids, ope_ids};
    const QString command = QString::fromStdString(report::study_report_command(options, out.toStdString()));
    for (int p = 1; p <= 6; ++p) {
      const QString text = pdf_reader::pageText(out, p, &error);
      QVERIFY2(error.isEmpty(), qPrintable(error));
      QVERIFY2(text.startsWith(titles[p - 1]), qPrintable(QStringLiteral("page %1: %2").arg(p).arg(text.left(200))));
      const QString missing = missingIds(text, page_ids[std::size_t(p - 1)]);
      QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("page %1 lacks runs %2:\n%3").arg(p).arg(missing, text)));
      // the command in the footer (pdftotext may break it across lines)
      QVERIFY2(text.simplified().contains(QStringLiteral("Command: iql runs report --db")),
               qPrintable(QStringLiteral("page %1: %2").arg(p).arg(text)));
      QVERIFY(text.simplified().contains(QStringLiteral("--group-by algorithm --eval last --resamples 200")));
    }
    // the BC runs are not on the grid page's footer, the runs without estimates not on the selection page's
    QCOMPARE(missingIds(pdf_reader::pageText(out, 5), {bc_ids[0]}), QString::number(bc_ids[0]));
    QCOMPARE(missingIds(pdf_reader::pageText(out, 6), {iql_ids[6]}), QString::number(iql_ids[6]));
    // escaping: the odd name reads back intact
    QVERIFY(pdf_reader::pageText(out, 1).contains(QStringLiteral("odd (name) \\ one")));
  }

  void pagesWithoutTheirDataAreLeftOut() {
    QTemporaryDir dir;
    const std::string db = dir.filePath(QStringLiteral("bc.db")).toStdString();
    {
      RunStore store(db);
      for (std::int64_t seed : {0, 1}) add_run(store, "bc", "bc", 0, 0, seed, 30.0 + seed);
    }
    report::StudyReportOptions options;
    options.stores = {db};
    options.bootstrap.resamples = 100;
    const QString out = dir.filePath(QStringLiteral("bc.pdf"));
    const auto result = report::write_study_report(options, out.toStdString());
    // run set, curves, aggregates, profiles: no tau x beta grid, no estimates
    QCOMPARE(result.pages, 4);
    QCOMPARE(pdf_reader::pages(out), 4);
  }

  void errorsNameTheProblem() {
    QTemporaryDir dir;
    report::StudyReportOptions options;
    options.stores = {dir.filePath(QStringLiteral("missing.db")).toStdString()};
    QVERIFY_THROWS_EXCEPTION(ConfigError, report::write_study_report(options, dir.filePath("x.pdf").toStdString()));
    const std::string db = dir.filePath(QStringLiteral("one.db")).toStdString();
    {
      RunStore store(db);
      add_run(store, "bc", "bc", 0, 0, 0, 30.0);
    }
    options.stores = {db};
    QVERIFY_THROWS_EXCEPTION(ConfigError, report::write_study_report(options, "/nonexistent-dir/x.pdf"));
  }
};

QTEST_GUILESS_MAIN(TestStudyReport)
#include "test_study_report.moc"
