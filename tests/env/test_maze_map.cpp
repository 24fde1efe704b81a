// Maze geometry against shared/reference/antmaze.md: cell-to-world mapping (and D4RL's truncating
// xy-to-cell quirk), the wall boxes compiled into MuJoCo, an ant pushed into a wall not passing it
// (while the same push along a corridor carries it far), goal sampling within the stated ranges.
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/env/antmaze_env.h"
#include "core/env/maze_coverage.h"
#include "core/env/maze_map.h"
#include "core/util/errors.h"

using iql::AntMazeEnv;
using iql::Cell;
using iql::maze_map;

namespace {

// Pushes the torso with a constant planar velocity (vx, vy) for n steps (re-imposed every step)
// and returns the largest |coordinate| reached along the push.
double push(AntMazeEnv& env, double vx, double vy, int n) {
  env.reset(3);
  double reach = 0.0;
  for (int i = 0; i < n; ++i) {
    auto qp = env.qpos();
    auto qv = env.qvel();
    qv[0] = vx, qv[1] = vy;
    env.set_state(qp, qv);
    env.step(std::vector<float>(8, 0.0f));
    const auto xy = env.xy();
    reach = std::max(reach, vx != 0 ? xy[0] * (vx > 0 ? 1 : -1) : xy[1] * (vy > 0 ? 1 : -1));
  }
  return reach;
}

}  // namespace

