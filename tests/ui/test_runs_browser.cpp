// RunsBrowser and CompareView on a temporary run database: filtering, deleting with confirmation,
// open/resume signals, notes, export, auto-refresh, seed bands, config diff and the tau x beta map.
#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest/QtTest>
#include <cmath>
#include <sqlite3.h>
#include <functional>
#include "ui/plots/qcp.h"

#include "core/store/run_store.h"
#include "core/config/train_config.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/runs/runs_browser.h"
#include "ui/runs/score_heatmap.h"

using iqlui::CompareView;
using iqlui::RunTableModel;

namespace {

struct Inserted {
  qint64 id = 0;
  std::vector<double> scores;
};

Inserted addRun(iql::RunStore& store, const std::string& name, const std::string& dataset, double tau,
                double beta, uint64_t seed, const std::string& status, const std::string& created,
                int evals, double level, std::vector<std::string> tags = {}) {
  iql::TrainConfig cfg;
  cfg.dataset = dataset;
  cfg.env = dataset.substr(0, dataset.find('-'));
  cfg.expectile = tau;
  cfg.temperature = beta;
  cfg.seed = seed;
  cfg.steps = evals * 1000;
  cfg.eval_interval = 1000;
  iql::RunInfo info;
  info.name = name;
  info.created = created;
  info.updated = created.substr(0, 11) + "23:30:00.000Z";
  info.status = status;
  info.algorithm = "iql";
  info.dataset = cfg.dataset;
  info.env = cfg.env;
  info.config_json = cfg.to_json();
  info.seed = std::int64_t(seed);
  info.tags = std::move(tags);
  info.steps = evals * 1000;
  Inserted r;
  r.id = store.create_run(info);
  std::vector<iql::MetricPoint> points;
  const double phase = 2.1 * double(seed) + 10.0 * tau;
  for (int s = 0; s <= evals * 1000; s += 100) {
    const double noise = 0.05 * std::sin(0.013 * s + phase) + 0.03 * std::sin(0.071 * s + 3 * phase);
    points.push_back({s, "loss/value", 1.0 / (1.0 + s / 1500.0) + noise});
    points.push_back({s, "loss/actor", 2.0 - s / 10000.0 + noise});
  }
  store.append_metrics(r.id, points);
  for (int k = 1; k <= evals; ++k) {
    const double score = level * (1.0 - std::exp(-k / 3.0)) + 3.0 * std::sin(1.7 * k + phase);
    store.add_evaluation(r.id, {k * 1000, score * 30.0, 5.0, score, 10});
    r.scores.push_back(score);
  }
  return r;
}

// Runs `act` on the first top-level modal widget of type T as soon as it is shown.
template <typename T>
void whenModal(std::function<void(T*)> act) {
  auto* poll = new QTimer(qApp);
  poll->setInterval(5);
  QObject::connect(poll, &QTimer::timeout, poll, [poll, act] {
    if (auto* w = qobject_cast<T*>(QApplication::activeModalWidget())) {
      poll->stop();
      poll->deleteLater();
      act(w);
    }
  });
  poll->start();
}

}  // namespace

class TestRunsBrowser : public QObject {
  Q_OBJECT

private:
  QTemporaryDir dir_;
  QString dbPath_;
  Inserted a_, b_, c_, d_, e_, f_, g_;

