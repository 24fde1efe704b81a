// RunTableModel over a temporary run database: model invariants, values, editing, sorting.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QFont>
#include <QtTest/QtTest>
#include <cmath>
#include <memory>

#include "core/store/run_store.h"
#include "core/config/train_config.h"
#include "ui/runs/run_table_model.h"

using iqlui::RunSortFilterProxy;
using iqlui::RunTableModel;

namespace {

struct Inserted {
  qint64 id = 0;
  double tau = 0, beta = 0;
  std::vector<double> scores;  // normalised scores, in step order
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
  cfg.steps = 1000;
  iql::RunInfo info;
  info.name = name;
  info.created = created;
  info.updated = created.substr(0, 11) + "23:30:00.000Z";  // 13h 30m after a 10:00 start
  info.status = status;
  info.algorithm = "iql";
  info.dataset = cfg.dataset;
  info.env = cfg.env;
  info.config_json = cfg.to_json();
  info.seed = std::int64_t(seed);
  info.tags = std::move(tags);
  info.steps = evals * 100;
  Inserted r;
  r.id = store.create_run(info);
  r.tau = tau;
  r.beta = beta;
  std::vector<iql::MetricPoint> points;
  for (int s = 0; s <= evals * 100; s += 50) {
    points.push_back({s, "loss/value", 1.0 / (1.0 + s / 100.0) + 0.01 * double(seed)});
    points.push_back({s, "loss/actor", 2.0 - s / 1000.0});
  }
  store.append_metrics(r.id, points);
  for (int k = 1; k <= evals; ++k) {
    const double score = level * (1.0 - std::exp(-k / 3.0)) + 3.0 * std::sin(1.7 * k + 2.1 * double(seed));
    store.add_evaluation(r.id, {k * 100, score * 30.0, 5.0, score, 10});
    r.scores.push_back(score);
  }
  return r;
}

}  // namespace

class TestRunTableModel : public QObject {
  Q_OBJECT

private:
  QTemporaryDir dir_;
  QString dbPath_;
  Inserted a_, b_, c_, d_, e_;
  std::shared_ptr<iql::RunStore> store_;

  int rowOf(const RunTableModel& m, qint64 id) {
    const int row = m.rowOfRun(id);
    [&] { QVERIFY(row >= 0); }();
    return row;
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    dbPath_ = dir_.filePath("runs.db");
    iql::RunStore store(dbPath_.toStdString());
    a_ = addRun(store, "hop-a", "hopper-medium-v2", 0.7, 3.0, 0, "finished", "2024-05-01T10:00:00.000Z", 8, 60, {"baseline"});
    b_ = addRun(store, "hop-b", "hopper-medium-v2", 0.7, 3.0, 1, "finished", "2024-05-02T10:00:00.000Z", 8, 60);
    c_ = addRun(store, "hop-c", "hopper-medium-v2", 0.9, 10.0, 2, "finished", "2024-05-03T10:00:00.000Z", 8, 75, {"sweep", "tau"});
    d_ = addRun(store, "hop-d", "hopper-medium-v2", 0.5, 1.0, 0, "interrupted", "2024-05-04T10:00:00.000Z", 2, 40);
    e_ = addRun(store, "pend-e", "pendulum-medium", 0.8, 0.5, 0, "stopped", "2024-05-05T10:00:00.000Z", 0, 0);
  }

  void init() { store_ = std::make_shared<iql::RunStore>(dbPath_.toStdString()); }
  void cleanup() { store_.reset(); }

  void passesModelTester() {
    RunTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStore(store_);
    RunSortFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(RunTableModel::BestScore, Qt::DescendingOrder);
    proxy.setFilterFixedString("hop");
    QCOMPARE(proxy.rowCount(), 4);
    proxy.setFilterFixedString(QString());
    model.reload();                  // same runs: in-place update
    model.setStore(nullptr);         // reset to empty
    QCOMPARE(model.rowCount(), 0);
    model.setStore(store_);
    QCOMPARE(model.rowCount(), 5);
  }

