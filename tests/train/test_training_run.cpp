// run_training end to end against a temporary store: what it records (metrics, evaluations,
// histograms, checkpoints with their hashes), live changes and stop requests through RunControl,
// and resume from a checkpoint giving the same numbers as an uninterrupted run.
#include <QtTest/QtTest>

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/algo/iql_math.h"
#include "core/store/run_store.h"
#include "core/train/training_run.h"
#include "core/util/errors.h"

using namespace iql;

namespace {

TrainConfig run_config(int64_t steps) {
  TrainConfig c;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 64;
  c.batch_size = 128;
  c.steps = steps;
  c.eval_interval = 100;
  c.eval_episodes = 2;
  c.probe_interval = 100;
  c.log_interval = 10;
  c.seed = 3;
  // One thread: with the default (0, a share of the cores that follows the other trainings running)
  // the thread count, and with it the rounding, can change mid-run under ctest -j2 (issue 23).
  c.threads = 1;
  return c;
}

QString sha256_of(const std::string& path) {
  QFile f(QString::fromStdString(path));
  if (!f.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash h(QCryptographicHash::Sha256);
  h.addData(&f);
  return QString::fromLatin1(h.result().toHex());
}

// (step, key) -> value
std::map<std::pair<int64_t, std::string>, double> metric_map(RunStore& s, int64_t run) {
  std::map<std::pair<int64_t, std::string>, double> out;
  for (auto& m : s.metrics(run)) out[{m.step, m.key}] = m.value;
  return out;
}

}  // namespace

class TestTrainingRun : public QObject {
  Q_OBJECT
  QTemporaryDir home_;  // built-in dataset cache (XDG_DATA_HOME) for this test only
  QByteArray old_xdg_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    old_xdg_ = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", home_.path().toUtf8());
  }
  void cleanupTestCase() {
    if (old_xdg_.isNull()) qunsetenv("XDG_DATA_HOME");
    else qputenv("XDG_DATA_HOME", old_xdg_);
  }

  // Run ids restart in every store: two stores in one folder keep their checkpoints apart.
  void storesInOneFolderKeepTheirCheckpoints() {
    QTemporaryDir dir;
    RunControl control;
    std::vector<std::string> paths;
    for (const char* name : {"/a.db", "/b.db"}) {
      RunOptions opt;
      opt.db_path = (dir.path() + name).toStdString();
      auto c = run_config(20);
      c.eval_interval = 0;
      c.probe_interval = 0;
      const auto out = run_training(c, opt, control, {});
      QCOMPARE(out.run_id, int64_t(1));
      RunStore store(opt.db_path);
      const auto ckpt = store.latest_checkpoint(out.run_id);
      QVERIFY(ckpt.has_value());
      paths.push_back(ckpt->path);
    }
    QCOMPARE(QFileInfo(QString::fromStdString(paths[0])).absolutePath(), dir.path() + "/a-checkpoints/run-1");
    QCOMPARE(QFileInfo(QString::fromStdString(paths[1])).absolutePath(), dir.path() + "/b-checkpoints/run-1");
    // the first store's checkpoint is still the file it recorded
    RunStore a((dir.path() + "/a.db").toStdString());
    QCOMPARE(sha256_of(paths[0]), QString::fromStdString(a.latest_checkpoint(1)->sha256));
  }

