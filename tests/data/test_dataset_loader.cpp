// detect_format / read_dataset_file: each format recognised by content (extensions lie), and an
// unknown file rejected with a DataError naming it.
#include <QtTest/QtTest>

#include <fstream>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/dataset_loader.h"
#include "core/data/minari_reader.h"
#include "core/util/errors.h"

using iql::DataError;
using iql::DatasetFormat;

class TestDatasetLoader : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

  void expect_error(const std::string& file, const std::string& also) {
    try {
      iql::detect_format(file);
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      QCOMPARE(e.file(), file);
      QVERIFY2(std::string(e.what()).find(also) != std::string::npos, e.what());
    }
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void detectsEachFormat() {
    const std::string h5 = IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5";
    const std::string npz = IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.npz";
    QCOMPARE(iql::detect_format(h5), DatasetFormat::D4rlHdf5);
    QCOMPARE(iql::detect_format(npz), DatasetFormat::Npz);
    // content, not extension: a renamed npz is still an npz
    QVERIFY(QFile::copy(QString::fromStdString(npz), dir_.filePath("rollouts.hdf5")));
    QCOMPARE(iql::detect_format(path("rollouts.hdf5")), DatasetFormat::Npz);

    const iql::Dataset d = iql::read_d4rl_hdf5(h5);
    iql::write_minari(d, path("pendulum"));
    QCOMPARE(iql::detect_format(path("pendulum")), DatasetFormat::Minari);
    QCOMPARE(iql::detect_format(path("pendulum/data/main_data.hdf5")), DatasetFormat::Minari);

    // every format loads to the same transitions
    const iql::Dataset a = iql::read_dataset_file(npz);
    const iql::Dataset b = iql::read_dataset_file(path("pendulum"));
    const iql::Dataset c = iql::read_dataset_file(h5);
    for (const iql::Dataset* x : {&a, &b}) {
      QCOMPARE(x->observations, c.observations);
      QCOMPARE(x->next_observations, c.next_observations);
      QCOMPARE(x->actions, c.actions);
      QCOMPARE(x->rewards, c.rewards);
      QCOMPARE(x->terminals, c.terminals);
      QCOMPARE(x->timeouts, c.timeouts);
    }
    QCOMPARE(std::string(iql::format_name(DatasetFormat::Minari)), std::string("Minari"));
  }

  void unknownFile() {
    std::ofstream(path("notes.txt")) << "observations,actions\n1,2\n";
    expect_error(path("notes.txt"), "unrecognised dataset format");
    std::ofstream(path("empty.bin")).flush();
    expect_error(path("empty.bin"), "expected a D4RL HDF5 file");
    expect_error(path("missing.hdf5"), "does not exist");
    try {
      iql::read_dataset_file(path("notes.txt"));
      QFAIL("expected DataError");
    } catch (const DataError& e) {
      QCOMPARE(e.file(), path("notes.txt"));
    }
  }
};

QTEST_GUILESS_MAIN(TestDatasetLoader)
#include "test_dataset_loader.moc"
