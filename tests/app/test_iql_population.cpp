// `iql train --population` as a real process: P members stored as P runs linked by one population id,
// and a SIGKILLed population resumed from its members' checkpoints ends with exactly the metrics and
// evaluations of an uninterrupted one.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <set>

#include "core/store/run_store.h"

using namespace iql;

namespace {
const QStringList kPopulation = {"train", "--population", "--dataset", "pendulum-medium", "--env", "pendulum",
                                 "--tau", "0.6,0.8", "--beta", "1,5", "--seed", "3", "--hidden", "32",
                                 "--batch", "64", "--steps", "3000", "--eval-interval", "1000",
                                 "--eval-episodes", "2", "--checkpoint-interval", "500", "--probe-interval", "1000",
                                 "--log-interval", "50", "--threads", "2"};

QProcessEnvironment env_for(const QString& home) {
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("XDG_DATA_HOME", home);
  return env;
}

std::vector<RunInfo> population_runs(const QString& db) {
  RunStore store(db.toStdString());
  std::vector<RunInfo> out;
  for (auto& r : store.list_runs())
    if (!r.population_id.empty()) out.push_back(r);
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.population_member < b.population_member; });
  return out;
}

// Every stored metric of a run at steps above `from`, keyed by (key, step).
std::map<std::pair<std::string, int64_t>, double> metrics_after(const QString& db, int64_t run, int64_t from) {
  RunStore store(db.toStdString());
  std::map<std::pair<std::string, int64_t>, double> out;
  for (const auto& p : store.metrics(run))
    if (p.step > from) out[{p.key, p.step}] = p.value;
  return out;
}
}  // namespace

