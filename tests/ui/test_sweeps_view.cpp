// The Sweeps tab on a real sweep folder (synthetic shards, real task records): the task table, the
// progress bar and the comparison (heat map) fill from the folder, and a task that moves on shows up
// at the next refresh without reopening anything. The sweep folder is never written.
#include <QtTest/QtTest>

#include <unistd.h>

#include <QHeaderView>
#include <QProgressBar>
#include <QTableView>

#include "core/store/run_store.h"
#include "core/sweep/sweep_folder.h"
#include "core/sweep/synthetic_sweep.h"
#include "ui/runs/compare_view.h"
#include "ui/sweeps/sweep_best.h"
#include "ui/sweeps/sweep_task_model.h"
#include "ui/sweeps/sweeps_view.h"

using namespace iql;
using namespace iqlui;

class TestSweepsView : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    qputenv("XDG_CACHE_HOME", tmp_.filePath("cache").toUtf8());
  }

  void showsTasksProgressAndRunsLive() {
    const std::string dir = tmp_.filePath("sweep").toStdString();
    SyntheticSweepOptions o;
    o.shards = 4;
    o.steps = 1000;
    o.eval_interval = 500;
    make_synthetic_sweep(dir, o);
    SweepFolder folder(dir);
    // tasks 0-2 finished; task 3 is still running here (its run at step 500 of 1000)
    for (int i = 0; i < 4; ++i) {
      TaskRecord r;
      r.index = i;
      r.state = i < 3 ? "finished" : "running";
      r.attempts = 1;
      r.pid = getpid();
      char host[256] = {0};
      gethostname(host, sizeof host - 1);
      r.host = host;
      folder.write_record(r);
    }
    {
      RunStore shard(folder.shard_path(3));
      shard.update_status(1, "running");
      shard.set_steps(1, 500);
    }
    const QByteArray before = [&] {
      QFile f(QString::fromStdString(folder.shard_path(0)));
      f.open(QIODevice::ReadOnly);
      return f.readAll();
    }();

    SweepsView view;
    view.setRefreshInterval(100000);  // refreshes are driven by the test
    QSignalSpy spy(&view, &SweepsView::refreshed);
    QVERIFY(view.openSweep(QString::fromStdString(dir)));
    QVERIFY(spy.wait(20000));
    auto* model = view.taskModel();
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(model->data(model->index(0, SweepTaskModel::State), Qt::DisplayRole).toString(), QString("finished"));
    QCOMPARE(model->data(model->index(3, SweepTaskModel::State), Qt::DisplayRole).toString(), QString("running"));
    QCOMPARE(model->data(model->index(3, SweepTaskModel::Progress), Qt::DisplayRole).toString(), QString("50%"));
    QCOMPARE(view.progressBar()->value(), 875);  // (3 x 1000 + 500) / 4000
    QVERIFY2(view.summary().contains("3 finished, 1 running"), qPrintable(view.summary()));
    QCOMPARE(view.compareView()->runIds().size(), 4);
    // three finished runs with a tau each and beta 3: a heat map row per tau
    QVERIFY(!view.compareView()->heatmapTaus().isEmpty());
    QVERIFY(!view.viewStorePath().startsWith(QString::fromStdString(dir)));
    // no task failed and none is Slurm's: those empty columns are hidden, the runs column takes the
    // width that is left and its cells do not wrap
    QVERIFY(view.taskTable()->isColumnHidden(SweepTaskModel::Message));
    QVERIFY(view.taskTable()->isColumnHidden(SweepTaskModel::Slurm));
    QCOMPARE(view.taskTable()->horizontalHeader()->sectionResizeMode(SweepTaskModel::Runs), QHeaderView::Stretch);
    QVERIFY(!view.taskTable()->wordWrap());

    // task 3 finishes: the next refresh shows it
    {
      RunStore shard(folder.shard_path(3));
      shard.set_steps(1, 1000);
      shard.update_status(1, "finished");
      auto r = *folder.read_record(3);
      r.state = "finished";
      folder.write_record(r);
    }
    view.refresh();
    QVERIFY(spy.wait(20000));
    QCOMPARE(model->data(model->index(3, SweepTaskModel::State), Qt::DisplayRole).toString(), QString("finished"));
    QCOMPARE(view.progressBar()->value(), 1000);
    QFile f(QString::fromStdString(folder.shard_path(0)));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
  }

  // The best member by normalised score (the heat map's unit) where any has one, even when another
  // has the higher return; by return, labelled so, only where none has a score.
  void bestSoFarIsInTheHeatMapsUnit() {
    SweepStatus st;
    st.tasks.resize(2);
    MemberProgress a, b;
    a.point = "tau=0.7";
    a.last_return = 900.0;
    a.last_score = 40.0;
    b.point = "tau=0.9";
    b.last_return = 800.0;
    b.last_score = 55.5;
    st.tasks[0].members = {a};
    st.tasks[1].members = {b};
    QCOMPARE(bestSoFarText(st), QString("best so far (normalised score): 55.5 at tau=0.9 (return 800.0)"));
    st.tasks[0].members[0].last_score.reset();
    st.tasks[1].members[0].last_score.reset();
    QCOMPARE(bestSoFarText(st), QString("best so far (return; no normalised score for this environment): 900.0 at tau=0.7"));
    QCOMPARE(bestSoFarText(SweepStatus{}), QString());
  }

  void refusesAFolderThatIsNoSweep() {
    SweepsView view;
    QSignalSpy errors(&view, &SweepsView::errorOccurred);
    QVERIFY(!view.openSweep(tmp_.path()));
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().first().toString().contains("plan.json"));
  }
};

QTEST_MAIN(TestSweepsView)
#include "test_sweeps_view.moc"
