// ReplayBuffer (the online phase's and the SAC generator's ring of transitions): rows fill in order,
// a full buffer overwrites its oldest row first, ages map to rows as the ring wraps, to_dataset gives
// the survivors oldest first with their episode split, and sampled indices stay in the live rows and
// repeat for one seed. Transition i is built from i alone so every stored value can be checked.
#include <QtTest/QtTest>

#include <random>
#include <set>
#include <stdexcept>

#include "core/data/replay_buffer.h"
#include "core/util/errors.h"

using namespace iql;

namespace {

// Transition i: obs (i, -i), action 10 i, reward i, next obs (i + 1, -i - 1), terminal at i = 1,
// timeout at i = 3.
void add_transition(ReplayBuffer& b, int i) {
  const float o[2] = {float(i), float(-i)}, a[1] = {10.0f * i}, n[2] = {float(i + 1), float(-i - 1)};
  b.add(o, a, float(i), n, i == 1, i == 3);
}

}  // namespace

class TestReplayBuffer : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void fillsInOrder() {
    ReplayBuffer b(2, 1, 3);
    QCOMPARE(b.size(), int64_t(0));
    QCOMPARE(b.capacity(), int64_t(3));
    add_transition(b, 0);
    add_transition(b, 1);
    QCOMPARE(b.size(), int64_t(2));
    QCOMPARE(b.total_added(), int64_t(2));
    QCOMPARE(b.row_of_age(0), int64_t(0));
    QCOMPARE(b.row_of_age(1), int64_t(1));
    QCOMPARE(b.obs(1)[0], 1.0f);
    QCOMPARE(b.obs(1)[1], -1.0f);
    QCOMPARE(b.act(1)[0], 10.0f);
    QCOMPARE(b.next_obs(1)[1], -2.0f);
    QCOMPARE(b.reward(1), 1.0f);
    QVERIFY(b.terminal(1) && !b.terminal(0));
    QVERIFY(!b.timeout(1));
  }

  // Capacity 3, transitions 0..4 written to rows 0, 1, 2, 0, 1: rows hold 3, 4, 2, and the oldest
  // survivor (2) is at row 2, where the next write goes.
  void overwritesOldestFirst() {
    ReplayBuffer b(2, 1, 3);
    for (int i = 0; i < 5; ++i) add_transition(b, i);
    QCOMPARE(b.size(), int64_t(3));
    QCOMPARE(b.total_added(), int64_t(5));
    QCOMPARE(b.obs(0)[0], 3.0f);
    QCOMPARE(b.obs(1)[0], 4.0f);
    QCOMPARE(b.obs(2)[0], 2.0f);
    QCOMPARE(b.row_of_age(0), int64_t(2));
    QCOMPARE(b.row_of_age(1), int64_t(0));
    QCOMPARE(b.row_of_age(2), int64_t(1));
    for (int k = 0; k < 3; ++k) {
      const int64_t r = b.row_of_age(k);
      QCOMPARE(b.reward(r), float(2 + k));
      QCOMPARE(b.act(r)[0], 10.0f * (2 + k));
      QCOMPARE(b.timeout(r), k == 1);  // transition 3
      QVERIFY(!b.terminal(r));         // transition 1 was overwritten
    }
  }

  // The survivors 2, 3, 4 in insertion order; 3 is a timeout, so episodes start at rows 0 and 2.
  void toDatasetOldestFirst() {
    ReplayBuffer b(2, 1, 3);
    for (int i = 0; i < 5; ++i) add_transition(b, i);
    const Dataset d = b.to_dataset();
    QCOMPARE(d.obs_dim, 2);
    QCOMPARE(d.act_dim, 1);
    QCOMPARE(d.observations, (std::vector<float>{2, -2, 3, -3, 4, -4}));
    QCOMPARE(d.actions, (std::vector<float>{20, 30, 40}));
    QCOMPARE(d.rewards, (std::vector<float>{2, 3, 4}));
    QCOMPARE(d.next_observations, (std::vector<float>{3, -3, 4, -4, 5, -5}));
    QCOMPARE(d.terminals, (std::vector<uint8_t>{0, 0, 0}));
    QCOMPARE(d.timeouts, (std::vector<uint8_t>{0, 1, 0}));
    QCOMPARE(d.episode_starts, (std::vector<int64_t>{0, 2}));
  }

  // A dataset of 4 rows into capacity 3: all 4 are added, the last 3 stay.
  void addDatasetKeepsTheNewest() {
    Dataset d;
    d.source = "four.npz";
    d.obs_dim = 2;
    d.act_dim = 1;
    for (int i = 0; i < 4; ++i) {
      d.observations.insert(d.observations.end(), {float(i), float(-i)});
      d.next_observations.insert(d.next_observations.end(), {float(i + 1), float(-i - 1)});
      d.actions.push_back(10.0f * i);
      d.rewards.push_back(float(i));
      d.terminals.push_back(0);
      d.timeouts.push_back(0);
    }
    ReplayBuffer b(2, 1, 3);
    QCOMPARE(b.add_dataset(d), int64_t(4));
    QCOMPARE(b.size(), int64_t(3));
    QCOMPARE(b.obs(b.row_of_age(0))[0], 1.0f);
    QCOMPARE(b.obs(b.row_of_age(2))[0], 3.0f);
    ReplayBuffer wrong(3, 1, 3);
    QVERIFY_EXCEPTION_THROWN(wrong.add_dataset(d), DataError);
    QVERIFY_EXCEPTION_THROWN(ReplayBuffer(2, 1, 0), ConfigError);
  }

  void samplesLiveRowsOnly() {
    ReplayBuffer b(2, 1, 5);
    add_transition(b, 0);
    add_transition(b, 1);  // rows 0 and 1 live, 2..4 never written
    std::mt19937_64 rng(7);
    const auto idx = b.sample_indices(1000, rng);
    QCOMPARE(idx.size(), size_t(1000));
    QCOMPARE(std::set<int64_t>(idx.begin(), idx.end()), (std::set<int64_t>{0, 1}));
    // one seed, one sequence
    std::mt19937_64 again(7), other(8);
    QCOMPARE(b.sample_indices(1000, again), idx);
    QVERIFY(b.sample_indices(1000, other) != idx);
    // a full buffer samples every row
    for (int i = 2; i < 9; ++i) add_transition(b, i);
    const auto full = b.sample_indices(1000, rng);
    QCOMPARE(std::set<int64_t>(full.begin(), full.end()), (std::set<int64_t>{0, 1, 2, 3, 4}));
  }

  // Nothing to sample from is the caller's mistake, refused rather than indexing garbage.
  void emptyBufferRefusesToSample() {
    ReplayBuffer b(2, 1, 3);
    std::mt19937_64 rng(1);
    QVERIFY_EXCEPTION_THROWN(b.sample_indices(4, rng), std::logic_error);
  }
};

QTEST_GUILESS_MAIN(TestReplayBuffer)
#include "test_replay_buffer.moc"