class TestIqlPopulation : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void initTestCase() { QVERIFY(home_.isValid()); }

  void populationStoresOneRunPerMember() {
    const QString db = home_.filePath("a.db");
    QProcess p;
    p.setProcessEnvironment(env_for(home_.path()));
    p.start(IQL_CLI_PATH, kPopulation + QStringList{"--db", db, "--json"});
    QVERIFY(p.waitForFinished(600000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto j = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(j["members"].toArray().size(), 4);
    QCOMPARE(j["steps"].toInt(), 3000);
    const auto runs = population_runs(db);
    QCOMPARE(runs.size(), size_t(4));
    std::set<std::pair<double, double>> grid;
    RunStore store(db.toStdString());
    for (size_t k = 0; k < runs.size(); ++k) {
      QCOMPARE(runs[k].population_id, j["population_id"].toString().toStdString());
      QCOMPARE(*runs[k].population_member, int64_t(k));
      QCOMPARE(runs[k].status, std::string("finished"));
      QCOMPARE(runs[k].steps, int64_t(3000));
      auto cfg = QJsonDocument::fromJson(QByteArray::fromStdString(runs[k].config_json)).object();
      grid.insert({cfg["expectile"].toDouble(), cfg["temperature"].toDouble()});
      QCOMPARE(store.checkpoints(runs[k].id).size(), size_t(6));  // 500, 1000, ..., 3000
      QCOMPARE(store.evaluations(runs[k].id).size(), size_t(3));  // 1000, 2000, 3000
      QVERIFY(!store.metric_series(runs[k].id, "v_loss").empty());
    }
    const std::set<std::pair<double, double>> expected = {{0.6, 1}, {0.6, 5}, {0.8, 1}, {0.8, 5}};
    QVERIFY(grid == expected);
  }

  void killedPopulationResumesIdentically() {
    const QString a = home_.filePath("a.db"), b = home_.filePath("b.db");
    QProcess p;
    p.setProcessEnvironment(env_for(home_.path()));
    p.start(IQL_CLI_PATH, kPopulation + QStringList{"--db", b});
    QVERIFY(p.waitForStarted());
    // Kill once every member has its step-1000 checkpoint (polled, the process writes the store).
    auto all_have = [&](int64_t step) {
      if (!QFile::exists(b)) return false;
      auto runs = population_runs(b);
      if (runs.size() != 4) return false;
      RunStore store(b.toStdString());
      for (auto& r : runs) {
        bool found = false;
        for (auto& c : store.checkpoints(r.id)) found = found || c.step == step;
        if (!found) return false;
      }
      return true;
    };
    // Stop polling if the process ended: its stderr says why, instead of a silent timeout.
    QTRY_VERIFY_WITH_TIMEOUT(all_have(1000) || p.state() != QProcess::Running, 240000);
    QVERIFY2(p.state() == QProcess::Running,  // killed mid-run, not after it ended
             qPrintable("the population ended before every member's step-1000 checkpoint: " +
                        QString::fromUtf8(p.readAllStandardError())));
    QVERIFY(all_have(1000));
    p.kill();
    QVERIFY(p.waitForFinished());
    QVERIFY(!all_have(3000));
    const auto runs_b = population_runs(b);
    {  // what a killed process can leave beyond its last checkpoint: an evaluation no checkpoint covers
      RunStore store(b.toStdString());
      for (auto& run : runs_b) store.add_evaluation(run.id, {2999, -1.0, 0.0, std::nullopt, 2});
    }
    QProcess r;
    r.setProcessEnvironment(env_for(home_.path()));
    r.start(IQL_CLI_PATH, {"train", "--resume-population", QString::fromStdString(runs_b[0].population_id), "--db", b});
    QVERIFY(r.waitForFinished(600000));
    QVERIFY2(r.exitCode() == 0, r.readAllStandardError().constData());
    const auto runs_a = population_runs(a);
    QCOMPARE(runs_a.size(), size_t(4));
    RunStore sa(a.toStdString()), sb(b.toStdString());
    for (size_t k = 0; k < 4; ++k) {
      QCOMPARE(population_runs(b)[k].status, std::string("finished"));
      const auto ma = metrics_after(a, runs_a[k].id, 1000), mb = metrics_after(b, runs_b[k].id, 1000);
      QVERIFY(ma.size() > 100);
      QCOMPARE(mb.size(), ma.size());
      for (auto& [key, v] : ma)
        if (!(mb.at(key) == v))
          QFAIL(qPrintable(QString("member %1 %2 at step %3: resumed %4 vs uninterrupted %5")
                               .arg(k).arg(QString::fromStdString(key.first)).arg(key.second)
                               .arg(mb.at(key), 0, 'g', 17).arg(v, 0, 'g', 17)));
      // Evaluations too: one row per step (what the killed process stored after its checkpoint was
      // forgotten on resume and recorded again), each equal to the uninterrupted run's.
      const auto ea = sa.evaluations(runs_a[k].id), eb = sb.evaluations(runs_b[k].id);
      QCOMPARE(eb.size(), ea.size());
      for (size_t i = 0; i < ea.size(); ++i) {
        QCOMPARE(eb[i].step, ea[i].step);
        QCOMPARE(eb[i].return_mean, ea[i].return_mean);
      }
      QCOMPARE(eb.back().step, int64_t(3000));
    }
    // Resuming a finished population trains nothing and stores nothing new.
    const auto before = sb.evaluations(runs_b[0].id).size();
    QProcess again;
    again.setProcessEnvironment(env_for(home_.path()));
    again.start(IQL_CLI_PATH, {"train", "--resume-population", QString::fromStdString(runs_b[0].population_id), "--db", b});
    QVERIFY(again.waitForFinished(120000));
    QCOMPARE(again.exitCode(), 0);
    QVERIFY(QString::fromUtf8(again.readAllStandardOutput()).contains("nothing to train"));
    QCOMPARE(sb.evaluations(runs_b[0].id).size(), before);
  }
};

QTEST_GUILESS_MAIN(TestIqlPopulation)
#include "test_iql_population.moc"
