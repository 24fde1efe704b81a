// MazeView on its own: maze names, world-to-pixel mapping of the maze's outer corners and the
// start cell (fitted, aspect kept), coverage counts, paths, and what it draws where: a wall pixel
// grey, a free cell white, a visited bin coloured.
#include <QtTest/QtTest>

#include <QImage>

#include <QProgressBar>
#include <QPushButton>

#include "core/train/antmaze_generator.h"
#include "core/train/evaluation_paths.h"
#include "core/train/training_run.h"
#include "core/train/training_types.h"
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
    v.resize(300, 600);  // umaze is 20 m x 20 m: the width limits the scale, the maze is centred in height
    // the maze sits inside the area the legend (above) and the axes' labels (left, below) leave
    const QRectF a = v.mazeArea();
    QVERIFY(a.left() >= v.fontMetrics().horizontalAdvance("-88") + v.fontMetrics().height());  // y labels, "y (m)"
    QVERIFY(v.height() - a.bottom() >= 2 * v.fontMetrics().height());                           // x labels, "x (m)"
    QVERIFY(a.top() >= v.fontMetrics().height());                                                 // the legend
    const double px = a.width() / 20.0;  // pixels per metre
    QVERIFY(a.height() > a.width());
    // outer corner of cell (0, 0) is (-6, -6); start cell centre (1, 1) is the origin
    const QPointF tl = v.toWidget({-6, -6}), br = v.toWidget({14, 14}), o = v.toWidget({0, 0});
    QVERIFY(std::abs(tl.x() - a.left()) < 1e-9 && std::abs(br.x() - a.right()) < 1e-9);
    QVERIFY(std::abs((br.y() - tl.y()) - 20 * px) < 1e-9);
    QVERIFY(std::abs(tl.y() - (a.top() + (a.height() - 20 * px) / 2)) < 1e-9);
    QVERIFY(std::abs(o.x() - (tl.x() + 6 * px)) < 1e-9 && std::abs(o.y() - (tl.y() + 6 * px)) < 1e-9);
  }

  // The legend counts episodes by outcome, and a banner says while a worker runs.
  void legendCountsOutcomesAndBusyBanner() {
    MazeView v;
    v.setMaze(QStringLiteral("umaze"));
    v.resize(400, 400);
    const double topWithoutOutcomes = v.mazeArea().top();
    v.addEpisodePath({{0, 0}, {8, 0}}, true);
    v.addEpisodePath({{0, 0}, {0, 4}}, false);
    v.addEpisodePath({{0, 0}, {4, 0}}, false);
    v.addPath({{0, 0}, {0, 8}}, Qt::blue);  // no outcome: not counted
    QCOMPARE(v.reachedCount(), 1);
    QCOMPARE(v.missedCount(), 2);
    QVERIFY(v.mazeArea().top() >= topWithoutOutcomes);
    const QImage before = v.grab().toImage();
    v.setBusyText(QStringLiteral("Running 20 planner episodes…"));
    QCOMPARE(v.busyText(), QStringLiteral("Running 20 planner episodes…"));
    const QImage during = v.grab().toImage();
    const QPointF banner(v.toWidget({4, -6}).x(), v.toWidget({4, -6}).y() + 8 + v.fontMetrics().height() / 2.0 + 5);  // top middle of the maze
    QVERIFY(before.pixelColor(banner.toPoint()) != during.pixelColor(banner.toPoint()));
    v.setBusyText(QString());
    QCOMPARE(v.grab().toImage(), before);
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
    QCOMPARE(visited, QColor(135, 0, 0));  // iql::maze_heat_rgb(50, 50): the colour the CLI's PNG gives it
    v.clearPaths();
    QCOMPARE(v.pathCount(), 0);
  }

  // An evaluation's episodes: one path each, green where the episode reached its goal (return 1),
  // red elsewhere; the goals are drawn with their 0.5 m radius.
  void evaluationPathsColouredByOutcome() {
    MazeView v;
    v.setMaze(QStringLiteral("umaze"));
    v.resize(248, 248);
    iql::EvalResult r;
    r.returns = {1.0, 0.0};
    iql::EvaluationPaths p;
    p.xy = {{0, 0, 4, 0, 8, 0}, {0, 0, 0, 4, 0, 8}};  // along y = 0 to x = 8; along x = 0 to y = 8
    p.goals = {{{8.0, 0.0}}, {{0.0, 8.0}}};
    QCOMPARE(v.showEvaluation(r, p), 1);
    QCOMPARE(v.pathCount(), 2);
    const QImage img = v.grab().toImage();
    auto at = [&](double x, double y) { const QPointF p = v.toWidget({x, y}); return img.pixelColor(int(p.x()), int(p.y())); };
    const QColor ok = at(3.0, 0.0), bad = at(0.0, 3.0);
    QVERIFY2(ok.green() > ok.red() + 40, qPrintable(ok.name()));
    QVERIFY2(bad.red() > bad.green() + 40, qPrintable(bad.name()));
  }

  // The whole path a user takes: a run's checkpoint on generated umaze data, the maze window's
  // "Evaluate this run" button, 20 episodes drawn (evaluated on a worker thread, waited for here).
  void evaluateRunButtonDrawsItsEpisodes() {
    QTemporaryDir tmp;
    qputenv("XDG_DATA_HOME", tmp.filePath("xdg").toUtf8());
    iql::AntMazeGenOptions g;
    g.transitions = 3000;
    g.seed = 5;
    const std::string data = tmp.filePath("antmaze-umaze-small.hdf5").toStdString();
    iql::write_antmaze_hdf5(iql::generate_antmaze(g), data);
    iql::TrainConfig c;
    c.algorithm = "bc";
    c.dataset = data;
    c.env = "antmaze-umaze";
    c.hidden = 32;
    c.steps = 20;
    c.eval_interval = 0;
    c.eval_episodes = 1;
    c.probe_interval = 0;
    c.threads = 1;
    iql::RunOptions o;
    o.db_path = tmp.filePath("runs.db").toStdString();
    o.checkpoint_dir = tmp.filePath("ck").toStdString();
    iql::RunControl control;
    const iql::RunOutcome run = iql::run_training(c, o, control, {});
    QVERIFY(!run.checkpoint_path.empty());

    QWidget* w = MazeView::openForDataset(QString::fromStdString(data), nullptr, QString::fromStdString(run.checkpoint_path));
    auto* view = w->findChild<MazeView*>();
    auto* button = w->findChild<QPushButton*>(QStringLiteral("evaluateRunButton"));
    QVERIFY(view && button);
    QTRY_VERIFY_WITH_TIMEOUT(view->coveragePoints() == 3000, 30000);  // the data, loaded in the background
    auto* busy = w->findChild<QProgressBar*>(QStringLiteral("mazeBusy"));
    QVERIFY(busy);
    QTRY_VERIFY_WITH_TIMEOUT(!busy->isVisible(), 30000);
    button->click();
    QVERIFY(busy->isVisible());  // while the worker evaluates: the bar and the banner over the maze
    QVERIFY(!view->busyText().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(view->pathCount(), 20, 120000);
    QTRY_VERIFY(button->isEnabled());
    QVERIFY(!busy->isVisible());
    QVERIFY(view->busyText().isEmpty());
    QCOMPARE(view->reachedCount() + view->missedCount(), 20);  // every episode in the legend's counts
    const QString shots = qEnvironmentVariable("IQL_SCREENSHOT_DIR");
    if (!shots.isEmpty()) w->grab().save(shots + QStringLiteral("/maze-run-evaluation.png"));
    delete w;
  }
};

QTEST_MAIN(TestMazeView)
#include "test_maze_view.moc"
