// run_population with a live pause: the members are stored as 'paused' while it waits, then go on to
// finish, and every logged step is stored exactly once per member (a pause loses and repeats nothing).
#include <QtTest/QtTest>

#include <thread>

#include "core/store/run_store.h"
#include "core/train/population_run.h"

using namespace iql;

class TestPopulationRun : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

private Q_SLOTS:
  void initTestCase() { qputenv("XDG_DATA_HOME", tmp_.filePath("xdg").toUtf8()); }

  void pauseAndResumeMidRun() {
    std::vector<TrainConfig> members(2);
    for (size_t k = 0; k < members.size(); ++k) {
      auto& c = members[k];
      c.dataset = "pendulum-medium";
      c.env = "pendulum";
      c.hidden = 32;
      c.batch_size = 64;
      c.steps = 400;
      c.log_interval = 50;
      c.eval_interval = 200;
      c.eval_episodes = 1;
      c.probe_interval = 0;
      c.checkpoint_interval = 200;
      c.threads = 1;
      c.expectile = k == 0 ? 0.6 : 0.8;
    }
    PopulationOptions opt;
    opt.db_path = tmp_.filePath("p.db").toStdString();
    opt.checkpoint_dir = tmp_.filePath("ck").toStdString();
    RunControl control;
    std::vector<int64_t> ids;
    std::vector<std::string> status_while_paused;
    std::thread resumer;
    PopulationCallbacks cb;
    cb.on_started = [&](const std::string&, const std::vector<int64_t>& run_ids, const std::vector<TrainConfig>&) {
      ids = run_ids;
    };
    cb.on_metrics = [&](int64_t member, const StepMetrics& m) {
      if (member == 0 && m.step == 150) control.request_pause();
    };
    cb.on_event = [&](int64_t member, const RunEvent& ev) {
      if (ev.kind != "pause" || member != 1) return;
      RunStore view(opt.db_path, RunStore::Mode::read_only);
      for (auto id : ids) status_while_paused.push_back(view.get_run(id)->status);
      resumer = std::thread([&] { control.request_resume(); });  // another thread lets it go on
    };
    const PopulationOutcome out = run_population(members, opt, control, cb);
    if (resumer.joinable()) resumer.join();
    QCOMPARE(out.status, std::string("finished"));
    QCOMPARE(status_while_paused, (std::vector<std::string>{"paused", "paused"}));
    RunStore store(opt.db_path, RunStore::Mode::read_only);
    for (auto id : ids) {
      QCOMPARE(store.get_run(id)->status, std::string("finished"));
      const auto series = store.metric_series(id, "v_loss");
      QCOMPARE(series.size(), size_t(8));  // steps 50, 100, ..., 400
      for (size_t i = 0; i < series.size(); ++i) QCOMPARE(series[i].first, int64_t(50 * (i + 1)));
      const auto evals = store.evaluations(id);
      QCOMPARE(evals.size(), size_t(2));  // 200, 400
      QCOMPARE(store.latest_checkpoint(id)->step, int64_t(400));
      int pauses = 0, resumes = 0;
      for (const auto& e : store.events(id)) {
        pauses += e.kind == "pause";
        resumes += e.kind == "resume";
      }
      QCOMPARE(pauses, 1);
      QCOMPARE(resumes, 1);
    }
  }
};

QTEST_GUILESS_MAIN(TestPopulationRun)
#include "test_population_run.moc"
