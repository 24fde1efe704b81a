// write_d4rl_hdf5: round trip through read_d4rl_hdf5, metadata, and the write-tmp-then-rename rule.
#include <QtTest/QtTest>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/d4rl_hdf5_writer.h"
#include "core/util/errors.h"

namespace {

// Two episodes: rows 0-2 end in a timeout, rows 3-5 end in a terminal.
iql::Dataset small_dataset() {
  iql::Dataset d;
  d.source = "test";
  d.obs_dim = 2;
  d.act_dim = 1;
  const int n = 6;
  for (int i = 0; i < n; ++i) {
    d.observations.push_back(float(i));
    d.observations.push_back(float(-i) * 0.5f);
    const int nx = (i == 2 || i == 5) ? 100 + i : i + 1;  // episode ends: next obs is not the next row
    d.next_observations.push_back(float(nx));
    d.next_observations.push_back(float(-nx) * 0.5f);
    d.actions.push_back(0.1f * i);
    d.rewards.push_back(1.0f + i);
    d.terminals.push_back(i == 5);
    d.timeouts.push_back(i == 2);
  }
  d.rebuild_episode_index();
  return d;
}

}  // namespace

class TestD4rlHdf5Writer : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void roundTrip() {
    const iql::Dataset d = small_dataset();
    iql::write_d4rl_hdf5(d, path("rt.hdf5"));
    const iql::Dataset r = iql::read_d4rl_hdf5(path("rt.hdf5"));
    QCOMPARE(r.obs_dim, d.obs_dim);
    QCOMPARE(r.act_dim, d.act_dim);
    QCOMPARE(r.observations, d.observations);
    QCOMPARE(r.next_observations, d.next_observations);
    QCOMPARE(r.actions, d.actions);
    QCOMPARE(r.rewards, d.rewards);
    QCOMPARE(r.terminals, d.terminals);
    QCOMPARE(r.timeouts, d.timeouts);
    QCOMPARE(r.episode_starts, d.episode_starts);
    QVERIFY(r.metadata.empty());
  }

  void fixtureRoundTrip() {
    const iql::Dataset d = iql::read_d4rl_hdf5(IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5");
    iql::write_d4rl_hdf5(d, path("pendulum.hdf5"));
    const iql::Dataset r = iql::read_d4rl_hdf5(path("pendulum.hdf5"));
    QCOMPARE(r.observations, d.observations);
    QCOMPARE(r.rewards, d.rewards);
    QCOMPARE(r.timeouts, d.timeouts);
    QCOMPARE(r.num_episodes(), d.num_episodes());
  }

  void metadataRoundTrip() {
    iql::Dataset d = small_dataset();
    d.metadata = {{"generator", "iql-workbench 0.1"}, {"env", "Pendulum-v1"}, {"seed", "42"},
                  {"policy/name", "expert"}, {"note", "unicode: \xC3\xA9t\xC3\xA9"}};
    iql::write_d4rl_hdf5(d, path("meta.hdf5"));
    const iql::Dataset r = iql::read_d4rl_hdf5(path("meta.hdf5"));
    QCOMPARE(r.metadata, d.metadata);
  }

  void writesViaTmpThenRename() {
    const std::string p = path("atomic.hdf5");
    // each write uses its own temporary name (concurrent writers never share one), so another
    // writer's temporary file, here a stale one from a crash, is neither reused nor in the way
    QFile stale(QString::fromStdString(p + ".tmp"));
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write("junk");
    stale.close();
    iql::write_d4rl_hdf5(small_dataset(), p);
    QVERIFY(QFile::exists(QString::fromStdString(p)));
    QCOMPARE(QDir(dir_.path()).entryList({"atomic.hdf5.tmp*"}, QDir::Files), QStringList{"atomic.hdf5.tmp"});
    QFile::remove(QString::fromStdString(p + ".tmp"));

    // a failed write (invalid data) leaves the existing file untouched and no tmp behind
    QFile before(QString::fromStdString(p));
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray old_bytes = before.readAll();
    before.close();
    iql::Dataset bad = small_dataset();
    bad.rewards[1] = std::numeric_limits<float>::quiet_NaN();
    QVERIFY_EXCEPTION_THROWN(iql::write_d4rl_hdf5(bad, p), iql::DataError);
    QFile after(QString::fromStdString(p));
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), old_bytes);
    QVERIFY(QDir(dir_.path()).entryList({"atomic.hdf5.tmp*"}, QDir::Files).isEmpty());

    // a failure inside HDF5 (metadata key clash: "a" is a string, "a/b" needs it as a group)
    iql::Dataset clash = small_dataset();
    clash.metadata = {{"a", "1"}, {"a/b", "2"}};
    QVERIFY_EXCEPTION_THROWN(iql::write_d4rl_hdf5(clash, p), iql::DataError);
    QVERIFY(QDir(dir_.path()).entryList({"atomic.hdf5.tmp*"}, QDir::Files).isEmpty());
    QFile still(QString::fromStdString(p));
    QVERIFY(still.open(QIODevice::ReadOnly));
    QCOMPARE(still.readAll(), old_bytes);
  }

  void unwritableDirectory() {
    const std::string p = path("no/such/dir/out.hdf5");
    try {
      iql::write_d4rl_hdf5(small_dataset(), p);
      QFAIL("expected DataError");
    } catch (const iql::DataError& e) {
      QCOMPARE(e.file(), p);
    }
  }
};

QTEST_GUILESS_MAIN(TestD4rlHdf5Writer)
#include "test_d4rl_hdf5_writer.moc"
