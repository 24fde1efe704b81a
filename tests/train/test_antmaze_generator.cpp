// The AntMaze generator on a small budget: D4RL layout (written and read back, infos/* shapes),
// 1001-row episodes ending in a time-out, rewards and terminals exactly where the relabel rule
// puts them (recomputed here from infos/qpos), observations chained with infos/qpos off by one,
// per-episode goals in their cells, reproducible with a seed and independent of thread count.
#include <QtTest/QtTest>

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/env/maze_map.h"
#include "core/train/antmaze_generator.h"
#include "core/util/errors.h"

using iql::AntMazeGenerated;
using iql::AntMazeGenOptions;

namespace {

AntMazeGenOptions small(const std::string& name, uint64_t seed, int threads) {
  AntMazeGenOptions o;
  o.dataset = name;
  o.transitions = 2 * 1001 + 300;
  o.seed = seed;
  o.threads = threads;
  o.batch = 2;
  return o;
}

std::vector<hsize_t> h5_shape(const std::string& file, const char* key) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, key, H5P_DEFAULT);
  std::vector<hsize_t> dims;
  if (d >= 0) {
    const hid_t s = H5Dget_space(d);
    dims.resize(H5Sget_simple_extent_ndims(s));
    H5Sget_simple_extent_dims(s, dims.data(), nullptr);
    H5Sclose(s);
    H5Dclose(d);
  }
  H5Fclose(f);
  return dims;
}

}  // namespace

