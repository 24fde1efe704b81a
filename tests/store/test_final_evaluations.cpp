// RunStore's final_evaluations table: a row round-trips with every episode's return, a repeated
// (step, episodes, seed) replaces while another seed adds a row, a read-only store reads them, and
// deleting the run deletes them.
#include <QtTest/QtTest>

#include <memory>

#include "core/store/run_store.h"
#include "core/util/errors.h"

using iql::FinalEvaluationRecord;
using iql::RunStore;

class TestFinalEvaluations : public QObject {
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
      r.dataset = "hopper-medium-expert-v2";
      id = store.create_run(r);
      QVERIFY(store.final_evaluations(id).empty());
      FinalEvaluationRecord f;
      f.step = 1000;
      f.episodes = 3;
      f.seed = 7;
      f.return_mean = 20.0;
      f.return_std = 8.16496580927726;
      f.normalized_score = 55.5;
      f.returns = {10.0, 20.0, 30.0};
      store.add_final_evaluation(id, f);
      f.returns = {12.0, 20.0, 28.0};  // same step, episodes and seed: replaces
      store.add_final_evaluation(id, f);
      f.seed = 8;  // another seed: a second row, without a normalised score
      f.normalized_score.reset();
      store.add_final_evaluation(id, f);
      f.episodes = 0;
      QVERIFY_THROWS_EXCEPTION(iql::StoreError, store.add_final_evaluation(id, f));
    }
    RunStore ro(path, RunStore::Mode::read_only);
    const auto rows = ro.final_evaluations(id);
    QCOMPARE(rows.size(), std::size_t(2));
    QCOMPARE(rows[0].step, std::int64_t(1000));
    QCOMPARE(rows[0].episodes, 3);
    QCOMPARE(rows[0].seed, std::int64_t(7));
    QCOMPARE(rows[0].return_mean, 20.0);
    QVERIFY(rows[0].normalized_score && *rows[0].normalized_score == 55.5);
    QCOMPARE(rows[0].returns, (std::vector<double>{12.0, 20.0, 28.0}));
    QVERIFY(rows[0].created.size() >= 20 && rows[0].created.back() == 'Z');
    QCOMPARE(rows[1].seed, std::int64_t(8));
    QVERIFY(!rows[1].normalized_score);
    {
      RunStore store(path);
      store.delete_run(id);
      QVERIFY(store.final_evaluations(id).empty());
    }
  }
};

QTEST_GUILESS_MAIN(TestFinalEvaluations)
#include "test_final_evaluations.moc"