  void countsAndValues() {
    RunTableModel model;
    model.setStore(store_);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), int(RunTableModel::ColumnCount));
    QCOMPARE(model.columnCount(), 13);  // ID first
    QCOMPARE(model.headerData(RunTableModel::Id, Qt::Horizontal, Qt::DisplayRole).toString(), QString("ID"));
    QCOMPARE(model.headerData(RunTableModel::Tau, Qt::Horizontal, Qt::DisplayRole).toString(), QString("τ"));
    // list_runs order: newest first
    QCOMPARE(model.runIdAt(0), e_.id);
    QCOMPARE(model.runIdAt(4), a_.id);

    for (const Inserted* r : {&a_, &b_, &c_, &d_}) {
      const int row = rowOf(model, r->id);
      QCOMPARE(model.index(row, RunTableModel::Tau).data(RunTableModel::SortRole).toDouble(), r->tau);
      QCOMPARE(model.index(row, RunTableModel::Beta).data(RunTableModel::SortRole).toDouble(), r->beta);
      const double best = *std::max_element(r->scores.begin(), r->scores.end());
      QCOMPARE(model.index(row, RunTableModel::BestScore).data(RunTableModel::SortRole).toDouble(), best);
      QCOMPARE(model.index(row, RunTableModel::FinalScore).data(RunTableModel::SortRole).toDouble(),
               r->scores.back());
      QCOMPARE(model.index(row, RunTableModel::BestScore).data().toString(), QString::number(best, 'f', 1));
      QCOMPARE(model.index(row, RunTableModel::Name).data(RunTableModel::RunIdRole).toLongLong(), r->id);
    }
    const int a = rowOf(model, a_.id);
    QCOMPARE(model.index(a, RunTableModel::Name).data().toString(), QString("hop-a"));
    QCOMPARE(model.index(a, RunTableModel::Dataset).data().toString(), QString("hopper-medium-v2"));
    QCOMPARE(model.index(a, RunTableModel::Env).data().toString(), QString("hopper"));
    QCOMPARE(model.index(a, RunTableModel::Tau).data().toString(), QString("0.7"));
    QCOMPARE(model.index(a, RunTableModel::Beta).data().toString(), QString("3"));
    QCOMPARE(model.index(a, RunTableModel::Seed).data(RunTableModel::SortRole).toLongLong(), 0LL);
    QCOMPARE(model.index(a, RunTableModel::Status).data().toString(), QString("finished"));
    QCOMPARE(model.index(a, RunTableModel::Steps).data(RunTableModel::SortRole).toLongLong(), 800LL);
    QCOMPARE(model.index(a, RunTableModel::Duration).data(RunTableModel::SortRole).toLongLong(), 48600LL);
    QCOMPARE(model.index(a, RunTableModel::Duration).data().toString(), QString("13h 30m"));
    QCOMPARE(model.index(a, RunTableModel::Tags).data().toString(), QString("baseline"));
    const int c = rowOf(model, c_.id);
    QCOMPARE(model.index(c, RunTableModel::Tags).data().toString(), QString("sweep, tau"));
    QCOMPARE(model.index(c, RunTableModel::Seed).data().toString(), QString("2"));

    // a run without evaluations has no score
    const int e = rowOf(model, e_.id);
    QVERIFY(!model.index(e, RunTableModel::BestScore).data(RunTableModel::SortRole).isValid());
    QCOMPARE(model.index(e, RunTableModel::FinalScore).data().toString(), QString("–"));

    // interrupted: labelled and coloured differently from the others
    const int d = rowOf(model, d_.id);
    QCOMPARE(model.index(d, RunTableModel::Status).data().toString(), QString("interrupted"));
    const QColor interrupted = model.index(d, RunTableModel::Status).data(Qt::ForegroundRole).value<QBrush>().color();
    const QColor finished = model.index(a, RunTableModel::Status).data(Qt::ForegroundRole).value<QBrush>().color();
    QVERIFY(interrupted != finished);
    QVERIFY(model.index(d, RunTableModel::Name).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model.index(a, RunTableModel::Name).data(Qt::BackgroundRole).isValid());

    // only name and tags are editable
    QVERIFY(model.flags(model.index(a, RunTableModel::Name)) & Qt::ItemIsEditable);
    QVERIFY(model.flags(model.index(a, RunTableModel::Tags)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(a, RunTableModel::Tau)) & Qt::ItemIsEditable));
  }

  void renameAndTagsPersist() {
    RunTableModel model;
    model.setStore(store_);
    const int b = rowOf(model, b_.id);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(model.index(b, RunTableModel::Name), QString("  renamed-b ")));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(b, RunTableModel::Name).data().toString(), QString("renamed-b"));
    QVERIFY(!model.setData(model.index(b, RunTableModel::Name), QString("   ")));  // empty refused
    QVERIFY(!model.setData(model.index(b, RunTableModel::Tau), 0.1));             // read-only
    QVERIFY(model.setData(model.index(b, RunTableModel::Tags), QString("good, seed-sweep,,good ")));

    iql::RunStore other(dbPath_.toStdString());  // a second connection sees the changes
    auto info = other.get_run(b_.id);
    QVERIFY(info.has_value());
    QCOMPARE(QString::fromStdString(info->name), QString("renamed-b"));
    QCOMPARE(info->tags, (std::vector<std::string>{"good", "seed-sweep"}));

    // a reload after an outside change updates the row in place
    other.rename_run(b_.id, "hop-b");
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(model.reload());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.index(b, RunTableModel::Name).data().toString(), QString("hop-b"));
    other.set_tags(b_.id, {});
  }

  void sortsNumericallyThroughProxy() {
    RunTableModel model;
    model.setStore(store_);
    RunSortFilterProxy proxy;
    proxy.setSourceModel(&model);
    auto order = [&] {
      QList<qint64> ids;
      for (int r = 0; r < proxy.rowCount(); ++r)
        ids << proxy.index(r, 0).data(RunTableModel::RunIdRole).toLongLong();
      return ids;
    };
    auto best = [](const Inserted& r) { return *std::max_element(r.scores.begin(), r.scores.end()); };
    std::vector<const Inserted*> scored{&a_, &b_, &c_, &d_};
    std::sort(scored.begin(), scored.end(), [&](auto* x, auto* y) { return best(*x) > best(*y); });
    QList<qint64> expected;
    for (auto* r : scored) expected << r->id;

    proxy.sort(RunTableModel::BestScore, Qt::DescendingOrder);
    QCOMPARE(order(), expected + QList<qint64>{e_.id});  // no score: last
    QList<qint64> ascending(expected.rbegin(), expected.rend());
    proxy.sort(RunTableModel::BestScore, Qt::AscendingOrder);
    QCOMPARE(order(), ascending + QList<qint64>{e_.id});  // still last
    for (int r = 1; r + 1 < proxy.rowCount(); ++r)
      QVERIFY(proxy.index(r - 1, RunTableModel::BestScore).data(RunTableModel::SortRole).toDouble() <=
              proxy.index(r, RunTableModel::BestScore).data(RunTableModel::SortRole).toDouble());

    // numeric, not lexicographic: beta 10 sorts after beta 3
    proxy.sort(RunTableModel::Beta, Qt::AscendingOrder);
    QCOMPARE(order(), (QList<qint64>{e_.id, d_.id, b_.id, a_.id, c_.id}));  // ties keep list order

    // filter on name/dataset/tags/status, case-insensitive
    proxy.setFilterFixedString("PENDULUM");
    QCOMPARE(order(), QList<qint64>{e_.id});
    proxy.setFilterFixedString("sweep");
    QCOMPARE(order(), QList<qint64>{c_.id});
    proxy.setFilterFixedString("interrupted");
    QCOMPARE(order(), QList<qint64>{d_.id});
  }

  void tunedRunShowsStartAndFinal() {
    // beta 3 -> 4.6 -> 9.74 mid-run (two stored events) on a copy of run b.
    iql::RunInfo info = *store_->get_run(b_.id);
    info.name = "tuned";
    const qint64 id = store_->create_run(info);
    store_->add_event(id, 100, "hyperparameter", R"({"name":"temperature","old":3,"new":4.6})");
    store_->add_event(id, 250, "hyperparameter", R"({"name":"temperature","old":4.6,"new":9.74})");
    store_->add_event(id, 300, "pause", "{}");
    RunTableModel model;
    model.setStore(store_);
    const int row = model.rowOfRun(id);
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, RunTableModel::Beta).data().toString(), QString("3 → 9.74"));
    QCOMPARE(model.index(row, RunTableModel::Beta).data(RunTableModel::SortRole).toDouble(), 3.0);  // start
    QCOMPARE(model.index(row, RunTableModel::Tau).data().toString(), QString("0.7"));  // unchanged
    const QString tip = model.index(row, RunTableModel::Beta).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains("changed mid-run") && tip.contains("3 → 4.6 at step 100") && tip.contains("4.6 → 9.74 at step 250"),
             qPrintable(tip));
    QVERIFY(model.index(row, RunTableModel::Beta).data(Qt::FontRole).value<QFont>().italic());
    QCOMPARE(model.index(row, RunTableModel::Id).data().toString(), QString::number(id));
    store_->delete_run(id);
  }

  void durationTooltipNamesTheDevice() {
    // a copy of run b with the device facts a CUDA run records; run b itself predates them
    iql::RunInfo info = *store_->get_run(b_.id);
    info.name = "on a gpu";
    const qint64 id = store_->create_run(info);
    store_->add_event(id, 0, "runtime",
                      R"({"threads":2,"device":"cuda","device_name":"NVIDIA H200","torch":"2.6.0","cuda":"12.4",)"
                      R"("cuda_graphs":true,"matmul_precision":"fp32"})");
    RunTableModel model;
    model.setStore(store_);
    const QString tip = model.index(model.rowOfRun(id), RunTableModel::Duration).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.endsWith("\ntrained on cuda (NVIDIA H200, CUDA 12.4), graphs on, fp32"), qPrintable(tip));
    const QString plain = model.index(model.rowOfRun(b_.id), RunTableModel::Duration).data(Qt::ToolTipRole).toString();
    QVERIFY2(!plain.contains("trained on"), qPrintable(plain));
    store_->delete_run(id);
  }

  void helpers() {
    QCOMPARE(iqlui::formatDuration(42), QString("42s"));
    QCOMPARE(iqlui::formatDuration(185), QString("3m 05s"));
    QCOMPARE(iqlui::formatDuration(2 * 86400 + 3600), QString("2d 01h"));
    QCOMPARE(RunTableModel::parseTags(" a, b ,,a"), (QStringList{"a", "b"}));
    QVERIFY(std::isnan(iqlui::configNumber("{}", "expectile")));
    QCOMPARE(iqlui::configNumber(R"({"expectile":0.8})", "expectile"), 0.8);
  }
};

QTEST_MAIN(TestRunTableModel)
#include "test_run_table_model.moc"
