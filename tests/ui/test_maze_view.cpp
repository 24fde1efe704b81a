// MazeView on its own: maze names, world-to-pixel mapping of the maze's outer corners and the
// start cell (fitted, aspect kept), coverage counts, paths, and what it draws where: a wall pixel
// grey, a free cell white, a visited bin coloured.
#include <QtTest/QtTest>

#include <QImage>

#include "ui/plots/maze_view.h"

using namespace iqlui;

class TestMazeView : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void namesAndMapping() {
    MazeView v;
    QVERIFY(v.setMaze(QStringLiteral("antmaze-medium-play")));
    QCOMPARE(v.mazeName(), QStringLiteral("medium"));
    QVERIFY(!v.setMaze(QStringLiteral("nope")));
    QCOMPARE(v.mazeName(), QStringLiteral("medium"));
    QVERIFY(v.setMaze(QStringLiteral("umaze")));
    v.resize(248, 448);  // umaze is 20 m x 20 m; 240 px usable width -> 12 px per metre, centred
    // outer corner of cell (0, 0) is (-6, -6); start cell centre (1, 1) is the origin
    const QPointF tl = v.toWidget({-6, -6}), br = v.toWidget({14, 14}), o = v.toWidget({0, 0});
    QCOMPARE(v.width(), 248);
    QVERIFY(std::abs(tl.x() - 4) < 1e-9 && std::abs(br.x() - 244) < 1e-9);
    QVERIFY(std::abs((br.y() - tl.y()) - 240) < 1e-9);
    QVERIFY(std::abs(tl.y() - 104) < 1e-9);  // (448 - 240) / 2
    QVERIFY(std::abs(o.x() - 76) < 1e-9 && std::abs(o.y() - 176) < 1e-9);  // 6 m from the corner
  }

  void coverageAndPaint() {
    MazeView v;
    v.setMaze(QStringLiteral("umaze"));
    v.resize(248, 248);
    std::vector<float> xy;
    for (int i = 0; i < 50; ++i) xy.insert(xy.end(), {8.2f, 0.2f});  // cell (1, 3)
    v.setCoverage(xy, 4);
    QCOMPARE(v.coveragePoints(), qint64{50});
    v.addPath({{0, 0}, {8, 0}, {8, 8}}, Qt::blue);
    QCOMPARE(v.pathCount(), 1);
    const QImage img = v.grab().toImage();
    auto at = [&](double x, double y) { const QPointF p = v.toWidget({x, y}); return img.pixelColor(int(p.x()), int(p.y())); };
    QCOMPARE(at(-4, -4), QColor(110, 110, 110));  // wall cell (0, 0)
    QCOMPARE(at(4.5, 1.5), QColor(Qt::white));      // free cell (1, 2), no data, no path
    const QColor visited = at(8.4, 0.4);           // the bin holding every point: darkest heat
    QVERIFY(visited.red() > 100 && visited.green() < 40);
    v.clearPaths();
    QCOMPARE(v.pathCount(), 0);
  }
};

QTEST_MAIN(TestMazeView)
#include "test_maze_view.moc"
