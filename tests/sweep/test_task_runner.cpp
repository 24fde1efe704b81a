// A sweep task with several members (run_sweep_task in this process, a real shard store): members that
// can share one batched model train as one population, each its own run with its sweep tags and name,
// each computing what the same config trained alone computes; members whose networks differ go to
// separate populations; a task stopped mid-run continues its populations from their checkpoints when
// started again and ends with exactly the metrics of an uninterrupted task.
#include <QtTest/QtTest>

#include <cmath>
#include <map>
#include <set>

#include "core/sweep/sweep_folder.h"
#include "core/sweep/sweep_plan.h"
#include "core/sweep/sweep_spec.h"
#include "core/sweep/task_runner.h"
#include "sweep_test_support.h"

using namespace iql;
using namespace sweeptest;

namespace {

// 2 x 2 grid, hidden 32 and 48 (which cannot share a model) and two taus. The planner packs only
// members that can share a model into a task; this plan is merged by hand into one task of 4, as a
// hand-edited or older plan could be, so the task must split it into two populations itself.
SweepFolder make_sweep(const QString& dir) {
  const std::string spec_text =
      QString(R"({"name":"pop",%1,"grid":{"hidden":[32,48],"expectile":[0.6,0.8]},"members_per_task":4})")
          .arg(small_base(400, R"(,"checkpoint_interval":100,"eval_interval":150)"))
          .toStdString();
  const SweepSpec spec = SweepSpec::parse(spec_text, "test spec");
  SweepPlan plan = SweepPlan::make(spec, SweepPlan::new_sweep_id(spec.name));
  if (plan.tasks.size() == 2) {
    for (auto& m : plan.tasks[1].members) plan.tasks[0].members.push_back(m);
    plan.tasks.pop_back();
  }
  SweepFolder folder(dir.toStdString());
  folder.create(spec, plan);
  return folder;
}

std::string tag_value(const RunInfo& r, const std::string& key) {
  for (const auto& t : r.tags)
    if (t.rfind(key + "=", 0) == 0) return t.substr(key.size() + 1);
  return "";
}

// The shard's runs by sweep member index.
std::map<int, RunInfo> runs_by_member(RunStore& store) {
  std::map<int, RunInfo> out;
  for (const auto& r : store.list_runs()) out[std::stoi(tag_value(r, "sweep-member"))] = r;
  return out;
}

// Population member against the same config trained alone: the same GEMMs batched, float32 rounding
// at worst (tests/train/test_population.cpp: 1e-4 relative after 300 steps).
bool close_to(const std::vector<MetricPoint>& got, const std::vector<MetricPoint>& want, QString* why) {
  if (got.size() != want.size()) {
    *why = QString("%1 metric rows, alone %2").arg(got.size()).arg(want.size());
    return false;
  }
  for (size_t i = 0; i < got.size(); ++i) {
    const double a = got[i].value, b = want[i].value;
    if (got[i].step != want[i].step || got[i].key != want[i].key || std::abs(a - b) > 1e-4 * std::max(std::abs(b), 0.1)) {
      *why = QString("%1 at step %2: %3, alone %4").arg(QString::fromStdString(got[i].key)).arg(got[i].step).arg(a).arg(b);
      return false;
    }
  }
  return true;
}

}  // namespace