  void recordsEverything() {
    QTemporaryDir dir;
    RunOptions opt;
    opt.db_path = (dir.path() + "/runs.db").toStdString();
    opt.tags = {"unit"};
    RunControl control;
    int started = 0, metrics_cb = 0, evals_cb = 0, probes_cb = 0;
    std::vector<int64_t> metric_steps;
    RunCallbacks cb;
    cb.on_started = [&](int64_t, const TrainConfig& c) {
      ++started;
      QCOMPARE(c.steps, int64_t(300));
    };
    cb.on_metrics = [&](const StepMetrics& m) {
      ++metrics_cb;
      metric_steps.push_back(m.step);
    };
    cb.on_evaluation = [&](const EvalResult&) { ++evals_cb; };
    cb.on_probe = [&](const ProbeSnapshot& p) {
      ++probes_cb;
      QCOMPARE(p.v.size(), size_t(1024));
    };
    const auto out = run_training(run_config(300), opt, control, cb);
    QCOMPARE(out.status, std::string("finished"));
    QCOMPARE(out.steps, int64_t(300));
    QVERIFY(out.final_evaluation.has_value());
    QCOMPARE(out.final_evaluation->step, int64_t(300));
    QCOMPARE(started, 1);
    QCOMPARE(metrics_cb, 30);
    QCOMPARE(evals_cb, 3);
    QCOMPARE(probes_cb, 3);

    RunStore store(opt.db_path);
    auto info = store.get_run(out.run_id);
    QVERIFY(info.has_value());
    QCOMPARE(info->status, std::string("finished"));
    QCOMPARE(info->steps, int64_t(300));
    QCOMPARE(info->algorithm, std::string("iql"));
    QCOMPARE(info->tags, std::vector<std::string>{"unit"});
    QCOMPARE(TrainConfig::from_json(info->config_json).hidden, 64);

    // metrics at every 10th step and only there
    const std::set<std::string> expected_keys = {"v_loss",  "q_loss",   "actor_lr",   "actor_loss",      "v_mean",
                                                 "q_mean",  "adv_mean", "adv_std",    "awr_weight_mean", "awr_ess",
                                                 "adv_max", "q_target_mean", "awr_clip_frac", "policy_std"};
    auto keys = store.metric_keys(out.run_id);
    for (auto& k : expected_keys)
      QVERIFY2(std::find(keys.begin(), keys.end(), k) != keys.end(), k.c_str());
    auto series = store.metric_series(out.run_id, "q_loss");
    QCOMPARE(series.size(), size_t(30));
    for (size_t i = 0; i < series.size(); ++i) {
      QCOMPARE(series[i].first, int64_t(10 * (i + 1)));
      QVERIFY(std::isfinite(series[i].second));
    }
    for (auto& m : store.metrics(out.run_id)) QVERIFY(m.step % 10 == 0);
    // the stored actor lr is the cosine schedule
    for (auto& [step, v] : store.metric_series(out.run_id, "actor_lr"))
      QVERIFY(std::abs(v - algo::cosine_decay(3e-4, step - 1, 300)) < 1e-15);

    auto evals = store.evaluations(out.run_id);
    QCOMPARE(evals.size(), size_t(3));
    for (size_t i = 0; i < 3; ++i) {
      QCOMPARE(evals[i].step, int64_t(100 * (i + 1)));
      QCOMPARE(evals[i].episodes, 2);
      QVERIFY(evals[i].return_mean <= 0 && evals[i].return_mean > -2000);  // 200 steps of [-16.3, 0]
    }
    QCOMPARE(evals.back().return_mean, out.final_evaluation->return_mean);

    for (const char* name : {"v", "q", "adv", "weights"}) {
      auto hs = store.histograms(out.run_id, name);
      QCOMPARE(hs.size(), size_t(3));
      for (size_t i = 0; i < hs.size(); ++i) {
        QCOMPARE(hs[i].step, int64_t(100 * (i + 1)));
        QCOMPARE(hs[i].edges.size(), hs[i].counts.size() + 1);
        double total = 0;
        for (double c : hs[i].counts) total += c;
        QCOMPARE(total, 1024.0);  // the fixed probe batch
      }
    }
    // the AWR weights never exceed the clip
    for (auto& h : store.histograms(out.run_id, "weights")) QVERIFY(h.edges.back() <= 100.0 + 1e-9);

    auto ckpts = store.checkpoints(out.run_id);
    QCOMPARE(ckpts.size(), size_t(1));
    QCOMPARE(ckpts[0].step, int64_t(300));
    QCOMPARE(ckpts[0].path, out.checkpoint_path);
    QVERIFY(QFile::exists(QString::fromStdString(ckpts[0].path)));
    QCOMPARE(QString::fromStdString(ckpts[0].sha256), sha256_of(ckpts[0].path));
    QCOMPARE(ckpts[0].sha256.size(), size_t(64));
  }

