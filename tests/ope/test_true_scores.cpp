// The truth offline estimates are judged against (core/ope/true_scores.h): a final evaluation wins over
// periodic ones (the one with the most episodes, then the latest step), the last periodic evaluation
// otherwise, none without evaluations; and the per-method selection statistics use normalised scores
// only when every member has one, negate errors, and skip members without truth.
#include <QtTest/QtTest>

#include <cmath>

#include "core/ope/true_scores.h"
#include "core/store/run_store.h"

using namespace iql;
using namespace iql::ope;

namespace {
OpeEstimate estimate(const std::string& method, double value, std::optional<double> norm, bool higher = true) {
  OpeEstimate e;
  e.method = method;
  e.value = value;
  e.normalized_score = norm;
  e.higher_is_better = higher;
  return e;
}
}  // namespace

class TestTrueScores : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void finalEvaluationWinsThenLastEvaluation() {
    QTemporaryDir dir;
    RunStore store(dir.filePath("t.db").toStdString());
    RunInfo info;
    info.algorithm = "iql";
    const auto a = store.create_run(info), b = store.create_run(info), c = store.create_run(info);
    store.add_evaluation(a, {1000, 10.0, 1.0, 5.0, 10});
    store.add_evaluation(a, {2000, 20.0, 1.0, 7.0, 10});
    store.add_evaluation(b, {2000, 30.0, 1.0, std::nullopt, 10});
    FinalEvaluationRecord f;
    f.step = 2000;
    f.episodes = 100;
    f.seed = 1;
    f.return_mean = 25.0;
    f.normalized_score = 8.0;
    f.returns = {25.0};
    store.add_final_evaluation(a, f);
    f.episodes = 50;  // fewer episodes at a later step: the 100-episode one still wins
    f.step = 3000;
    f.return_mean = 99.0;
    store.add_final_evaluation(a, f);

    const auto ta = true_score(store, a);
    QVERIFY(ta && ta->final_evaluation);
    QCOMPARE(ta->return_mean, 25.0);
    QCOMPARE(ta->episodes, 100);
    QCOMPARE(ta->source(), std::string("final evaluation, 100 episodes, step 2000"));
    const auto tb = true_score(store, b);
    QVERIFY(tb && !tb->final_evaluation && !tb->normalized_score);
    QCOMPARE(tb->source(), std::string("last evaluation, 10 episodes, step 2000"));
    QVERIFY(!true_score(store, c));
  }

  void selectionPerMethod() {
    // Three members with truth 10, 30, 20 (normalised); a fourth without truth is skipped.
    OpeResult r;
    const double fqe[] = {1.0, 3.0, 2.0, 9.0}, td[] = {0.1, 0.3, 0.2, 0.0};
    for (int k = 0; k < 4; ++k) {
      OpeMemberResult m;
      m.run_id = k + 1;
      m.estimates.push_back(estimate("fqe", 100.0 * fqe[k], fqe[k]));
      m.estimates.push_back(estimate("critic_td_error", td[k], std::nullopt, false));
      r.members.push_back(m);
    }
    std::vector<std::optional<TrueScore>> truth{TrueScore{1, 10.0, 10, 5, true}, TrueScore{3, 30.0, 10, 5, true},
                                                TrueScore{2, 20.0, 10, 5, true}, std::nullopt};
    stats::BootstrapSettings bs;
    bs.resamples = 200;
    const auto sel = selection_by_method(r, truth, bs);
    QCOMPARE(sel.size(), size_t(2));
    QCOMPARE(sel[0].method, std::string("fqe"));
    QCOMPARE(sel[0].members, size_t(3));
    QVERIFY(sel[0].normalized);
    QCOMPARE(sel[0].stats.spearman.point, 1.0);
    QCOMPARE(sel[0].stats.regret_at_1.point, 0.0);
    // The TD error ranks the largest error last: -td orders the members 1 > 3 > 2, the reverse of truth.
    QCOMPARE(sel[1].method, std::string("critic_td_error"));
    QVERIFY(std::abs(sel[1].stats.spearman.point + 1.0) < 1e-12);
    QCOMPARE(sel[1].stats.regret_at_1.point, 20.0);  // picks truth 10 instead of 30
    // One member without a normalised truth: everything falls back to returns.
    truth[1]->normalized_score.reset();
    const auto sel2 = selection_by_method(r, truth, bs);
    QVERIFY(!sel2[0].normalized);
    QCOMPARE(sel2[0].stats.regret_at_1.point, 0.0);
  }
};

QTEST_GUILESS_MAIN(TestTrueScores)
#include "test_true_scores.moc"
