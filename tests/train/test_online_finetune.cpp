// Online fine-tuning improves a policy trained offline on poor data (IQL paper 5.3, on Pendulum):
// averaged over seeds, the evaluation return after a short online phase must beat the offline one by
// a margin a broken online loop (no learning, wrong masks, deterministic exploration) does not reach.
#include <QtTest/QtTest>

#include "core/env/builtin_datasets.h"
#include "core/train/trainer.h"

using namespace iql;

class TestOnlineFinetune : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void improvesOverOfflinePolicy() {
    double before_sum = 0.0, after_sum = 0.0;
    const int seeds = 2;
    for (int seed = 0; seed < seeds; ++seed) {
      TrainConfig c;
      c.dataset = "pendulum-random";
      c.env = "pendulum";
      c.hidden = 64;
      c.steps = 1000;
      c.seed = seed;
      c.online_steps = 3000;
      Trainer t(c, generate_builtin_dataset("pendulum-random", 0));
      for (int64_t i = 0; i < c.steps; ++i) t.step(false);
      const double before = t.evaluate(10).return_mean;
      t.begin_online();
      for (int64_t i = 0; i < c.online_steps; ++i) t.online_step(false, nullptr);
      const double after = t.evaluate(10).return_mean;
      qInfo("seed %d: offline %.1f -> online %.1f", seed, before, after);
      before_sum += before;
      after_sum += after;
    }
    const double gain = (after_sum - before_sum) / seeds;
    QVERIFY2(gain > 250.0, qPrintable(QString("mean improvement %1").arg(gain)));
  }
};

QTEST_GUILESS_MAIN(TestOnlineFinetune)
#include "test_online_finetune.moc"