  void liveChangeIsRecordedAndApplied() {
    QTemporaryDir dir;
    RunOptions opt;
    opt.db_path = (dir.path() + "/runs.db").toStdString();
    RunControl control;
    std::vector<RunEvent> events;
    RunCallbacks cb;
    cb.on_metrics = [&](const StepMetrics& m) {
      if (m.step == 50) {
        control.request_change("actor_lr", 1e-3);
        control.request_change("temperature", 1.0);
      }
    };
    cb.on_event = [&](const RunEvent& e) { events.push_back(e); };
    auto cfg = run_config(200);
    cfg.eval_interval = 0;
    cfg.probe_interval = 0;
    const auto out = run_training(cfg, opt, control, cb);
    QCOMPARE(out.status, std::string("finished"));

    RunStore store(opt.db_path);
    std::vector<EventRecord> hyper;
    for (auto& e : store.events(out.run_id))
      if (e.kind == "hyperparameter") hyper.push_back(e);
    QCOMPARE(hyper.size(), size_t(2));
    auto j = QJsonDocument::fromJson(QByteArray::fromStdString(hyper[0].payload_json)).object();
    QCOMPARE(hyper[0].step, int64_t(50));
    QCOMPARE(j.value("name").toString(), QString("actor_lr"));
    QCOMPARE(j.value("old").toDouble(), 3e-4);
    QCOMPARE(j.value("new").toDouble(), 1e-3);
    auto j2 = QJsonDocument::fromJson(QByteArray::fromStdString(hyper[1].payload_json)).object();
    QCOMPARE(j2.value("name").toString(), QString("temperature"));
    QCOMPARE(j2.value("old").toDouble(), 3.0);
    QCOMPARE(j2.value("new").toDouble(), 1.0);
    QCOMPARE(events.size(), size_t(2));  // the callback saw the same two events
    QCOMPARE(events[0].name, std::string("actor_lr"));

    // the actor lr metric follows the new base lr from step 51 on
    for (auto& [step, v] : store.metric_series(out.run_id, "actor_lr")) {
      const double base = step <= 50 ? 3e-4 : 1e-3;
      QVERIFY2(std::abs(v - algo::cosine_decay(base, step - 1, 200)) < 1e-15, qPrintable(QString::number(step)));
    }
  }

  void stopFromCallback() {
    QTemporaryDir dir;
    RunOptions opt;
    opt.db_path = (dir.path() + "/runs.db").toStdString();
    RunControl control;
    RunCallbacks cb;
    cb.on_metrics = [&](const StepMetrics& m) {
      if (m.step == 100) control.request_stop();
    };
    const auto out = run_training(run_config(300), opt, control, cb);
    QCOMPARE(out.status, std::string("stopped"));
    QCOMPARE(out.steps, int64_t(100));
    RunStore store(opt.db_path);
    auto info = store.get_run(out.run_id);
    QCOMPARE(info->status, std::string("stopped"));
    QCOMPARE(info->steps, int64_t(100));
    bool stop_event = false;
    for (auto& e : store.events(out.run_id))
      if (e.kind == "stop") {
        stop_event = true;
        QCOMPARE(e.step, int64_t(100));
      }
    QVERIFY(stop_event);
    for (auto& m : store.metrics(out.run_id)) QVERIFY(m.step <= 100);
    auto ck = store.latest_checkpoint(out.run_id);
    QVERIFY(ck.has_value());
    QCOMPARE(ck->step, int64_t(100));
    QCOMPARE(QString::fromStdString(ck->sha256), sha256_of(ck->path));
  }

