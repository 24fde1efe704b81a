// Runs tab > Study report...: RunsBrowser::writeStudyReport on a store made here (runs and evaluations
// inserted directly) writes a PDF that poppler reads back with the pages the store's runs call for
// (run set, curves, aggregates, profiles: one IQL configuration and BC, so no tau x beta map and no
// offline-selection page), each page naming its runs; the status line says how many pages and where.
// A store with no scored run writes nothing and says why in the status line.
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "tests/report/pdf_reader.h"
#include "ui/runs/runs_browser.h"

namespace {

std::int64_t addScoredRun(iql::RunStore& store, const std::string& algorithm, std::int64_t seed, double score) {
  iql::RunInfo info;
  info.name = algorithm + "-" + std::to_string(seed);
  info.algorithm = algorithm;
  info.dataset = "hopper-medium-replay.hdf5";
  info.env = "hopper";
  info.seed = seed;
  info.steps = 1000;
  info.config_json = algorithm == "bc" ? R"({"steps":1000})" : R"({"steps":1000,"expectile":0.7,"temperature":3})";
  const std::int64_t id = store.create_run(info);
  store.update_status(id, "finished");
  for (int k = 1; k <= 2; ++k) {
    iql::EvaluationRecord e;
    e.step = 500 * k;
    e.episodes = 10;
    e.normalized_score = score * k / 2.0;
    e.return_mean = 30.0 * score;
    store.add_evaluation(id, e);
  }
  return id;
}

}  // namespace

class TestStudyReportAction : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    if (!pdf_reader::available()) QFAIL("pdfinfo/pdftotext missing: install poppler-utils (packaging/install-deps.sh)");
  }

  void writesTheStoresReport() {
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("runs.db"));
    std::vector<std::int64_t> ids;
    {
      iql::RunStore store(db.toStdString());
      for (std::int64_t seed : {0, 1, 2}) ids.push_back(addScoredRun(store, "iql", seed, 60.0 + seed));
      for (std::int64_t seed : {0, 1}) ids.push_back(addScoredRun(store, "bc", seed, 40.0 + seed));
    }
    RunsBrowser browser;
    browser.setDatabase(db);
    QVERIFY(browser.studyReportAction()->isEnabled());
    const QString out = dir.filePath(QStringLiteral("study.pdf"));
    QVERIFY2(browser.writeStudyReport(out), qPrintable(browser.statusLabel()->text()));
    QString error;
    QCOMPARE(pdf_reader::pages(out, &error), 4);
    QVERIFY2(browser.statusLabel()->text().contains(QStringLiteral("4 pages")), qPrintable(browser.statusLabel()->text()));
    const QString runSet = pdf_reader::run(QStringLiteral("pdftotext"), {QStringLiteral("-f"), QStringLiteral("1"),
                                                                          QStringLiteral("-l"), QStringLiteral("1"),
                                                                          QStringLiteral("-layout"), out, QStringLiteral("-")});
    for (auto id : ids)
      QVERIFY2(runSet.contains(QRegularExpression(QStringLiteral("#%1\\b").arg(id))),
               qPrintable(QStringLiteral("run #%1 missing from the run-set page").arg(id)));
  }

  void emptyStoreSaysWhy() {
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("empty.db"));
    { iql::RunStore store(db.toStdString()); }
    RunsBrowser browser;
    browser.setDatabase(db);
    const QString out = dir.filePath(QStringLiteral("none.pdf"));
    QVERIFY(!browser.writeStudyReport(out));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(!browser.statusLabel()->text().isEmpty());
  }
};

QTEST_MAIN(TestStudyReportAction)
#include "test_study_report_action.moc"