class TestMazeMap : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void mapsMatchReference() {
    const auto& u = maze_map("umaze");
    QCOMPARE(u.rows(), 5);
    QCOMPARE(u.cols(), 5);
    QCOMPARE(maze_map("medium").rows(), 8);
    QCOMPARE(maze_map("medium").cols(), 8);
    QCOMPARE(maze_map("large").rows(), 9);
    QCOMPARE(maze_map("large").cols(), 12);
    QVERIFY(u.start_cell() == (Cell{1, 1}));
    QVERIFY(u.eval_goal_cell() == (Cell{3, 1}));
    QVERIFY(maze_map("antmaze-medium-play-v2").eval_goal_cell() == (Cell{6, 6}));
    QVERIFY(maze_map("large").eval_goal_cell() == (Cell{7, 9}));
    QCOMPARE(static_cast<int>(u.free_cells().size()), 7);
    QCOMPARE(static_cast<int>(maze_map("medium").generation_goal_cells().size()), 3);
    QCOMPARE(static_cast<int>(maze_map("large").generation_goal_cells().size()), 6);
    QVERIFY((u.generation_goal_cells() == std::vector<Cell>{Cell{3, 1}}));
    QCOMPARE(u.max_episode_steps, 700);
    QCOMPARE(maze_map("medium").max_episode_steps, 1000);
    QCOMPARE(maze_map("large").max_episode_steps, 1000);
    QVERIFY_EXCEPTION_THROWN(maze_map("huge"), iql::ConfigError);
  }

  void cellToWorld() {
    const auto& u = maze_map("umaze");
    auto c = u.cell_centre({1, 1});
    QCOMPARE(c.first, 0.0);
    QCOMPARE(c.second, 0.0);
    c = u.cell_centre({3, 1});  // x = 4 (col - 1), y = 4 (row - 1)
    QCOMPARE(c.first, 0.0);
    QCOMPARE(c.second, 8.0);
    c = maze_map("medium").cell_centre({6, 6});
    QCOMPARE(c.first, 20.0);
    QCOMPARE(c.second, 20.0);
    c = maze_map("large").cell_centre({7, 9});
    QCOMPARE(c.first, 32.0);
    QCOMPARE(c.second, 24.0);
    // D4RL's _xy_to_rowcol truncates: (int(1 + y/4), int(1 + x/4)), negatives clamped to 1e-4.
    QVERIFY(u.d4rl_cell_of(0.0, 0.0) == (Cell{1, 1}));
    QVERIFY(u.d4rl_cell_of(3.99, 0.0) == (Cell{1, 1}));
    QVERIFY(u.d4rl_cell_of(4.0, 0.0) == (Cell{1, 2}));
    QVERIFY(u.d4rl_cell_of(-1.9, -1.9) == (Cell{1, 1}));
    QVERIFY(u.d4rl_cell_of(1.0, 8.5) == (Cell{3, 1}));
    // The true containing cell rounds.
    QVERIFY(u.cell_containing(1.9, 0.0) == (Cell{1, 1}));
    QVERIFY(u.cell_containing(2.1, 0.0) == (Cell{1, 2}));
    QVERIFY(u.cell_containing(0.0, 6.1) == (Cell{3, 1}));
  }

  void wallsCompiledAsBoxes() {
    AntMazeEnv env("umaze");
    const mjModel* m = env.model();
    int blocks = 0;
    for (int g = 0; g < m->ngeom; ++g) {
      const char* name = mj_id2name(m, mjOBJ_GEOM, g);
      if (name && std::string(name).rfind("block_", 0) == 0) ++blocks;
    }
    QCOMPARE(blocks, 25 - 7);
    const int id = mj_name2id(m, mjOBJ_GEOM, "block_2_1");  // the wall between start and goal
    QVERIFY(id >= 0);
    QCOMPARE(m->geom_type[id], static_cast<int>(mjGEOM_BOX));
    QCOMPARE(m->geom_pos[3 * id + 0], 0.0);
    QCOMPARE(m->geom_pos[3 * id + 1], 4.0);
    QCOMPARE(m->geom_pos[3 * id + 2], 1.0);
    for (int k = 0; k < 2; ++k) QCOMPARE(m->geom_size[3 * id + k], 2.0);
    QCOMPARE(m->geom_size[3 * id + 2], 1.0);
    QCOMPARE(m->geom_contype[id], 1);
    QCOMPARE(m->geom_conaffinity[id], 1);
  }

  void wallsBlockTheAnt() {
    AntMazeEnv env("umaze");
    // +y from the start: the wall cell (2, 1) begins at y = 2; 3 m/s for 5 s would carry it 15 m.
    const double into_wall = push(env, 0.0, 3.0, 50);
    QVERIFY2(into_wall < 2.0, qPrintable(QString("torso reached y = %1 through the wall at y = 2").arg(into_wall)));
    QVERIFY(into_wall > 1.0);  // it did move up to the wall
    // -x: the outer wall (1, 0) begins at x = -2.
    QVERIFY(push(env, -3.0, 0.0, 50) < 2.0);
    // +x along the open corridor (1, 2), (1, 3): the same push carries it past x = 6.
    QVERIFY(push(env, 3.0, 0.0, 25) > 6.0);
  }

  void coverageMap() {
    const auto& u = maze_map("umaze");
    // bins 1: one bin per cell; (0, 0) is cell (1, 1), (15, 0) lies beyond the outer wall (x > 14)
    const auto c = iql::maze_coverage_xy(u, {0.f, 0.f, 0.1f, -0.1f, 0.3f, 8.2f, 15.f, 0.f}, 1);
    QCOMPARE(c.width, 5);
    QCOMPARE(c.height, 5);
    QCOMPARE(c.points, int64_t{4});
    QCOMPARE(c.outside, int64_t{1});
    QCOMPARE(c.at(1, 1), int64_t{2});
    QCOMPARE(c.at(1, 3), int64_t{1});
    const std::string ascii = iql::coverage_ascii(c);
    QCOMPARE(ascii, std::string("#####\n#@  #\n### #\n#.  #\n#####\n"));
    QVERIFY(QString::fromStdString(iql::coverage_summary(c)).contains("2 of 7 free cells visited"));
    const QString png = QDir::temp().filePath("iql_test_maze.png");
    iql::write_coverage_png(c, png.toStdString(), {{0.5, 8.5}}, 6);
    QFile f(png);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray head = f.read(24);
    QVERIFY(head.startsWith("\x89PNG\r\n\x1a\n"));
    QCOMPARE(static_cast<int>((uchar(head[16]) << 24) | (uchar(head[17]) << 16) | (uchar(head[18]) << 8) | uchar(head[19])), 30);
    f.close();
    QFile::remove(png);
  }

  void goalSamplingRanges() {
    // centre + U(0, 1) + U(0, 0.5) per axis, clamped at >= 0
    struct Case { const char* maze; double cx, cy; };
    for (const Case& k : {Case{"umaze", 0, 8}, Case{"medium", 20, 20}, Case{"large", 32, 24}}) {
      AntMazeEnv env(k.maze);
      env.reset(11);
      double lo[2] = {1e9, 1e9}, hi[2] = {-1e9, -1e9}, sum[2] = {0, 0};
      const int n = 4000;
      for (int i = 0; i < n; ++i) {
        env.reset();
        const auto g = env.goal();
        for (int a = 0; a < 2; ++a) {
          lo[a] = std::min(lo[a], g[a]);
          hi[a] = std::max(hi[a], g[a]);
          sum[a] += g[a];
        }
      }
      const double c[2] = {k.cx, k.cy};
      for (int a = 0; a < 2; ++a) {
        QVERIFY(lo[a] >= c[a] && lo[a] < c[a] + 0.1);
        QVERIFY(hi[a] <= c[a] + 1.5 && hi[a] > c[a] + 1.4);
        QVERIFY(std::abs(sum[a] / n - (c[a] + 0.75)) < 0.03);  // mean of U(0,1) + U(0,0.5)
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestMazeMap)
#include "test_maze_map.moc"
