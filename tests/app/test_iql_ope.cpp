// `iql ope` as a real process on a tiny stored population (2 IQL members on pendulum-medium, trained
// here): every member gets the four estimates, they are stored in ope_estimates at the checkpoint's
// step, the selection statistics use the stored evaluations as truth (saying so), and targets that
// do not exist fail with a usage error.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

#include "core/store/run_store.h"

using namespace iql;

namespace {
QProcessEnvironment env_for(const QString& home) {
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("XDG_DATA_HOME", home);
  return env;
}

struct Result {
  int code;
  QByteArray out, err;
};
Result run_iql(const QString& home, const QStringList& args) {
  QProcess p;
  p.setProcessEnvironment(env_for(home));
  p.start(IQL_CLI_PATH, args);
  if (!p.waitForFinished(600000)) return {-1, {}, "timed out"};
  return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}
}  // namespace

class TestIqlOpe : public QObject {
  Q_OBJECT
  QTemporaryDir home_;
  QString db_, population_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    db_ = home_.filePath("ope.db");
    auto r = run_iql(home_.path(), {"train", "--population", "--dataset", "pendulum-medium", "--env", "pendulum",
                                    "--tau", "0.6,0.8", "--beta", "1", "--hidden", "32", "--batch", "64", "--steps",
                                    "600", "--eval-interval", "600", "--eval-episodes", "2", "--probe-interval", "0",
                                    "--threads", "2", "--db", db_, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    population_ = QJsonDocument::fromJson(r.out).object()["population_id"].toString();
    QVERIFY(!population_.isEmpty());
  }

  void estimatesEveryMemberAndStoresThem() {
    auto r = run_iql(home_.path(), {"ope", population_, "--db", db_, "--steps", "400", "--hidden", "32", "--batch",
                                    "64", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const auto j = QJsonDocument::fromJson(r.out).object();
    const auto members = j["members"].toArray();
    QCOMPARE(members.size(), 2);
    QVERIFY(j["transitions"].toInteger() > 0);
    QVERIFY(j["initial_states"].toInteger() > 0);
    QCOMPARE(j["fqe"].toObject()["transitions_trained"].toInteger(), qint64(400 * 64 * 2));
    RunStore store(db_.toStdString(), RunStore::Mode::read_only);
    const std::set<std::string> methods{"critic_q_s0", "critic_td_error", "critic_v_s0", "fqe"};
    for (const auto& mv : members) {
      const auto m = mv.toObject();
      QCOMPARE(m["step"].toInteger(), qint64(600));
      const auto est = m["estimates"].toObject();
      std::set<std::string> got;
      for (const auto& k : est.keys()) got.insert(k.toStdString());
      QVERIFY(got == methods);
      QVERIFY(est["critic_td_error"].toObject()["value"].toDouble() >= 0.0);
      QVERIFY(est["fqe"].toObject().contains("normalized_score"));  // pendulum has reference returns
      // the truth is the stored periodic evaluation (no final evaluation here), and says so
      QVERIFY(m["true"].toObject()["source"].toString().startsWith("last evaluation, 2 episodes"));
      const auto rows = store.ope_estimates(m["run_id"].toInteger());
      QCOMPARE(rows.size(), size_t(4));
      std::set<std::string> stored;
      for (const auto& row : rows) {
        QCOMPARE(row.step, int64_t(600));
        stored.insert(row.method);
        QVERIFY(!QJsonDocument::fromJson(QByteArray::fromStdString(row.details_json)).isNull());
        if (row.method == "fqe")
          QCOMPARE(row.value, est["fqe"].toObject()["value"].toDouble());
      }
      QVERIFY(stored == methods);
    }
    const auto sel = j["selection"].toArray();
    QCOMPARE(sel.size(), 4);
    for (const auto& s : sel) QCOMPARE(s.toObject()["members"].toInt(), 2);
  }

  void criticOnlyNeedsNoFqe() {
    auto r = run_iql(home_.path(), {"ope", population_, "--db", db_, "--method", "critic", "--no-store"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(r.out.contains("spearman"));
    QVERIFY(!r.out.contains("FQE:"));
  }

  // A sweep id (runs tagged sweep=ID, as iql sweep tags them) selects its runs; here both members,
  // which share one dataset, so one group of two.
  void sweepIdSelectsItsRuns() {
    {
      iql::RunStore store(db_.toStdString());
      for (const auto& run : store.list_runs())
        if (run.population_id == population_.toStdString()) store.set_tags(run.id, {"sweep=s-ope-test"});
    }
    auto r = run_iql(home_.path(), {"ope", "s-ope-test", "--db", db_, "--method", "critic", "--no-store", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const auto j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j["members"].toArray().size(), 2);
  }

  void unknownTargetsFail() {
    auto r = run_iql(home_.path(), {"ope", "pop-nonexistent", "--db", db_});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("is no run id, population id or sweep id"));
    r = run_iql(home_.path(), {"ope", "999", "--db", db_});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("no run 999"));
  }
};

QTEST_GUILESS_MAIN(TestIqlOpe)
#include "test_iql_ope.moc"