class TestTaskRunner : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    qputenv("XDG_DATA_HOME", tmp_.filePath("xdg").toUtf8());
  }

  void membersTrainAsPopulationsAndResume() {
    // uninterrupted
    SweepFolder whole = make_sweep(tmp_.filePath("whole"));
    const SweepPlan plan = whole.plan();
    QCOMPARE(plan.tasks.size(), size_t(1));
    QCOMPARE(plan.tasks[0].members.size(), size_t(4));
    RunControl control;
    QStringList log;
    auto r = run_sweep_task(whole, 0, control, {[&](const std::string& l) { log << QString::fromStdString(l); }});
    QVERIFY2(r.state == "finished", r.message.c_str());
    RunStore store(whole.shard_path(0));
    auto runs = runs_by_member(store);
    QCOMPARE(runs.size(), size_t(4));
    std::map<std::string, std::set<int64_t>> hidden_by_population;
    for (const auto& m : plan.tasks[0].members) {
      const RunInfo& run = runs.at(m.index);
      QVERIFY2(!run.population_id.empty(), "a member trained alone, not in a population");
      QCOMPARE(QString::fromStdString(run.status), QString("finished"));
      QCOMPARE(QString::fromStdString(tag_value(run, "sweep")), QString::fromStdString(plan.sweep_id));
      QVERIFY2(run.name.find(m.point) != std::string::npos, run.name.c_str());
      hidden_by_population[run.population_id].insert(m.config.hidden);
      // the same config trained alone
      const auto ref = reference_run(m.config, tmp_.filePath(QString("ref-%1.db").arg(m.index)).toStdString());
      QString why;
      QVERIFY2(close_to(store.metrics(run.id), ref.metrics, &why), qPrintable(QString("member %1: ").arg(m.index) + why));
      const auto ev = store.evaluations(run.id);
      QCOMPARE(ev.size(), size_t(3));  // steps 150, 300 and the end
      QVERIFY(std::abs(ev.back().return_mean - ref.final_return) <= 1e-3 * std::max(1.0, std::abs(ref.final_return)));
    }
    QCOMPARE(hidden_by_population.size(), size_t(2));  // one population per network size
    for (const auto& [pop, hidden] : hidden_by_population) QCOMPARE(hidden.size(), size_t(1));

    // stopped right after the first evaluation (step 150, between checkpoint intervals: it checkpoints
    // where it stops), then started again
    SweepFolder parts = make_sweep(tmp_.filePath("parts"));
    RunControl first;
    r = run_sweep_task(parts, 0, first, {[&](const std::string& l) {
                         if (l.rfind("eval at step 150", 0) == 0) first.request_stop();
                       }});
    QCOMPARE(QString::fromStdString(r.state), QString("stopped"));
    {
      RunStore s(parts.shard_path(0));
      int stopped = 0;
      for (const auto& run : s.list_runs()) stopped += run.status == "stopped";
      QVERIFY2(stopped >= 2, "the first population was not stopped mid-run");
    }
    RunControl second;
    r = run_sweep_task(parts, 0, second, {});
    QVERIFY2(r.state == "finished", r.message.c_str());
    QCOMPARE(parts.read_record(0)->attempts, 2);
    RunStore resumed(parts.shard_path(0));
    auto again = runs_by_member(resumed);
    QCOMPARE(again.size(), size_t(4));
    int continued = 0;  // the stopped population went on from step 150, it did not start over
    for (const auto& [index, run] : again)
      for (const auto& e : resumed.events(run.id)) continued += e.kind == "resume_from_checkpoint" && e.step == 150;
    QCOMPARE(continued, 2);
    for (const auto& [index, run] : again) {
      const auto a = resumed.metrics(run.id), b = store.metrics(runs.at(index).id);
      QCOMPARE(a.size(), b.size());
      for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].step, b[i].step);
        QCOMPARE(a[i].key, b[i].key);
        if (!(a[i].value == b[i].value || (std::isnan(a[i].value) && std::isnan(b[i].value))))
          QFAIL(qPrintable(QString("member %1 %2 at step %3: %4 after resume, %5 uninterrupted")
                               .arg(index)
                               .arg(QString::fromStdString(a[i].key))
                               .arg(a[i].step)
                               .arg(a[i].value, 0, 'g', 17)
                               .arg(b[i].value, 0, 'g', 17)));
      }
      // the evaluations are the uninterrupted ones
      std::map<int64_t, double> returns;
      for (const auto& e : resumed.evaluations(run.id)) returns[e.step] = e.return_mean;
      for (const auto& e : store.evaluations(runs.at(index).id)) {
        QVERIFY2(returns.count(e.step), qPrintable(QString("member %1: no evaluation at step %2").arg(index).arg(e.step)));
        QCOMPARE(returns[e.step], e.return_mean);
      }
    }
    QVERIFY(log.join("\n").contains("eval at step 400"));
  }
};

QTEST_GUILESS_MAIN(TestTaskRunner)
#include "test_task_runner.moc"
