// RunStore's ope_estimates table: rows round-trip (with and without a normalised score), a repeated
// (step, method) replaces, rows come back by step then method, bad input is refused, a read-only store
// reads them, and deleting the run deletes them.
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "core/util/errors.h"

using iql::OpeEstimateRecord;
using iql::RunStore;

class TestOpeEstimates : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void roundTripReplaceAndCascade() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("runs.db").toStdString();
    std::int64_t id = 0;
    {
      RunStore store(path);
      iql::RunInfo r;
      r.algorithm = "iql";
      id = store.create_run(r);
      QVERIFY(store.ope_estimates(id).empty());
      OpeEstimateRecord e;
      e.step = 2000;
      e.method = "fqe";
      e.value = 1500.0;
      e.normalized_score = 45.0;
      e.details_json = R"({"discounted":150.0})";
      store.add_ope_estimate(id, e);
      e.value = 1600.0;  // same step and method: replaces
      store.add_ope_estimate(id, e);
      e.method = "critic_td_error";  // an error: no normalised score
      e.value = 0.25;
      e.normalized_score.reset();
      e.details_json = "";
      store.add_ope_estimate(id, e);
      e.step = 1000;
      e.method = "critic_q_s0";
      e.value = 900.0;
      store.add_ope_estimate(id, e);
      e.details_json = "{not json";
      QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.add_ope_estimate(id, e));
      e.details_json = "{}";
      e.method.clear();
      QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.add_ope_estimate(id, e));
    }
    RunStore ro(path, RunStore::Mode::read_only);
    const auto rows = ro.ope_estimates(id);
    QCOMPARE(rows.size(), std::size_t(3));
    QCOMPARE(rows[0].step, std::int64_t(1000));
    QCOMPARE(rows[0].method, std::string("critic_q_s0"));
    QCOMPARE(rows[1].method, std::string("critic_td_error"));  // step 2000, methods in order
    QCOMPARE(rows[1].details_json, std::string("{}"));
    QVERIFY(!rows[1].normalized_score);
    QCOMPARE(rows[2].method, std::string("fqe"));
    QCOMPARE(rows[2].value, 1600.0);
    QVERIFY(rows[2].normalized_score && *rows[2].normalized_score == 45.0);
    QCOMPARE(rows[2].details_json, std::string(R"({"discounted":150.0})"));
    QVERIFY(rows[2].created.size() >= 20 && rows[2].created.back() == 'Z');
    {
      RunStore store(path);
      store.delete_run(id);
      QVERIFY(store.ope_estimates(id).empty());
    }
  }
};

QTEST_GUILESS_MAIN(TestOpeEstimates)
#include "test_ope_estimates.moc"
