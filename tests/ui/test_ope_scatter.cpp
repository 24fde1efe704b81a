// The offline-estimate scatter on a real run store: one point per member at (estimate, true score),
// the true score from the final evaluation, and Spearman's rho and regret@1 in the caption equal to
// values worked out by hand; members without true scores are ranked by the estimate instead.
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <QComboBox>
#include <QLabel>
#include <QTableWidget>

#include "core/config/train_config.h"
#include "core/store/run_store.h"
#include "ui/plots/qcp.h"
#include "ui/population/ope_scatter.h"
#include "ui/population/population_view.h"

using iqlui::OpeScatter;

namespace {

qint64 addMember(iql::RunStore& store, int k, double tau) {
  iql::TrainConfig cfg;
  cfg.dataset = "hopper-medium-replay";
  cfg.env = "hopper";
  cfg.expectile = tau;
  cfg.temperature = 3.0;
  iql::RunInfo info;
  info.name = "member " + std::to_string(k);
  info.status = "finished";
  info.algorithm = "iql";
  info.dataset = cfg.dataset;
  info.env = cfg.env;
  info.config_json = cfg.to_json();
  info.population_id = "pop";
  info.population_member = k;
  return store.create_run(info);
}

void addEstimate(iql::RunStore& store, qint64 id, const std::string& method, double normalised) {
  iql::OpeEstimateRecord e;
  e.step = 1000;
  e.method = method;
  e.value = 10.0 * normalised;  // return scale
  e.normalized_score = normalised;
  store.add_ope_estimate(id, e);
}

}  // namespace

class TestOpeScatter : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private Q_SLOTS:
  void scatterAndCaptionMatchHandComputedStatistics() {
    QVERIFY(dir_.isValid());
    auto store = std::make_shared<iql::RunStore>(dir_.filePath("pop.db").toStdString());
    const double estimates[] = {10, 20, 30, 40, 50};
    const double truths[] = {15, 12, 40, 60, 35};
    QList<qint64> ids;
    for (int k = 0; k < 5; ++k) {
      const qint64 id = addMember(*store, k, 0.5 + 0.1 * k);
      ids << id;
      addEstimate(*store, id, "fqe", estimates[k]);
      store->add_evaluation(id, {1000, 0.0, 1.0, truths[k] - 5.0, 10});  // the final evaluation wins over it
      iql::FinalEvaluationRecord f;
      f.step = 1000;
      f.episodes = 100;
      f.normalized_score = truths[k];
      f.return_mean = 10.0 * truths[k];
      store->add_final_evaluation(id, f);
    }
    ids << addMember(*store, 5, 0.95);  // no estimate: not a point

    OpeScatter scatter;
    scatter.resize(700, 450);
    scatter.setStore(store);
    scatter.setRuns(ids);
    QVERIFY(scatter.hasEstimates());
    QCOMPARE(scatter.currentMethod(), QString("fqe"));
    QVERIFY(scatter.showsScatter());
    QVERIFY(scatter.estimateNormalised() && scatter.truthNormalised());
    auto data = scatter.plot()->graph(0)->data();
    QCOMPARE(data->size(), 5);
    for (int k = 0; k < 5; ++k) {  // sorted by key: the estimates are ascending
      QCOMPARE(data->at(k)->key, estimates[k]);
      QCOMPARE(data->at(k)->value, truths[k]);
    }
    // ranks by estimate 1 2 3 4 5, by truth 2 1 4 5 3: d = -1 1 -1 -1 2, sum d^2 = 8,
    // rho = 1 - 6 * 8 / (5 * 24) = 0.6. The top estimate (50) has truth 35, the best truth is 60:
    // regret@1 = 25; the top three by estimate (50, 40, 30) include the 60: regret@3 = 0.
    QCOMPARE(scatter.selection().spearman.point, 0.6);
    QCOMPARE(scatter.selection().regret_at_1.point, 25.0);
    QCOMPARE(scatter.selection().regret_at_3.point + 1.0, 1.0);
    const QString caption = scatter.caption()->text();
    QVERIFY2(caption.contains("Spearman ρ 0.60 ["), qPrintable(caption));
    QVERIFY2(caption.contains("regret@1 25.00 ["), qPrintable(caption));
    QVERIFY2(caption.contains("regret@3 0.00 ["), qPrintable(caption));
    QVERIFY2(caption.contains("final evaluation (100 episodes)"), qPrintable(caption));
    QVERIFY2(caption.contains("5 members"), qPrintable(caption));
    QVERIFY2(caption.contains("2,000 resamples") || caption.contains("2000 resamples"), qPrintable(caption));

    // IQL_UI_SHOTS=DIR: the scatter as a user sees it in the Population tab at 1100x700 and 1600x1000
    const QString shots = qEnvironmentVariable("IQL_UI_SHOTS");
    if (shots.isEmpty()) return;
    iqlui::PopulationView view;
    view.showOfflineEstimates(dir_.filePath("pop.db"), QVector<qint64>(ids.begin(), ids.end()));
    QVERIFY(view.opeScatter()->isVisibleTo(&view));
    view.show();
    for (const QSize& size : {QSize(1100 - 330, 700 - 60), QSize(1600 - 330, 1000 - 60)}) {  // less the side panels
      view.resize(size);
      QTest::qWait(200);
      QVERIFY(view.grab().save(QStringLiteral("%1/ope_population_%2.png").arg(shots).arg(size.width())));
    }
  }

  void withoutTrueScoresMembersAreRankedByTheEstimate() {
    auto store = std::make_shared<iql::RunStore>(dir_.filePath("untested.db").toStdString());
    QList<qint64> ids;
    const double estimates[] = {30, 70, 50};
    for (int k = 0; k < 3; ++k) {
      ids << addMember(*store, k, 0.7);
      addEstimate(*store, ids.back(), "fqe", estimates[k]);
      addEstimate(*store, ids.back(), "critic_td_error", estimates[k] / 10.0);
    }
    OpeScatter scatter;
    scatter.setStore(store);
    scatter.setRuns(ids);
    QCOMPARE(scatter.methods(), (QStringList{"fqe", "critic_td_error"}));
    QVERIFY(!scatter.showsScatter());
    QTableWidget* r = scatter.ranking();
    QCOMPARE(r->rowCount(), 3);
    QVERIFY(r->item(0, 1)->text().startsWith(QStringLiteral("#%1").arg(ids[1])));  // 70 first
    QVERIFY(r->item(1, 1)->text().startsWith(QStringLiteral("#%1").arg(ids[2])));
    QVERIFY(r->item(2, 1)->text().startsWith(QStringLiteral("#%1").arg(ids[0])));
    QVERIFY2(scatter.caption()->text().contains("No true scores"), qPrintable(scatter.caption()->text()));
    // an error ranks lowest first
    scatter.setMethod("critic_td_error");
    QVERIFY(r->item(0, 1)->text().startsWith(QStringLiteral("#%1").arg(ids[0])));
    QVERIFY2(scatter.caption()->text().contains("lower first"), qPrintable(scatter.caption()->text()));
  }
};

QTEST_MAIN(TestOpeScatter)
#include "test_ope_scatter.moc"
