// Datasets that just work: a Hopper file recorded under the newer MuJoCo bindings (gymnasium-v4) whose
// actions partly lie outside [-1, 1] loads with a warning giving the fraction of rows that will be
// clipped, selects hopper and shows the detected physics (evidence in the tooltip); a short training
// run with physics "auto" then trains (instead of failing on the bounds), uses gymnasium-v4 and
// stores both facts as events of the run.
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <random>

#include "core/data/d4rl_hdf5_writer.h"
#include "core/env/env_registry.h"
#include "core/store/run_store.h"
#include "core/train/run_control.h"
#include "core/train/training_run.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"

using namespace iqlui;

namespace {
// 400 transitions of gentle random actions; every 4th row's first action is 2.12 (outside the bounds).
iql::Dataset recordHopper(const std::string& physics) {
  auto env = iql::make_env("hopper", physics);
  iql::Dataset d;
  d.source = "hopper-" + physics;
  d.obs_dim = env->obs_dim();
  d.act_dim = env->act_dim();
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<float> u(-0.3f, 0.3f);
  auto obs = env->reset(1);
  for (int i = 0; i < 400; ++i) {
    std::vector<float> a(d.act_dim);
    for (auto& v : a) v = u(rng);
    if (i % 4 == 0) a[0] = 2.12f;
    auto r = env->step(a);
    d.observations.insert(d.observations.end(), obs.begin(), obs.end());
    d.actions.insert(d.actions.end(), a.begin(), a.end());
    d.next_observations.insert(d.next_observations.end(), r.observation.begin(), r.observation.end());
    d.rewards.push_back(static_cast<float>(r.reward));
    d.terminals.push_back(r.terminal);
    d.timeouts.push_back(r.timeout);
    obs = (r.terminal || r.timeout) ? env->reset() : r.observation;
  }
  return d;
}
}  // namespace

class TestDatasetChecks : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void clipWarningAndPhysicsAtLoad() {
    QTemporaryDir dir;
    const QString file = dir.filePath("hopper-newbindings-random.hdf5");
    iql::write_d4rl_hdf5(recordHopper("gymnasium-v4"), file.toStdString());

    const QString db = dir.filePath("runs.db");
    MainWindow w(db);
    QSignalSpy loaded(w.datasetPanel(), &DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset(file);
    QVERIFY(loaded.wait(60000));
    const DatasetSummary& s = w.datasetPanel()->summary();
    QCOMPARE(s.env, QString("hopper"));
    QCOMPARE(s.clipFraction, 0.25);
    const QString warning = w.datasetPanel()->warningText();
    QVERIFY2(warning.contains("25% of rows (100 of 400)") && warning.contains("clipped"), qPrintable(warning));
    QCOMPARE(s.physics, QString("gymnasium-v4"));
    QVERIFY(s.physicsReproduced);
    QVERIFY2(w.datasetPanel()->physicsText().contains("gymnasium-v4 reproduces the data"),
             qPrintable(w.datasetPanel()->physicsText()));
    // The form follows: hopper selected, physics left on auto and saying what it found.
    const iql::TrainConfig cfg = w.hyperparameterPanel()->config();
    QCOMPARE(QString::fromStdString(cfg.env), QString("hopper"));
    QCOMPARE(QString::fromStdString(cfg.physics), QString("auto"));
    auto* physics = w.hyperparameterPanel()->findChild<QComboBox*>("physics");
    QVERIFY(physics);
    QCOMPARE(physics->itemText(0), QString("auto (gymnasium-v4)"));

    // Training with physics auto clips, detects and records both in the run.
    iql::TrainConfig c = cfg;
    c.dataset = file.toStdString();
    c.steps = 20;
    c.hidden = 32;
    c.batch_size = 32;
    c.eval_interval = 0;
    c.eval_episodes = 1;
    c.probe_interval = 0;
    c.log_interval = 10;
    iql::RunOptions opt;
    opt.db_path = db.toStdString();
    iql::RunControl control;
    const iql::RunOutcome out = iql::run_training(c, opt, control, {});
    QCOMPARE(QString::fromStdString(out.status), QString("finished"));
    iql::RunStore store(db.toStdString());
    QCOMPARE(QString::fromStdString(store.get_run(out.run_id)->physics), QString("gymnasium-v4"));
    bool sawClip = false, sawPhysics = false;
    for (const auto& e : store.events(out.run_id)) {
      const QJsonObject p = QJsonDocument::fromJson(QByteArray::fromStdString(e.payload_json)).object();
      if (e.kind == "actions_clipped") {
        sawClip = true;
        QCOMPARE(p.value("fraction").toDouble(), 0.25);
        QCOMPARE(p.value("rows_clipped").toInt(), 100);
      }
      if (e.kind == "physics_detected") {
        sawPhysics = true;
        QCOMPARE(p.value("chosen").toString(), QString("gymnasium-v4"));
      }
    }
    QVERIFY(sawClip);
    QVERIFY(sawPhysics);
  }
};

QTEST_MAIN(TestDatasetChecks)
#include "test_dataset_checks.moc"
