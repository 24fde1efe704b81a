// What the CLI's maze PNGs and the GUI's MazeView share (core/env/maze_drawing, maze_goal), against
// values worked out by hand: the heat ramp at chosen log densities, xy taken from observation
// columns 0 and 1, paths flattened and split into points, and the goal rule (radius 0.5, return > 0).
#include <QtTest/QtTest>

#include <array>
#include <vector>

#include "core/env/antmaze_env.h"
#include "core/env/maze_coverage.h"
#include "core/env/maze_drawing.h"
#include "core/env/maze_goal.h"
#include "core/env/maze_map.h"
#include "core/util/errors.h"

using namespace iql;

namespace {

Rgb rgb(int r, int g, int b) { return {uint8_t(r), uint8_t(g), uint8_t(b)}; }

bool same(const Rgb& a, const Rgb& b) { return a == b; }

QString str(const Rgb& c) { return QString("(%1, %2, %3)").arg(c.r).arg(c.g).arg(c.b); }

}  // namespace

class TestMazeDrawing : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // f = log(count) / log(max): r = 255 - 120 max(0, f - 0.6) / 0.4, g = 235 (1 - f), b = 150 (1 - f)^2,
  // each truncated to an integer.
  void heatRamp() {
    QVERIFY2(same(maze_heat_rgb(0, 10), rgb(255, 255, 255)), "unvisited: white");
    QVERIFY2(same(maze_heat_rgb(1, 100), rgb(255, 235, 150)), "f = 0: pale yellow");
    // f = 1/2: g = 117.5, b = 37.5
    QVERIFY2(same(maze_heat_rgb(10, 100), rgb(255, 117, 37)), qPrintable(str(maze_heat_rgb(10, 100))));
    // f = 7/9: r = 255 - 53.33 = 201.67, g = 235 * 2/9 = 52.2, b = 150 * 4/81 = 7.4
    QVERIFY2(same(maze_heat_rgb(128, 512), rgb(201, 52, 7)), qPrintable(str(maze_heat_rgb(128, 512))));
    QVERIFY2(same(maze_heat_rgb(512, 512), rgb(135, 0, 0)), "f = 1: dark red");
    QVERIFY2(same(maze_heat_rgb(1, 1), rgb(135, 0, 0)), "a single visit count is the fullest bin");
    QVERIFY(same(kMazeWallRgb, rgb(110, 110, 110)));
  }

  void xyFromObservationColumns() {
    Dataset d;
    d.source = "tiny.hdf5";
    d.obs_dim = 3;
    d.act_dim = 1;
    d.observations = {1, 1.5, 3, 4, 5, 6};
    d.next_observations = d.observations;
    d.actions = {0, 0};
    d.rewards = {0, 0};
    d.terminals = {0, 0};
    d.timeouts = {0, 0};
    QCOMPARE(observation_xy(d), (std::vector<float>{1, 1.5, 4, 5}));
    // maze_coverage(dataset) bins the same xy. umaze cell (row, col) spans x in [4 col - 6, 4 col - 2),
    // y likewise by row (start cell (1, 1) centred on the origin).
    const MazeCoverage c = maze_coverage(maze_map("umaze"), d, 1);
    QCOMPARE(c.points, int64_t(2));
    QCOMPARE(c.at(1, 1), int64_t(1));  // (1, 1.5): column 1, row 1
    QCOMPARE(c.at(2, 2), int64_t(1));  // (4, 5): column 2, row 2

    d.obs_dim = 1;
    d.observations = {1, 2};
    try {
      observation_xy(d);
      QFAIL("one observation column must be refused");
    } catch (const DataError& e) {
      QCOMPARE(QString::fromStdString(e.file()), QStringLiteral("tiny.hdf5"));
      QCOMPARE(QString::fromStdString(e.key()), QStringLiteral("observations"));
    }
  }

  void pathsFlattenedAndSplit() {
    QCOMPARE(flatten_paths({{1, 2, 3, 4}, {}, {5, 6}}), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    QVERIFY(flatten_paths({}).empty());
    const auto pts = path_points({1.5f, -2.f, 3.f, 4.25f, 9.f});  // the odd 9 has no y: dropped
    QCOMPARE(pts.size(), size_t(2));
    QCOMPARE(pts[0][0], 1.5);
    QCOMPARE(pts[0][1], -2.0);
    QCOMPARE(pts[1][0], 3.0);
    QCOMPARE(pts[1][1], 4.25);
    QVERIFY(path_points({7.f}).empty());
  }

  void goalRule() {
    QCOMPARE(kMazeGoalRadius, 0.5);
    QCOMPARE(AntMazeEnv::kGoalRadius, kMazeGoalRadius);
    const std::array<double, 2> goal{1.0, 2.0};
    QVERIFY(within_goal(1.0, 2.5, goal));     // exactly 0.5 away: reached (<=)
    QVERIFY(within_goal(1.25, 2.25, goal));   // 0.354 away
    QVERIFY(!within_goal(1.25, 2.4375, goal));  // sqrt(0.0625 + 0.19140625) = 0.504 away
    QVERIFY(!within_goal(0.0, 0.0, goal));
    const std::vector<double> returns{1.0, 0.0, 0.5};
    QVERIFY(episode_reached_goal(returns, 0));
    QVERIFY(!episode_reached_goal(returns, 1));
    QVERIFY(episode_reached_goal(returns, 2));
    QVERIFY(!episode_reached_goal(returns, 3));  // no return recorded for it
  }
};

QTEST_GUILESS_MAIN(TestMazeDrawing)
#include "test_maze_drawing.moc"