class TestAntMazeGenerator : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void layoutTimeoutsAndRelabel() {
    const AntMazeGenerated g = iql::generate_antmaze(small("antmaze-umaze", 1, 2));
    const auto& d = g.data;
    const int64_t n = 2302;
    QCOMPARE(d.size(), n);
    QCOMPARE(d.obs_dim, 29);
    QCOMPARE(d.act_dim, 8);
    QCOMPARE(g.episodes, int64_t{3});
    QCOMPARE(g.full_episodes, int64_t{2});
    QCOMPARE(static_cast<int64_t>(g.qpos.size()), n * 15);
    QCOMPARE(static_cast<int64_t>(g.qvel.size()), n * 14);
    QCOMPARE(static_cast<int64_t>(g.goals.size()), n * 2);
    // umaze evaluation goal: cell (3, 1) centre (0, 8) + U(0,1) + U(0,0.5)
    QVERIFY(g.eval_goal[0] >= 0 && g.eval_goal[0] <= 1.5 && g.eval_goal[1] >= 8 && g.eval_goal[1] <= 9.5);
    int64_t hits = 0;
    for (int64_t i = 0; i < n; ++i) {
      QCOMPARE(static_cast<bool>(d.timeouts[i]), i == 1000 || i == 2001);  // ts >= 1000: the 1001st row
      const double dx = g.qpos[i * 15] - g.eval_goal[0], dy = g.qpos[i * 15 + 1] - g.eval_goal[1];
      const double dist = std::sqrt(dx * dx + dy * dy);
      if (std::abs(dist - 0.5) > 1e-4) {
        QCOMPARE(d.rewards[i], dist <= 0.5 ? 1.0f : 0.0f);
        QCOMPARE(static_cast<bool>(d.terminals[i]), dist <= 0.5);
      }
      hits += d.terminals[i];
      for (int k = 0; k < 8; ++k) QVERIFY(std::abs(d.actions[i * 8 + k]) <= 1.0f);
      // infos/qpos is after the step: the next observation's qpos part
      for (int k = 0; k < 15; ++k) QCOMPARE(d.next_observations[i * 29 + k], g.qpos[i * 15 + k]);
      for (int k = 0; k < 14; ++k) QCOMPARE(d.next_observations[i * 29 + 15 + k], g.qvel[i * 14 + k]);
      const bool episode_end = i == 1000 || i == 2001;
      if (i + 1 < n && !episode_end) {
        for (int k = 0; k < 29; ++k) QCOMPARE(d.observations[(i + 1) * 29 + k], d.next_observations[i * 29 + k]);
        QCOMPARE(g.goals[i * 2], g.goals[(i + 1) * 2]);  // one navigation goal per episode
      }
      // umaze generation goal = the G cell + noise
      QVERIFY(g.goals[i * 2] >= 0 && g.goals[i * 2] <= 1.5 && g.goals[i * 2 + 1] >= 8 && g.goals[i * 2 + 1] <= 9.5);
    }
    QCOMPARE(hits, g.reward_transitions);
    QVERIFY(hits > 0);  // the policy walks: umaze episodes head for the goal the rows are scored against
    // "antmaze-umaze" starts at the origin (+-0.1 reset noise)
    for (int64_t s : {int64_t{0}, int64_t{1001}, int64_t{2002}})
      QVERIFY(std::abs(d.observations[s * 29]) <= 0.1 && std::abs(d.observations[s * 29 + 1]) <= 0.1);
  }

  void writesD4rlLayout() {
    const AntMazeGenerated g = iql::generate_antmaze(small("antmaze-medium-play", 2, 1));
    const std::string path = QDir::temp().filePath("iql_test_antmaze.hdf5").toStdString();
    iql::write_antmaze_hdf5(g, path);
    QVERIFY(h5_shape(path, "observations") == (std::vector<hsize_t>{2302, 29}));
    QVERIFY(h5_shape(path, "actions") == (std::vector<hsize_t>{2302, 8}));
    QVERIFY(h5_shape(path, "rewards") == (std::vector<hsize_t>{2302}));
    QVERIFY(h5_shape(path, "terminals") == (std::vector<hsize_t>{2302}));
    QVERIFY(h5_shape(path, "timeouts") == (std::vector<hsize_t>{2302}));
    QVERIFY(h5_shape(path, "infos/goal") == (std::vector<hsize_t>{2302, 2}));
    QVERIFY(h5_shape(path, "infos/qpos") == (std::vector<hsize_t>{2302, 15}));
    QVERIFY(h5_shape(path, "infos/qvel") == (std::vector<hsize_t>{2302, 14}));
    const iql::Dataset back = iql::read_d4rl_hdf5(path);
    QCOMPARE(back.size(), g.data.size());
    QVERIFY(back.observations == g.data.observations);
    QVERIFY(back.rewards == g.data.rewards);
    QCOMPARE(back.metadata.at("dataset"), std::string("antmaze-medium-play"));
    std::remove(path.c_str());
    // play: starts in free non-goal cells, goals in the 'g' cells
    const auto& m = iql::maze_map("medium");
    const auto goals = m.generation_goal_cells();
    for (int64_t s : {int64_t{0}, int64_t{1001}, int64_t{2002}}) {
      const iql::Cell c = m.cell_containing(g.data.observations[s * 29], g.data.observations[s * 29 + 1]);
      QVERIFY(m.is_free(c.row, c.col));
      QVERIFY(std::find(goals.begin(), goals.end(), c) == goals.end());
      const iql::Cell gc = m.d4rl_cell_of(g.goals[s * 2], g.goals[s * 2 + 1]);
      QVERIFY(std::find(goals.begin(), goals.end(), gc) != goals.end());
    }
  }

  void reproducible() {
    const auto a = iql::generate_antmaze(small("antmaze-umaze-diverse", 7, 2));
    const auto b = iql::generate_antmaze(small("antmaze-umaze-diverse", 7, 1));  // thread count does not matter
    QVERIFY(a.data.observations == b.data.observations);
    QVERIFY(a.data.actions == b.data.actions);
    QVERIFY(a.qpos == b.qpos);
    QVERIFY(a.goals == b.goals);
    const auto c = iql::generate_antmaze(small("antmaze-umaze-diverse", 8, 2));
    QVERIFY(a.data.actions != c.data.actions);
  }

  void clearErrors() {
    auto o = small("antmaze-umaze", 0, 1);
    o.policy_path = "/nonexistent/policy.npz";
    QVERIFY_EXCEPTION_THROWN(iql::generate_antmaze(o), iql::DataError);
    o = small("antmaze-tiny-play", 0, 1);
    QVERIFY_EXCEPTION_THROWN(iql::generate_antmaze(o), iql::ConfigError);
  }
};

QTEST_APPLESS_MAIN(TestAntMazeGenerator)
#include "test_antmaze_generator.moc"