  // db1: 200 uninterrupted steps. db2: a run with the same config interrupted at 100 (stopped, or a
  // 100-step run without lr schedule), resumed to 200. Steps 110..200 must match exactly.
  void resumeMatchesUninterrupted_data() {
    QTest::addColumn<bool>("viaStop");
    QTest::newRow("stopped at 100, resumed") << true;
    QTest::newRow("100-step run, steps_override 200") << false;
  }
  void resumeMatchesUninterrupted() {
    QFETCH(bool, viaStop);
    QTemporaryDir dir;
    auto cfg = run_config(200);
    if (!viaStop) cfg.actor_cosine_decay = false;  // the schedule depends on the total step count
    RunCallbacks none;

    RunOptions o1;
    o1.db_path = (dir.path() + "/db1/runs.db").toStdString();
    QDir().mkpath(dir.path() + "/db1");
    RunControl c1;
    const auto full = run_training(cfg, o1, c1, none);
    QCOMPARE(full.steps, int64_t(200));

    RunOptions o2;
    o2.db_path = (dir.path() + "/db2/runs.db").toStdString();
    QDir().mkpath(dir.path() + "/db2");
    RunControl c2;
    RunCallbacks stopper;
    auto first_cfg = cfg;
    if (viaStop) {
      stopper.on_metrics = [&](const StepMetrics& m) {
        if (m.step == 100) c2.request_stop();
      };
    } else {
      first_cfg.steps = 100;
    }
    const auto first = run_training(first_cfg, o2, c2, stopper);
    QCOMPARE(first.steps, int64_t(100));
    QCOMPARE(first.status, std::string(viaStop ? "stopped" : "finished"));

    RunOptions o3 = o2;
    o3.resume_run_id = first.run_id;
    o3.steps_override = 200;
    RunControl c3;
    int64_t first_metric_step = -1;
    RunCallbacks cb3;
    cb3.on_metrics = [&](const StepMetrics& m) {
      if (first_metric_step < 0) first_metric_step = m.step;
    };
    const auto resumed = run_training(cfg /* ignored: the stored config is used */, o3, c3, cb3);
    QCOMPARE(resumed.run_id, first.run_id);
    QCOMPARE(resumed.status, std::string("finished"));
    QCOMPARE(resumed.steps, int64_t(200));
    QCOMPARE(first_metric_step, int64_t(110));
    // a stopped run checkpoints before its stop-time evaluation, so the resumed run's final evaluation
    // uses the same episode seeds as the uninterrupted one (a requeued sweep task relies on this)
    if (viaStop) QCOMPARE(resumed.final_evaluation->return_mean, full.final_evaluation->return_mean);

    RunStore s1(o1.db_path), s2(o2.db_path);
    QCOMPARE(s2.get_run(first.run_id)->status, std::string("finished"));
    QCOMPARE(s2.get_run(first.run_id)->steps, int64_t(200));
    bool resume_event = false;
    for (auto& e : s2.events(first.run_id))
      if (e.kind == "resume_from_checkpoint") {
        resume_event = true;
        QCOMPARE(e.step, int64_t(100));
      }
    QVERIFY(resume_event);

    auto m1 = metric_map(s1, full.run_id), m2 = metric_map(s2, first.run_id);
    int compared = 0;
    for (auto& [key, v1] : m1) {
      if (key.first < 110) continue;
      auto it = m2.find(key);
      QVERIFY2(it != m2.end(), qPrintable(QString("missing %1 @ %2").arg(key.second.c_str()).arg(key.first)));
      if (!(it->second == v1))
        QFAIL(qPrintable(QString("%1 @ %2: resumed %3, uninterrupted %4")
                             .arg(key.second.c_str())
                             .arg(key.first)
                             .arg(it->second, 0, 'g', 17)
                             .arg(v1, 0, 'g', 17)));
      ++compared;
    }
    QCOMPARE(compared, 10 * 14);  // steps 110..200, 14 metrics each
    // the final evaluations agree too (same weights, same episode seeds)
    QCOMPARE(resumed.final_evaluation->return_mean, full.final_evaluation->return_mean);
    // and the resumed run has checkpoints at 100 and 200
    auto ck = s2.checkpoints(first.run_id);
    QCOMPARE(ck.size(), size_t(2));
    QCOMPARE(ck[1].step, int64_t(200));
  }

  void resumeUnknownRunThrows() {
    QTemporaryDir dir;
    RunOptions opt;
    opt.db_path = (dir.path() + "/runs.db").toStdString();
    opt.resume_run_id = 42;
    RunControl control;
    QVERIFY_THROWS_EXCEPTION(ConfigError, run_training(run_config(10), opt, control, {}));
  }
};

QTEST_GUILESS_MAIN(TestTrainingRun)
#include "test_training_run.moc"
