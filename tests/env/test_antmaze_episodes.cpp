// How many episodes an AntMaze file holds. In D4RL's antmaze data a terminal marks "within reach of
// the goal" on every such row while the episode runs on to its time limit, so only timeouts (and
// breaks in the data) delimit episodes; elsewhere a terminal ends one. A hand-built file of three
// timeout-delimited episodes with goal terminals inside two of them must count three, as the
// dataset panel's summary shows it (load_dataset + inspect_dataset).
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include "core/data/d4rl_hdf5_writer.h"
#include "core/data/dataset_inspector.h"
#include "core/env/dataset_source.h"

using namespace iql;

namespace {

// Episodes of 5, 4 and 6 rows, each ending in a timeout; goal terminals on rows 2, 3, 4 (the first
// episode's last three) and 12, 13 (inside the third); reward 1 on terminal rows. Observations run
// on within an episode (next_observations[i] == observations[i+1]) and jump between episodes.
Dataset threeEpisodes(const std::string& env) {
  Dataset d;
  d.obs_dim = 29;
  d.act_dim = 8;
  const int lengths[] = {5, 4, 6};
  int row = 0;
  for (int e = 0; e < 3; ++e)
    for (int t = 0; t < lengths[e]; ++t, ++row) {
      for (int k = 0; k < d.obs_dim; ++k) {
        d.observations.push_back(100.0f * e + t + 0.01f * k);
        d.next_observations.push_back(100.0f * e + t + 1 + 0.01f * k);
      }
      d.actions.insert(d.actions.end(), d.act_dim, 0.1f);
      const bool goal = row == 2 || row == 3 || row == 4 || row == 12 || row == 13;
      d.terminals.push_back(goal);
      d.rewards.push_back(goal ? 1.0f : 0.0f);
      d.timeouts.push_back(t == lengths[e] - 1);
    }
  d.metadata["env"] = env;
  return d;
}

}  // namespace

class TestAntmazeEpisodes : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  // The rule itself: with terminals ending episodes the same rows split at 2, 3, 4, 8, 12 and 13.
  void timeoutsOnlyIgnoresTerminals() {
    Dataset d = threeEpisodes("antmaze-umaze-v2");
    d.rebuild_episode_index();
    QCOMPARE(d.episode_starts, (std::vector<int64_t>{0, 3, 4, 5, 9, 13, 14}));
    d.rebuild_episode_index(Dataset::EpisodeEnds::TimeoutsOnly);
    QCOMPARE(d.episode_starts, (std::vector<int64_t>{0, 5, 9}));
    QCOMPARE(d.episode_returns(), (std::vector<double>{3.0, 0.0, 2.0}));
  }

  // A file whose name says nothing: the environment comes from its metadata.
  void antmazeFileCountsTimeoutDelimitedEpisodes() {
    const std::string path = dir_.filePath("recorded.hdf5").toStdString();
    write_d4rl_hdf5(threeEpisodes("antmaze-umaze-v2"), path);
    const Dataset d = load_dataset(path);
    QCOMPARE(d.num_episodes(), int64_t(3));
    const DatasetStats s = inspect_dataset(d);
    QCOMPARE(s.transitions, int64_t(15));
    QCOMPARE(s.episodes, int64_t(3));
    QCOMPARE(s.terminals, int64_t(5));
    QCOMPARE(s.timeouts, int64_t(3));
  }

  // Not AntMaze (the metadata names another environment): a terminal still ends its episode.
  void otherEnvironmentsStillEndAtTerminals() {
    const std::string path = dir_.filePath("other.hdf5").toStdString();
    write_d4rl_hdf5(threeEpisodes("hopper-medium-v2"), path);
    QCOMPARE(load_dataset(path).num_episodes(), int64_t(7));
  }
};

QTEST_GUILESS_MAIN(TestAntmazeEpisodes)
#include "test_antmaze_episodes.moc"
