// `iql runs final-eval` as a real process: a tiny two-member population is trained, then every
// member's last checkpoint is played for a few episodes; the store holds one final_evaluations row per
// member with that episode count, the seed and every return (their mean is return_mean), the returns
// equal `iql eval` of the same checkpoint with the same seed, a run id selects one run, and
// `iql runs stats --eval final` reads the rows. A selector that matches nothing is a clear error.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#include "core/stats/summary_stats.h"
#include "core/store/run_store.h"
#include "tests/app/iql_process.h"

using namespace iql;

namespace {
iql::test::IqlResult run_iql(const QStringList& args, const QString& home) {
  return iql::test::run_iql(args, home, 600000);
}
}  // namespace

class TestRunsFinalEval : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void populationMembersGetOneRowEach() {
    QVERIFY(home_.isValid());
    const QString db = home_.filePath("runs.db");
    auto t = run_iql({"train", "--population", "--dataset", "pendulum-medium", "--env", "pendulum", "--tau", "0.6,0.8",
                      "--hidden", "32", "--batch", "64", "--steps", "200", "--eval-interval", "100", "--eval-episodes",
                      "1", "--probe-interval", "1000", "--log-interval", "50", "--threads", "1", "--db", db, "--json"},
                     home_.path());
    QVERIFY2(t.code == 0, qPrintable(t.err));
    const QString population = QJsonDocument::fromJson(t.out.toUtf8()).object()["population_id"].toString();
    QVERIFY(!population.isEmpty());

    auto f = run_iql({"runs", "final-eval", population, "--db", db, "--episodes", "3", "--seed", "11", "--json"},
                     home_.path());
    QVERIFY2(f.code == 0, qPrintable(f.err));
    const auto outcomes = QJsonDocument::fromJson(f.out.toUtf8()).array();
    QCOMPARE(outcomes.size(), 2);

    RunStore store(db.toStdString(), RunStore::Mode::read_only);
    std::vector<double> first_returns;
    for (const auto& o : outcomes) {
      const auto obj = o.toObject();
      QVERIFY2(!obj.contains("skipped"), qPrintable(obj["skipped"].toString()));
      const auto rows = store.final_evaluations(obj["run_id"].toInteger());
      QCOMPARE(rows.size(), std::size_t(1));
      QCOMPARE(rows[0].episodes, 3);
      QCOMPARE(rows[0].seed, std::int64_t(11));
      QCOMPARE(rows[0].step, std::int64_t(200));
      QCOMPARE(rows[0].returns.size(), std::size_t(3));
      QVERIFY(std::abs(rows[0].return_mean - stats::mean(rows[0].returns)) < 1e-9);
      QVERIFY(rows[0].normalized_score.has_value());  // pendulum has reference scores
      // the same episodes as `iql eval` of that checkpoint with the same seed
      if (first_returns.empty()) {
        first_returns = rows[0].returns;
        auto e = run_iql({"eval", obj["checkpoint"].toString(), "--episodes", "3", "--seed", "11", "--json"}, home_.path());
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const auto returns = QJsonDocument::fromJson(e.out.toUtf8()).object()["returns"].toArray();
        QCOMPARE(returns.size(), 3);
        for (int k = 0; k < 3; ++k) QCOMPARE(returns[k].toDouble(), rows[0].returns[std::size_t(k)]);
      }
    }

    // one run by id, another episode count: a second row beside the first
    const QString run_id = QString::number(outcomes[0].toObject()["run_id"].toInteger());
    auto one = run_iql({"runs", "final-eval", run_id, "--db", db, "--episodes", "2"}, home_.path());
    QVERIFY2(one.code == 0, qPrintable(one.err));
    QVERIFY(one.out.contains("1 of 1 run evaluated over 2 episodes"));
    QCOMPARE(store.final_evaluations(run_id.toLongLong()).size(), std::size_t(2));

    // stats over the final evaluations: both members, the latest row of each
    auto s = run_iql({"runs", "stats", "--db", db, "--eval", "final", "--resamples", "50", "--json"}, home_.path());
    QVERIFY2(s.code == 0, qPrintable(s.err));
    const auto j = QJsonDocument::fromJson(s.out.toUtf8()).object();
    QCOMPARE(j["eval"].toString(), QString("final"));
    QCOMPARE(j["groups"].toArray()[0].toObject()["runs"].toInt(), 2);

    auto bad = run_iql({"runs", "final-eval", "no-such-population", "--db", db}, home_.path());
    QCOMPARE(bad.code, 2);
    QVERIFY(bad.err.contains("'no-such-population' is no run id, population id or sweep id"));
    bad = run_iql({"runs", "final-eval", population, "--db", db, "--episodes", "0"}, home_.path());
    QCOMPARE(bad.code, 2);
  }
};

QTEST_GUILESS_MAIN(TestRunsFinalEval)
#include "test_runs_final_eval.moc"
