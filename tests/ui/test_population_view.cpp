// The Population tab, offscreen with a real worker thread: vary lists expand to the grid, Train stores
// one run per member linked by a population id, the live plot draws one curve per member, and the
// tau x beta grid fills with the latest scores.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <cmath>
#include <set>

#include "core/store/run_store.h"
#include "ui/plots/metric_plot.h"
#include "ui/session/training_session.h"
#include "ui/population/grid_colour_scale.h"
#include "ui/population/population_view.h"

using namespace iqlui;

class TestPopulationView : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    qputenv("XDG_DATA_HOME", home_.path().toUtf8());
  }

  void badListsDisableTraining() {
    PopulationView v;
    v.setVaryLists("0.5, x", "3", "0");
    QVERIFY(!v.trainButton()->isEnabled());
    v.setVaryLists("0.5, 0.9", "1, 3, 10", "0, 1");
    QString labels;
    for (auto* l : v.findChildren<QLabel*>()) labels += l->text() + " | ";
    QVERIFY2(v.trainButton()->isEnabled(), qPrintable(labels));
    QCOMPARE(v.plannedMembers().size(), size_t(12));
  }

  // Twelve members of one beta (three taus x four seeds): every pair of curve colours stays apart
  // (RGB distance >= 50 of 441), where a colour by beta gave them one hue and seeds one colour.
  void membersWithEqualBetaGetDistinctColours() {
    PopulationView v;
    v.setVaryLists("0.5, 0.7, 0.9", "3", "0, 1, 2, 3");
    const auto members = v.plannedMembers();
    QCOMPARE(members.size(), size_t(12));
    for (size_t a = 0; a < members.size(); ++a)
      for (size_t b = a + 1; b < members.size(); ++b) {
        QCOMPARE(members[a].temperature, members[b].temperature);
        const QColor x = v.memberColor(int(a)), y = v.memberColor(int(b));
        const double d = std::hypot(x.red() - y.red(), x.green() - y.green(), x.blue() - y.blue());
        QVERIFY2(d >= 50, qPrintable(QString("members %1 and %2: %3 vs %4").arg(a).arg(b).arg(x.name(), y.name())));
      }
  }

  void populationDrawsOneCurvePerMemberAndStoresEachRun() {
    PopulationView v;
    v.resize(1100, 700);
    v.show();
    v.setBaseConfigProvider([] {
      iql::TrainConfig c;
      c.dataset = "pendulum-medium";
      c.env = "pendulum";
      c.hidden = 32;
      c.batch_size = 64;
      c.steps = 400;
      c.eval_interval = 200;
      c.eval_episodes = 2;
      c.log_interval = 20;
      c.probe_interval = 0;
      return c;
    });
    const QString db = home_.filePath("pop.db");
    v.setDatabasePath(db);
    v.setVaryLists("0.6, 0.8", "1, 5", "0");
    QSignalSpy done(&v, &PopulationView::populationFinished);
    QSignalSpy failed(&v, &PopulationView::populationFailed);
    QTest::mouseClick(v.trainButton(), Qt::LeftButton);
    QVERIFY(v.session() != nullptr);
    QVERIFY(done.wait(300000) || !failed.isEmpty());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QCOMPARE(done.first().first().toString(), QStringLiteral("finished"));
    v.metricPlot()->flushNow();
    v.scorePlot()->flushNow();
    for (int k = 0; k < 4; ++k) {
      QCOMPARE(v.metricPlot()->pointCount(QStringLiteral("m%1").arg(k)), 20);  // 400 steps / log every 20
      QCOMPARE(v.scorePlot()->pointCount(QStringLiteral("m%1").arg(k)), 2);    // steps 200 and 400
    }
    QCOMPARE(v.metricPlot()->pointCount(QStringLiteral("m4")), 0);
    QCOMPARE(v.grid()->rowCount(), 2);
    QCOMPARE(v.grid()->columnCount(), 2);
    double lo = INFINITY, hi = -INFINITY;
    for (int r = 0; r < 2; ++r)
      for (int c = 0; c < 2; ++c) {
        bool ok = false;
        const double x = v.grid()->item(r, c)->text().toDouble(&ok);
        QVERIFY2(ok, qPrintable(v.grid()->item(r, c)->text()));
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    // the grid says what it shows (pendulum has a D4RL-style normalised score) and its colour key
    // spans the cells (shown to one decimal)
    QVERIFY2(v.gridTitle()->text().contains("Normalised score"), qPrintable(v.gridTitle()->text()));
    QVERIFY(std::abs(v.gridScale()->low() - lo) <= 0.05 + 1e-9);
    QVERIFY(std::abs(v.gridScale()->high() - hi) <= 0.05 + 1e-9);
    if (qEnvironmentVariableIsSet("IQL_SCREENSHOT_DIR"))  // for looking at it: the tab after a population
      v.grab().save(qEnvironmentVariable("IQL_SCREENSHOT_DIR") + "/population-1100x700.png");
    iql::RunStore store(db.toStdString());
    auto runs = store.list_runs();
    QCOMPARE(runs.size(), size_t(4));
    // the status line names the device the members trained on, as the first run stored it
    std::string deviceName;
    for (const auto& e : store.events(runs.front().id))
      if (e.kind == "runtime") deviceName = nlohmann::json::parse(e.payload_json)["device_name"].get<std::string>();
    QVERIFY(!deviceName.empty());
    const QString status = v.statusLabel()->text();
    QVERIFY2(status.contains(QStringLiteral("finished on cpu (%1)").arg(QString::fromStdString(deviceName))), qPrintable(status));
    std::set<std::string> ids;
    for (auto& r : runs) {
      ids.insert(r.population_id);
      QCOMPARE(r.status, std::string("finished"));
      QCOMPARE(r.steps, int64_t(400));
    }
    QCOMPARE(ids.size(), size_t(1));
    QCOMPARE(QString::fromStdString(*ids.begin()), v.session()->populationId());
  }
};

QTEST_MAIN(TestPopulationView)
#include "test_population_view.moc"
