// Opening a stored run (Runs > Open) loads the settings it started with into the settings panel, and
// the banner says so; a run the panel cannot take its settings from is said to leave other values.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/config/train_config.h"
#include "core/store/run_store.h"
#include "ui/main_window.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/runs/stored_run_settings.h"
#include "ui/status/run_banner.h"

using namespace iqlui;

class TestStoredRunSettings : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;
  QString db_;
  qint64 plain_ = 0, tuned_ = 0;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    db_ = dir_.filePath("runs.db");
    iql::RunStore store(db_.toStdString());
    iql::TrainConfig cfg;
    cfg.dataset = "pendulum-medium";
    cfg.env = "pendulum";
    cfg.expectile = 0.85;
    cfg.temperature = 7.0;
    cfg.seed = 5;
    cfg.steps = 1234;
    cfg.batch_size = 64;
    iql::RunInfo info;
    info.name = "stored";
    info.status = "finished";
    info.algorithm = "iql";
    info.dataset = cfg.dataset;
    info.env = cfg.env;
    info.config_json = cfg.to_json();
    info.steps = 1234;
    plain_ = store.create_run(info);
    store.append_metrics(plain_, {{100, "v_loss", 0.5}, {200, "v_loss", 0.4}}, 200);
    tuned_ = store.create_run(info);
    store.add_event(tuned_, 100, "hyperparameter", R"({"name":"temperature","old":7,"new":9})");
  }

  void helperReadsTheStartSettings() {
    StoredRunSettings s = storedRunSettings(db_, plain_, QStringLiteral("pendulum-medium"));
    QVERIFY(s.config.has_value());
    QCOMPARE(s.config->expectile, 0.85);
    QCOMPARE(s.config->temperature, 7.0);
    QCOMPARE(s.config->seed, std::uint64_t(5));
    QCOMPARE(s.bannerText, QStringLiteral("settings loaded from run #%1").arg(plain_));
    s = storedRunSettings(db_, tuned_, QStringLiteral("pendulum-medium"));
    QVERIFY2(s.bannerText.contains(QStringLiteral("tuned mid-run")), qPrintable(s.bannerText));
    s = storedRunSettings(db_, plain_, QStringLiteral("hopper-medium-v2"));
    QVERIFY2(s.bannerText.contains(QStringLiteral("its dataset pendulum-medium is not the one loaded")), qPrintable(s.bannerText));
    s = storedRunSettings(db_, 999, QString());
    QVERIFY(!s.config.has_value());
    QVERIFY2(s.bannerText.contains(QStringLiteral("keeps other values")), qPrintable(s.bannerText));
  }

  void openingARunLoadsItsSettings() {
    MainWindow w(db_);
    const iql::TrainConfig before = w.hyperparameterPanel()->config();
    QVERIFY(before.expectile != 0.85 && before.temperature != 7.0);  // the test must see a change
    QSignalSpy replayed(&w, &MainWindow::runReplayed);
    w.openRun(plain_);
    QVERIFY(replayed.wait(30000));
    const iql::TrainConfig after = w.hyperparameterPanel()->config();
    QCOMPARE(after.expectile, 0.85);
    QCOMPARE(after.temperature, 7.0);
    QCOMPARE(after.seed, std::uint64_t(5));
    QCOMPARE(after.batch_size, 64);
    QVERIFY2(w.banner()->text().contains(QStringLiteral("settings loaded from run #%1").arg(plain_)),
             qPrintable(w.banner()->text()));
  }
};

QTEST_MAIN(TestStoredRunSettings)
#include "test_stored_run_settings.moc"
