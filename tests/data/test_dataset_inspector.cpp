// inspect_dataset on a hand-made dataset whose statistics are computed by hand below.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include "core/data/dataset_inspector.h"

namespace {

// 5 episodes of lengths 1, 2, 1, 1, 1 (6 rows) with returns 4, 1, 3, 5, 2.
// Rows: r = 4 | 0.5, 0.5 | 3 | 5 | 2; episodes end by terminal, timeout or next-obs mismatch.
iql::Dataset hand_made() {
  iql::Dataset d;
  d.obs_dim = 2;
  d.act_dim = 1;
  d.rewards = {4.f, 0.5f, 0.5f, 3.f, 5.f, 2.f};
  d.observations = {0, 10, 1, 11, 2, 12, 3, -13, 4, 14, 5, 15};
  // row 1 continues into row 2 (next obs == obs[2]); all others break
  d.next_observations = {9, 9, 2, 12, 9, 9, 9, 9, 9, 9, 9, 9};
  d.actions = {-1.f, 0.f, 0.5f, 2.f, -0.5f, 1.f};
  d.terminals = {1, 0, 0, 0, 1, 0};
  d.timeouts = {0, 0, 1, 1, 0, 0};
  d.rebuild_episode_index();
  return d;
}

}  // namespace

class TestDatasetInspector : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void handComputed() {
    const iql::DatasetStats s = iql::inspect_dataset(hand_made());
    QCOMPARE(s.transitions, int64_t(6));
    QCOMPARE(s.episodes, int64_t(5));
    QCOMPARE(s.terminals, int64_t(2));
    QCOMPARE(s.timeouts, int64_t(2));
    QCOMPARE(s.obs_dim, 2);
    QCOMPARE(s.act_dim, 1);
    // returns sorted: 1 2 3 4 5 -> mean 3, population std sqrt(2)
    QCOMPARE(s.return_min, 1.0);
    QCOMPARE(s.return_max, 5.0);
    QCOMPARE(s.return_mean, 3.0);
    QVERIFY(qFuzzyCompare(s.return_std, std::sqrt(2.0)));
    // numpy linear quantiles on [1..5]: position q * 4
    QVERIFY(qFuzzyCompare(s.return_q05, 1.2));
    QCOMPARE(s.return_q25, 2.0);
    QCOMPARE(s.return_q50, 3.0);
    QCOMPARE(s.return_q75, 4.0);
    QVERIFY(qFuzzyCompare(s.return_q95, 4.8));
    QCOMPARE(s.obs_min, (std::vector<float>{0.f, -13.f}));
    QCOMPARE(s.obs_max, (std::vector<float>{5.f, 15.f}));
    QCOMPARE(s.act_min, (std::vector<float>{-1.f}));
    QCOMPARE(s.act_max, (std::vector<float>{2.f}));
    QCOMPARE(s.reward_min, 0.5);
    QCOMPARE(s.reward_max, 5.0);
    QCOMPARE(s.reward_mean, 2.5);
  }

  void sparseSuccessCounts() {
    // AntMaze-like: 7 rows in two trajectories (time-out after row 3); a terminal does not cut a
    // trajectory. Trajectory 1 holds reward-1 rows 1 and 2; trajectory 2 none.
    iql::Dataset d;
    d.obs_dim = 1;
    d.act_dim = 1;
    d.observations = {0, 1, 2, 3, 10, 11, 12};
    d.next_observations = {1, 2, 3, 4, 11, 12, 13};
    d.actions.assign(7, 0.f);
    d.rewards = {0, 1, 1, 0, 0, 0, 0};
    d.terminals = {0, 1, 1, 0, 0, 0, 0};
    d.timeouts = {0, 0, 0, 1, 0, 0, 0};
    d.rebuild_episode_index();
    const auto s = iql::inspect_dataset(d);
    QVERIFY(s.sparse_rewards);
    QCOMPARE(s.success_transitions, int64_t(2));
    QCOMPARE(s.trajectories, int64_t(2));
    QCOMPARE(s.successful_trajectories, int64_t(1));
    QVERIFY(QString::fromStdString(iql::stats_to_text(s)).contains("1 of 2 trajectories"));
    QVERIFY(!iql::inspect_dataset(hand_made()).sparse_rewards);
  }

  void rebuildsMissingIndex() {
    iql::Dataset d = hand_made();
    d.episode_starts.clear();
    QCOMPARE(iql::inspect_dataset(d).episodes, int64_t(5));
  }

  void emptyDataset() {
    iql::Dataset d;
    d.obs_dim = 3;
    d.act_dim = 1;
    const iql::DatasetStats s = iql::inspect_dataset(d);
    QCOMPARE(s.transitions, int64_t(0));
    QCOMPARE(s.episodes, int64_t(0));
    QCOMPARE(s.obs_min.size(), size_t(3));
    QVERIFY(!iql::stats_to_text(s).empty());
  }

  void jsonAndText() {
    const iql::DatasetStats s = iql::inspect_dataset(hand_made());
    const auto j = nlohmann::json::parse(iql::stats_to_json(s));
    QCOMPARE(j.at("transitions").get<int64_t>(), int64_t(6));
    QCOMPARE(j.at("return_q50").get<double>(), 3.0);
    QCOMPARE(j.at("obs_min").get<std::vector<float>>(), s.obs_min);
    QCOMPARE(j.size(), size_t(26));  // 22 + sparse_rewards, success_transitions, trajectories, successful_trajectories
    QCOMPARE(j.at("sparse_rewards").get<bool>(), false);
    const std::string text = iql::stats_to_text(s);
    QVERIFY2(text.find("transitions 6, episodes 5") != std::string::npos, text.c_str());
    QVERIFY2(text.find("mean 3") != std::string::npos, text.c_str());
  }
};

QTEST_GUILESS_MAIN(TestDatasetInspector)
#include "test_dataset_inspector.moc"
