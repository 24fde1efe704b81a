// The workbench remembers its window geometry, its dataset and its sweep folder between starts:
// what one MainWindow had when it closed, the next one restores. Settings live in a temporary
// folder here (QSettings::setPath, QStandardPaths test mode), never in the user's.
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/sweep/synthetic_sweep.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/sweeps/sweeps_view.h"
#include "ui/window_settings.h"

using namespace iqlui;

class TestWindowSettings : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, tmp_.filePath("config"));
    qputenv("XDG_CACHE_HOME", tmp_.filePath("cache").toUtf8());
    QVERIFY(WindowSettings::load().dataset.isEmpty());  // a clean start
  }

  void rememberedAcrossTwoWindows() {
    const QString db = tmp_.filePath("runs.db");
    const QString sweep = tmp_.filePath("sweep");
    iql::SyntheticSweepOptions o;
    o.shards = 2;
    o.steps = 100;
    o.eval_interval = 50;
    iql::make_synthetic_sweep(sweep.toStdString(), o);
    QSize size;
    {
      MainWindow first(db);
      QVERIFY(first.rememberedDataset().isEmpty());
      first.show();
      QVERIFY(QTest::qWaitForWindowExposed(&first));
      QSignalSpy loaded(first.datasetPanel(), &DatasetPanel::datasetChanged);
      first.datasetPanel()->selectDataset("pendulum-expert");
      QVERIFY(loaded.wait(60000));
      QVERIFY(first.sweepsView()->openSweep(sweep));
      first.resize(first.width() - 37, first.height() - 23);  // not the size a new window picks
      QCoreApplication::processEvents();
      size = first.size();
      QVERIFY(first.close());
    }
    QVERIFY(QFile::exists(tmp_.filePath("config/iql-workbench/IQL Workbench.ini")));

    MainWindow second(db);
    QCOMPARE(second.size(), size);
    QCOMPARE(second.rememberedDataset(), QString("pendulum-expert"));
    QCOMPARE(second.sweepsView()->sweepDir(), QDir(sweep).absolutePath());
  }

  // A remembered file that is gone is not offered again (the start-up default is used instead).
  void aVanishedDatasetIsForgotten() {
    WindowSettings w = WindowSettings::load();
    w.dataset = tmp_.filePath("gone.hdf5");
    w.save();
    QCOMPARE(WindowSettings::load().dataset, tmp_.filePath("gone.hdf5"));
    QVERIFY(usableDataset(w.dataset).isEmpty());
    MainWindow window(tmp_.filePath("runs.db"));
    QVERIFY(window.rememberedDataset().isEmpty());
  }
};

QTEST_MAIN(TestWindowSettings)
#include "test_window_settings.moc"