  QModelIndex viewIndex(RunsBrowser& w, qint64 id, int column = 0) {
    const int row = w.model()->rowOfRun(id);
    return w.proxy()->mapFromSource(w.model()->index(row, column));
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    dbPath_ = dir_.filePath("runs.db");
    iql::RunStore store(dbPath_.toStdString());
    // a 3-seed group, a 2-seed group, a single run; one interrupted, two on other datasets
    a_ = addRun(store, "hop-t0.7-b3-s0", "hopper-medium-v2", 0.7, 3.0, 0, "finished", "2024-05-01T10:00:00.000Z", 20, 60, {"baseline"});
    b_ = addRun(store, "hop-t0.7-b3-s1", "hopper-medium-v2", 0.7, 3.0, 1, "finished", "2024-05-02T10:00:00.000Z", 20, 60, {"baseline"});
    f_ = addRun(store, "hop-t0.7-b3-s2", "hopper-medium-v2", 0.7, 3.0, 2, "finished", "2024-05-02T12:00:00.000Z", 20, 60, {"baseline"});
    c_ = addRun(store, "hop-t0.9-b10-s2", "hopper-medium-v2", 0.9, 10.0, 2, "finished", "2024-05-03T10:00:00.000Z", 20, 75, {"sweep"});
    g_ = addRun(store, "hop-t0.9-b10-s3", "hopper-medium-v2", 0.9, 10.0, 3, "finished", "2024-05-03T12:00:00.000Z", 20, 75, {"sweep"});
    d_ = addRun(store, "hop-t0.5-b1", "hopper-medium-v2", 0.5, 1.0, 0, "interrupted", "2024-05-04T10:00:00.000Z", 6, 40);
    e_ = addRun(store, "pendulum-try", "pendulum-medium", 0.8, 0.5, 0, "stopped", "2024-05-05T10:00:00.000Z", 0, 0);
    addRun(store, "hop-t0.9-b3", "hopper-medium-v2", 0.9, 3.0, 0, "finished", "2024-05-06T10:00:00.000Z", 20, 50);
    addRun(store, "hop-t0.5-b10", "hopper-medium-v2", 0.5, 10.0, 0, "finished", "2024-05-06T11:00:00.000Z", 20, 30);
    addRun(store, "walker-x", "walker2d-medium-v2", 0.7, 3.0, 0, "finished", "2024-05-07T10:00:00.000Z", 5, 70);
    // the interrupted run has a checkpoint file on disk
    const QString ckpt = dir_.filePath("d.ckpt");
    QFile f(ckpt);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
    f.close();
    store.add_checkpoint(d_.id, {4000, ckpt.toStdString(), ""});
  }

  void filtering() {
    RunsBrowser w;
    w.setDatabase(dbPath_);
    QCOMPARE(w.proxy()->rowCount(), 10);
    w.filterEdit()->setText("pendulum");
    QCOMPARE(w.proxy()->rowCount(), 1);
    QCOMPARE(w.proxy()->index(0, 0).data(RunTableModel::RunIdRole).toLongLong(), e_.id);
    w.filterEdit()->setText("BASELINE");  // tag, case-insensitive
    QCOMPARE(w.proxy()->rowCount(), 3);
    w.filterEdit()->setText("interrupted");  // status
    QCOMPARE(w.proxy()->rowCount(), 1);
    QCOMPARE(w.proxy()->index(0, 0).data(RunTableModel::RunIdRole).toLongLong(), d_.id);
    w.filterEdit()->setText("walker2d-medium");  // dataset
    QCOMPARE(w.proxy()->rowCount(), 1);
    w.filterEdit()->setText("no-such-run");
    QCOMPARE(w.proxy()->rowCount(), 0);
    w.filterEdit()->clear();
    QCOMPARE(w.proxy()->rowCount(), 10);
  }

  void openAndResume() {
    RunsBrowser w;
    w.resize(1000, 600);
    w.setDatabase(dbPath_);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy open(&w, &RunsBrowser::openRunRequested);
    QSignalSpy resume(&w, &RunsBrowser::resumeRunRequested);

    // double-click on a row
    const QModelIndex idx = viewIndex(w, c_.id, RunTableModel::Dataset);
    QVERIFY(idx.isValid());
    w.tableView()->scrollTo(idx);
    const QPoint p = w.tableView()->visualRect(idx).center();
    // QTest's double-click on a widget sends only the double-click event: press first, as a user does
    QTest::mouseClick(w.tableView()->viewport(), Qt::LeftButton, Qt::NoModifier, p);
    QCOMPARE(open.count(), 0);
    QTest::mouseDClick(w.tableView()->viewport(), Qt::LeftButton, Qt::NoModifier, p);
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.takeFirst().at(0).toLongLong(), c_.id);

