// The dataset panel offers the maze view for AntMaze data whatever the file is called: it decides
// from the environment detected in the file (iql::guess_env: its metadata), not from the name. A
// Pendulum file named "antmaze-…" gets no maze view.
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/data/d4rl_hdf5_writer.h"
#include "core/env/dataset_source.h"
#include "core/train/antmaze_generator.h"
#include "ui/panels/dataset_panel.h"

using iqlui::DatasetPanel;

class TestDatasetMazeOffer : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

  // Loads path into a fresh panel; whether its maze button is shown, and the detected environment.
  static std::pair<bool, QString> offered(const QString& path) {
    DatasetPanel panel;
    QSignalSpy loaded(&panel, &DatasetPanel::datasetChanged);
    QSignalSpy failed(&panel, &DatasetPanel::loadFailed);
    panel.selectDataset(path);
    if (!loaded.wait(60000)) return {false, QStringLiteral("not loaded: ") + panel.errorText()};
    auto* maze = panel.findChild<QPushButton*>(QStringLiteral("mazeView"));
    return {maze && !maze->isHidden(), panel.summary().env};
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    qputenv("XDG_DATA_HOME", tmp_.filePath("xdg").toUtf8());
  }

  void antMazeFileWithANeutralName() {
    iql::AntMazeGenOptions g;
    g.transitions = 2000;
    g.seed = 3;
    const QString path = tmp_.filePath("data.hdf5");
    iql::write_antmaze_hdf5(iql::generate_antmaze(g), path.toStdString());
    const auto [shown, env] = offered(path);
    QCOMPARE(env, QStringLiteral("antmaze-umaze"));
    QVERIFY2(shown, "the maze view is offered for AntMaze data named data.hdf5");
  }

  void pendulumFileNamedLikeAntMaze() {
    const QString path = tmp_.filePath("antmaze-umaze-copy.hdf5");
    iql::write_d4rl_hdf5(iql::load_dataset("pendulum-medium"), path.toStdString());
    const auto [shown, env] = offered(path);
    QCOMPARE(env, QStringLiteral("pendulum"));
    QVERIFY2(!shown, "no maze view for Pendulum data, whatever its name");
  }
};

QTEST_MAIN(TestDatasetMazeOffer)
#include "test_dataset_maze_offer.moc"
