// End to end: IQL (tau 0.7, beta 1.0, 2x256 networks, batch 256, raw rewards) on the
// real expert Pendulum-v1 transitions of the fixture file reaches an expert-level evaluation return.
// A random policy scores about -1200 on Pendulum-v1; the dataset's expert episodes average -189.4.
#include <QtTest/QtTest>

#include <cstdlib>

#include "core/store/run_store.h"
#include "core/train/training_run.h"

using namespace iql;

namespace {
// Budget and settings, measured on the 2-core CPU (evaluations of 10 episodes, mean return):
//   official locomotion settings (beta 3, rewards x1000 / return range): -352 @2k, -644 @5k, -909 @6k,
//     -610 @16k steps (seed 0): on expert-only data the scaled advantages make the AWR weights collapse
//     onto ~5% of the batch and the actor degrades. The reward scaling is meant for MuJoCo locomotion,
//     so reward_mode "auto" now keeps Pendulum's rewards raw.
//   raw rewards, beta 3: -249/-209/-503/-508/-349 at 1k..5k (seed 0): still unstable.
//   raw rewards, beta 1.0 (narrow data, like the paper's Adroit/Kitchen temperature 0.5):
//     seed 0: -248, -182, -170, -195 at 1k..4k; seed 1: -274, -190, -253, -192.
// IQL_E2E_STEPS / _SEED / _EVAL_INTERVAL / _REWARD_MODE / _BETA / _ALGORITHM override for experiments.
constexpr int64_t kSteps = 4000;
constexpr double kTargetReturn = -250.0;
}  // namespace

class TestEndToEnd : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void iqlLearnsPendulumFromExpertData() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fixture = QStringLiteral(IQL_FIXTURE_DIR "/pendulum-v1-expert-imitation.hdf5");
    QVERIFY2(QFile::exists(fixture), qPrintable(fixture));
    const QString data = dir.path() + "/pendulum-v1-expert-imitation.hdf5";
    QVERIFY(QFile::copy(fixture, data));

    TrainConfig cfg;
    cfg.algorithm = "iql";
    cfg.dataset = data.toStdString();
    cfg.env = "pendulum";
    QCOMPARE(cfg.expectile, 0.7);
    cfg.temperature = 1.0;  // see the measurements above
    QCOMPARE(cfg.effective_reward_mode(), std::string("none"));
    cfg.hidden = 256;
    cfg.batch_size = 256;
    cfg.steps = kSteps;
    if (const char* s = std::getenv("IQL_E2E_STEPS")) cfg.steps = std::atoll(s);
    if (const char* s = std::getenv("IQL_E2E_SEED")) cfg.seed = std::strtoull(s, nullptr, 10);
    cfg.eval_interval = 0;  // only the final evaluation
    if (const char* s = std::getenv("IQL_E2E_EVAL_INTERVAL")) cfg.eval_interval = std::atoll(s);
    if (const char* s = std::getenv("IQL_E2E_ALGORITHM")) cfg.algorithm = s;
    if (const char* s = std::getenv("IQL_E2E_REWARD_MODE")) cfg.reward_mode = s;
    if (const char* s = std::getenv("IQL_E2E_BETA")) cfg.temperature = std::atof(s);
    cfg.eval_episodes = 10;
    cfg.probe_interval = 0;
    cfg.log_interval = 500;

    RunOptions opt;
    opt.db_path = (dir.path() + "/runs.db").toStdString();
    RunControl control;
    RunCallbacks cb;
    cb.on_evaluation = [](const EvalResult& e) {
      qInfo("evaluation at step %lld: %.1f +- %.1f", static_cast<long long>(e.step), e.return_mean, e.return_std);
    };
    cb.on_metrics = [](const StepMetrics& m) {
      qInfo("step %lld: q_loss %.4f v_loss %.5f actor_loss %.4f v_mean %.2f adv_mean %.4f adv_std %.4f ess %.3f "
            "clip %.3f",
            static_cast<long long>(m.step), m.value("q_loss"), m.value("v_loss"), m.value("actor_loss"),
            m.value("v_mean"), m.value("adv_mean"), m.value("adv_std"), m.value("awr_ess"), m.value("awr_clip_frac"));
    };
    QElapsedTimer timer;
    timer.start();
    const auto out = run_training(cfg, opt, control, cb);
    const double seconds = timer.elapsed() / 1000.0;
    QCOMPARE(out.status, std::string("finished"));
    QCOMPARE(out.steps, cfg.steps);
    QVERIFY(out.final_evaluation.has_value());
    QCOMPARE(out.final_evaluation->returns.size(), size_t(10));
    qInfo("seed %llu, %lld steps in %.1f s (%.0f steps/s): mean return %.1f +- %.1f",
          static_cast<unsigned long long>(cfg.seed), static_cast<long long>(cfg.steps), seconds,
          cfg.steps / seconds, out.final_evaluation->return_mean, out.final_evaluation->return_std);
    QVERIFY2(out.final_evaluation->return_mean >= kTargetReturn,
             qPrintable(QString("mean evaluation return %1 < %2").arg(out.final_evaluation->return_mean).arg(kTargetReturn)));

    RunStore store(opt.db_path);
    auto evals = store.evaluations(out.run_id);
    QCOMPARE(evals.size(), size_t(cfg.eval_interval > 0 ? cfg.steps / cfg.eval_interval + (cfg.steps % cfg.eval_interval != 0) : 1));
    QCOMPARE(evals.back().return_mean, out.final_evaluation->return_mean);
    QCOMPARE(evals.back().episodes, 10);
  }
};

// Qt Test aborts a test function after 5 minutes by default; a loaded CI machine may need longer.
int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT")) qputenv("QTEST_FUNCTION_TIMEOUT", "900000");
  QCoreApplication app(argc, argv);
  TestEndToEnd test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}
#include "test_end_to_end.moc"