    // the Open action
    w.selectRuns({a_.id});
    QVERIFY(w.openAction()->isEnabled());
    w.openAction()->trigger();
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.takeFirst().at(0).toLongLong(), a_.id);

    // Resume: only for interrupted/stopped runs with a checkpoint
    QVERIFY(!w.resumeAction()->isEnabled());  // finished
    w.selectRuns({e_.id});
    QVERIFY(!w.resumeAction()->isEnabled());  // stopped, but no checkpoint
    w.selectRuns({d_.id});
    QVERIFY(w.resumeAction()->isEnabled());
    w.resumeAction()->trigger();
    QCOMPARE(resume.count(), 1);
    QCOMPARE(resume.takeFirst().at(0).toLongLong(), d_.id);
    w.selectRuns({d_.id, a_.id});
    QVERIFY(!w.resumeAction()->isEnabled());
    QVERIFY(w.compareAction()->isEnabled());
    QVERIFY(!w.renameAction()->isEnabled());
  }

  void notesAndExport() {
    RunsBrowser w;
    w.setDatabase(dbPath_);
    w.selectRuns({b_.id});
    whenModal<QDialog>([](QDialog* dialog) {
      auto* edit = dialog->findChild<QPlainTextEdit*>("notesEdit");
      QVERIFY(edit);
      edit->setPlainText("seed 1 looks fine");
      dialog->accept();
    });
    w.notesAction()->trigger();
    {
      iql::RunStore other(dbPath_.toStdString());
      QCOMPARE(QString::fromStdString(other.get_run(b_.id)->notes), QString("seed 1 looks fine"));
    }
    QCOMPARE(w.model()->index(w.model()->rowOfRun(b_.id), RunTableModel::Name).data(Qt::ToolTipRole).toString(),
             QString("seed 1 looks fine"));

    const QString csv = dir_.filePath("b.csv");
    QVERIFY(w.exportCsv(b_.id, csv));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readLine().trimmed(), QByteArray("step,key,value"));
    QVERIFY(f.readAll().count('\n') >= 2 * 201 - 1);
    QVERIFY(!w.exportCsv(b_.id, dir_.filePath("no/such/dir/x.csv")));
  }

  void autoRefreshKeepsSelection() {
    RunsBrowser w;
    w.setDatabase(dbPath_);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.autoRefreshTimer()->isActive());
    QCOMPARE(w.autoRefreshTimer()->interval(), 2000);
    w.selectRuns({a_.id, c_.id});
    const int before = w.model()->rowCount();
    qint64 added = 0;
    {
      iql::RunStore other(dbPath_.toStdString());
      added = addRun(other, "late-run", "hopper-medium-v2", 0.6, 2.0, 0, "finished",
                     "2024-06-01T10:00:00.000Z", 2, 30).id;
    }
    QSignalSpy reset(w.model(), &QAbstractItemModel::modelReset);
    QVERIFY(reset.wait(5000));  // the 2 s timer, not a sleep
    QCOMPARE(w.model()->rowCount(), before + 1);
    QCOMPARE(w.selectedRunIds().size(), 2);
    QVERIFY(w.selectedRunIds().contains(a_.id) && w.selectedRunIds().contains(c_.id));
    w.hide();
    QVERIFY(!w.autoRefreshTimer()->isActive());
    iql::RunStore(dbPath_.toStdString()).delete_run(added);
  }

  void compareGroupsSeedsIntoBands() {
    RunsBrowser w;
    w.setDatabase(dbPath_);
    w.selectRuns({a_.id, b_.id});
    w.compareAction()->trigger();
    CompareView* cv = w.compareView();
    QVERIFY(!cv->isHidden());
    QCOMPARE(cv->runIds().size(), 2);
    QCOMPARE(cv->currentMetric(), CompareView::kNormalisedScore);
    QCOMPARE(cv->bandGroupCount(), 1);
    // sparse evaluation series: the legend says which summary its number is
    QCOMPARE(cv->legendLabels().size(), 1);
    QVERIFY2(cv->legendLabels().at(0).startsWith("τ 0.7 β 3 (2 seeds) · final (mean of seeds) "),
             qPrintable(cv->legendLabels().at(0)));
    // mean +- std band: mean graph + lower/upper channel, the upper filled towards the lower
    QCOMPARE(cv->curvePlot()->graphCount(), 3);
    QCPGraph* upper = cv->curvePlot()->graph(1);
    QCOMPARE(upper->channelFillGraph(), cv->curvePlot()->graph(0));
    QCOMPARE(cv->curvePlot()->xAxis->label(), QString("step"));
    QCOMPARE(cv->curvePlot()->yAxis->label(), QString("normalised score"));
    // the band mean is the mean of the (unsmoothed) runs on their common steps
    cv->smoothingSlider()->setValue(0);
    QCPGraph* mean = cv->curvePlot()->graph(2);
    QCOMPARE(mean->data()->size(), 20);
    QCOMPARE(mean->data()->at(19)->value, (a_.scores.back() + b_.scores.back()) / 2.0);

    // grouping off: one curve per run
    cv->groupSeedsCheck()->setChecked(false);
    QCOMPARE(cv->bandGroupCount(), 0);
    QCOMPARE(cv->legendLabels().size(), 2);
    cv->groupSeedsCheck()->setChecked(true);

    // metric keys common to the runs plus the evaluation curves
    QVERIFY(cv->metricCombo()->findData("loss/value") >= 0);
    QVERIFY(cv->metricCombo()->findData(CompareView::kEvalReturn) >= 0);
    cv->setMetric("loss/value");
    QCOMPARE(cv->curvePlot()->yAxis->label(), QString("loss/value"));
    QCOMPARE(cv->bandGroupCount(), 1);

    // two seed groups and a single run
    w.selectRuns({a_.id, b_.id, f_.id, c_.id, g_.id, d_.id});
    w.compareAction()->trigger();
    QCOMPARE(cv->bandGroupCount(), 2);
    QCOMPARE(cv->currentMetric(), QString("loss/value"));  // kept
    const QStringList labels = cv->legendLabels();
    // the interrupted run has other steps: every entry says its steps
    QVERIFY2(labels.contains("τ 0.7 β 3 steps 20,000 (3 seeds)"), qPrintable(labels.join('|')));
    QVERIFY2(labels.contains("τ 0.9 β 10 steps 20,000 (2 seeds)"), qPrintable(labels.join('|')));
    QVERIFY2(labels.contains(QStringLiteral("#%1 τ 0.5 β 1 seed 0 steps 6,000").arg(d_.id)), qPrintable(labels.join('|')));
    QCOMPARE(labels.size(), 3);
  }

  void helpersAlignBands() {
    iqlui::Series x{{0, 10, 20, 30}, {0, 1, 2, 3}};
    iqlui::Series y{{0, 10, 20, 30, 40}, {2, 3, 4, 5, 6}};
    iqlui::BandSeries band = iqlui::meanStdBand({x, y});
    QCOMPARE(band.steps, (QVector<double>{0, 10, 20, 30}));  // common steps
    QCOMPARE(band.mean, (QVector<double>{1, 2, 3, 4}));
    QCOMPARE(band.upper[0] - band.mean[0], std::sqrt(2.0));  // sample std of {0, 2}
    // different grids: interpolated on the union inside the common range
    iqlui::Series z{{5, 15, 25}, {1, 1, 1}};
    band = iqlui::meanStdBand({x, z});
    QCOMPARE(band.steps, (QVector<double>{5, 10, 15, 20, 25}));
    QCOMPARE(band.mean[0], (0.5 + 1.0) / 2.0);
    QCOMPARE(iqlui::seedFreeConfigKey(R"({"seed":3,"b":1,"a":2,"name":"x"})"), QString(R"({"a":2,"b":1})"));
  }

  void configDiffListsDifferingKeys() {
    RunsBrowser w;
    w.setDatabase(dbPath_);
    w.selectRuns({a_.id, b_.id});
    w.compareSelected();
    QCOMPARE(w.compareView()->diffKeys(), QStringList{"seed"});
    w.selectRuns({a_.id, b_.id, c_.id});
    w.compareSelected();
    QCOMPARE(w.compareView()->diffKeys(), (QStringList{"expectile", "seed", "temperature"}));
    QTableWidget* t = w.compareView()->diffTable();
    QCOMPARE(t->rowCount(), 3);
    QCOMPARE(t->columnCount(), 3);
    QCOMPARE(t->verticalHeaderItem(0)->text(), QString("expectile"));
    // columns follow the table order (newest first): c, b, a
    QCOMPARE(t->item(0, 0)->text(), QString("0.9"));
    QCOMPARE(t->item(2, 0)->text(), QString("10"));
    QCOMPARE(t->item(1, 2)->text(), QString("0"));
    w.selectRuns({a_.id, e_.id});
    w.compareSelected();
    QCOMPARE(w.compareView()->diffKeys(),
             (QStringList{"dataset", "env", "expectile", "steps", "temperature"}));
  }

  void heatMapCells() {
    RunsBrowser w;
    w.setDatabase(dbPath_);
    w.selectRuns({c_.id});
    w.compareSelected();
    CompareView* cv = w.compareView();
    QCOMPARE(cv->heatmapDataset(), QString("hopper-medium-v2"));
    // finished hopper runs only: taus {0.5, 0.7, 0.9}, betas {3, 10} (the interrupted beta=1 run is out)
    QCOMPARE(cv->heatmapTaus(), (QVector<double>{0.5, 0.7, 0.9}));
    QCOMPARE(cv->heatmapBetas(), (QVector<double>{3.0, 10.0}));
    QCOMPARE(cv->heatmapValue(0.9, 10.0), (c_.scores.back() + g_.scores.back()) / 2.0);
    QCOMPARE(cv->heatmapValue(0.7, 3.0), (a_.scores.back() + b_.scores.back() + f_.scores.back()) / 3.0);
    QVERIFY(std::isnan(cv->heatmapValue(0.5, 1.0)));
    QVERIFY(std::isnan(cv->heatmapValue(0.5, 3.0)));  // no run there
    // the colour map cell holds the same value
    const int i = cv->heatmapTaus().indexOf(0.9), j = cv->heatmapBetas().indexOf(10.0);
    QCOMPARE(cv->heatMap()->data()->cell(i, j), cv->heatmapValue(0.9, 10.0));
    QCOMPARE(cv->heatmapPlot()->xAxis->label(), QString("expectile tau"));
    QCOMPARE(cv->heatmapPlot()->yAxis->label(), QString("temperature beta"));
    // few cells: a text label per filled cell
    int labels = 0;
    for (int k = 0; k < cv->heatmapPlot()->itemCount(); ++k)
      if (qobject_cast<QCPItemText*>(cv->heatmapPlot()->item(k))) ++labels;
    QCOMPARE(labels, 4);
    // a dataset with a single finished run still gets a (1 x 1) map
    w.selectRuns({w.model()->runIdAt(0)});  // walker, newest
    w.compareSelected();
    QCOMPARE(cv->heatmapDataset(), QString("walker2d-medium-v2"));
    QCOMPARE(cv->heatmapTaus().size(), 1);
    QVERIFY(std::isfinite(cv->heatmapValue(0.7, 3.0)));
  }

  // Once open, the comparison follows the table's selection (the heat map maps the selected runs),
  // and a refresh after a run finished redraws it with that run's final score.
  void compareFollowsSelectionAndFinishedRuns() {
    const QString path = dir_.filePath("finishing.db");
    qint64 x = 0, y = 0, z = 0;
    {
      iql::RunStore store(path.toStdString());
      x = addRun(store, "x", "hopper-medium-v2", 0.7, 3.0, 0, "finished", "2024-07-01T10:00:00.000Z", 5, 60).id;
      y = addRun(store, "y", "hopper-medium-v2", 0.9, 3.0, 0, "finished", "2024-07-01T11:00:00.000Z", 5, 70).id;
      z = addRun(store, "z", "hopper-medium-v2", 0.9, 10.0, 0, "paused", "2024-07-01T12:00:00.000Z", 5, 80).id;
    }
    RunsBrowser w;
    w.resize(1100, 700);
    w.setDatabase(path);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.autoRefreshTimer()->stop();  // refreshes below are explicit
    CompareView* cv = w.compareView();
    w.selectRuns({x, z});
    w.compareSelected();
    QVERIFY(cv->heatmap()->followsSelection());
    QCOMPARE(cv->heatmapTaus(), QVector<double>{0.7});  // z is paused: left out, and named
    QCOMPARE(cv->heatmap()->leftOutRuns(), QList<qint64>{z});
    // another selection: the open comparison follows it
    w.selectRuns({x, y});
    QCOMPARE(cv->runIds().size(), 2);
    QVERIFY(cv->runIds().contains(y));
    QCOMPARE(cv->heatmapTaus(), (QVector<double>{0.7, 0.9}));
    w.selectRuns({x, z});
    QVERIFY(std::isnan(cv->heatmapValue(0.9, 10.0)));
    // z finishes (its writer marks it so); the next refresh redraws the comparison
    {
      iql::RunStore store(path.toStdString());
      store.update_status(z, "finished");
    }
    w.refresh();
    QVERIFY(cv->heatmap()->leftOutRuns().isEmpty());
    QVERIFY(std::isfinite(cv->heatmapValue(0.9, 10.0)));
    QCOMPARE(cv->heatmap()->cellRuns(0.9, 10.0), QList<qint64>{z});
  }

  // At 1100 px the id, settings, status, steps and scores stay in view; the name gives way (elided).
  void narrowWindowKeepsTheNumbersInView() {
    RunsBrowser w;
    w.resize(760, 500);  // the Runs tab's width in a 1100x700 window
    w.setDatabase(dbPath_);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTableView* t = w.tableView();
    const int viewport = t->viewport()->width();
    for (int c : {RunTableModel::Id, RunTableModel::Name, RunTableModel::Tau, RunTableModel::Beta, RunTableModel::Seed,
                  RunTableModel::Status, RunTableModel::Steps, RunTableModel::BestScore, RunTableModel::FinalScore}) {
      const int right = t->horizontalHeader()->sectionViewportPosition(c) + t->columnWidth(c);
      QVERIFY2(right <= viewport, qPrintable(QString("column %1 ends at %2 of %3").arg(c).arg(right).arg(viewport)));
      QVERIFY2(t->columnWidth(c) >= 30, qPrintable(QString("column %1 is %2 px").arg(c).arg(t->columnWidth(c))));
    }
    QVERIFY(t->columnWidth(RunTableModel::Name) >= 120);
  }

  void deleteWithConfirmation() {
    RunsBrowser w;
    w.setDatabase(dbPath_);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const int before = w.model()->rowCount();
    // Cancel keeps the run
    w.selectRuns({e_.id});
    whenModal<QMessageBox>([](QMessageBox* box) { box->button(QMessageBox::Cancel)->click(); });
    w.deleteAction()->trigger();
    QCOMPARE(w.model()->rowCount(), before);
    // Yes deletes it, with everything stored for it
    whenModal<QMessageBox>([](QMessageBox* box) {
      QVERIFY(box->text().contains("pendulum-try"));
      box->button(QMessageBox::Yes)->click();
    });
    w.deleteAction()->trigger();
    QCOMPARE(w.model()->rowCount(), before - 1);
    QCOMPARE(w.model()->rowOfRun(e_.id), -1);
    iql::RunStore other(dbPath_.toStdString());
    QVERIFY(!other.get_run(e_.id).has_value());
    QVERIFY(other.metrics(e_.id).empty());
  }

  // Browsing opens the store read-only: a run whose writer died shows as interrupted, but the file is
  // not touched (no migration, no marking); an edit the user makes still reaches the file.
  void browsingNeverWritesTheStore() {
    const QString path = dir_.filePath("view-only.db");
    qint64 id = 0;
    {
      iql::RunStore store(path.toStdString());
      id = addRun(store, "dead-writer", "hopper-medium-v2", 0.7, 3.0, 0, "running", "2024-06-01T10:00:00.000Z", 2, 50).id;
    }
    const auto sql = [&](const std::string& q) {
      sqlite3* db = nullptr;
      QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
      QCOMPARE(sqlite3_exec(db, q.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(db);
    };
    // The writer ran before an earlier boot of this host: it is gone.
    sql("UPDATE runs SET writer_boot_id='00000000-0000-0000-0000-000000000000' WHERE id=" + std::to_string(id));
    const auto bytes = [&] {
      QFile f(path);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray before = bytes();
    QVERIFY(!before.isEmpty());
    {
      RunsBrowser w;
      w.setDatabase(path);
      const int row = w.model()->rowOfRun(id);
      QVERIFY(row >= 0);
      QCOMPARE(w.model()->index(row, RunTableModel::Status).data().toString(), QString("interrupted"));
      w.refresh();
    }
    QCOMPARE(bytes(), before);
    QVERIFY(!QFile::exists(path + "-wal") || QFileInfo(path + "-wal").size() == 0);
    {
      iql::RunStore reader(path.toStdString(), iql::RunStore::Mode::read_only);
      QVERIFY(reader.get_run(id).has_value());
    }
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, ("SELECT status FROM runs WHERE id=" + std::to_string(id)).c_str(), -1, &st, nullptr),
             SQLITE_OK);
    QCOMPARE(sqlite3_step(st), SQLITE_ROW);
    const QString stored = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    QCOMPARE(stored, QString("running"));  // shown as interrupted, stored as it was
    // A rename is an edit the user asked for: it is written.
    RunsBrowser w;
    w.setDatabase(path);
    const QModelIndex name = w.model()->index(w.model()->rowOfRun(id), RunTableModel::Name);
    QVERIFY(w.model()->setData(name, "renamed", Qt::EditRole));
    QCOMPARE(QString::fromStdString(iql::RunStore(path.toStdString(), iql::RunStore::Mode::read_only).get_run(id)->name),
             QString("renamed"));
  }

  // The view opened before any run existed picks the file up once a run makes it.
  void emptyViewPicksUpANewStore() {
    const QString path = dir_.filePath("made-later.db");
    RunsBrowser w;
    w.setDatabase(path);
    QCOMPARE(w.model()->rowCount(), 0);
    QVERIFY(!QFile::exists(path));  // looking did not create it
    {
      iql::RunStore store(path.toStdString());
      addRun(store, "first", "hopper-medium-v2", 0.7, 3.0, 0, "finished", "2024-06-02T10:00:00.000Z", 2, 50);
    }
    w.refresh();
    QCOMPARE(w.model()->rowCount(), 1);
  }

  void screenshot() {
    RunsBrowser w;
    w.resize(1500, 1000);
    w.setDatabase(dbPath_);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.selectRuns({a_.id, b_.id, f_.id, c_.id, g_.id, d_.id});
    w.compareSelected();
    QApplication::processEvents();
    const QString path = QCoreApplication::applicationDirPath() + "/runs_browser.png";
    QVERIFY(w.grab().save(path));
    w.compareView()->setMetric("loss/value");
    QVERIFY(w.grab().save(QCoreApplication::applicationDirPath() + "/runs_browser_loss.png"));
    // the Runs tab's size in a 1100x700 window
    w.resize(760, 580);
    w.compareView()->setMetric(CompareView::kNormalisedScore);
    QApplication::processEvents();
    QVERIFY(w.grab().save(QCoreApplication::applicationDirPath() + "/runs_browser_small.png"));
    qInfo("screenshot: %s", qPrintable(path));
  }
};

QTEST_MAIN(TestRunsBrowser)
#include "test_runs_browser.moc"
