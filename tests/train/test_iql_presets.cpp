// The official presets (IQL paper / its configs): AntMaze is tau 0.9, beta 10, rewards r - 1, no
// dropout, 100 evaluation episodes, cosine actor lr offline and none when fine-tuning (1M online
// steps, 2M buffer); locomotion is tau 0.7, beta 3; unknown names are a clear error.
#include <QtTest/QtTest>

#include "core/train/iql_presets.h"
#include "core/util/errors.h"

class TestIqlPresets : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void antmaze() {
    iql::TrainConfig c;
    c.dropout = 0.1;
    iql::apply_preset(iql::iql_preset("antmaze"), c);
    QCOMPARE(c.expectile, 0.9);
    QCOMPARE(c.temperature, 10.0);
    QCOMPARE(c.reward_mode, std::string("antmaze"));
    QCOMPARE(c.dropout, 0.0);
    QCOMPARE(c.eval_episodes, 100);
    QVERIFY(c.actor_cosine_decay);
    QCOMPARE(c.online_steps, int64_t{0});  // offline preset leaves fine-tuning alone
    c.env = "antmaze-umaze";
    QCOMPARE(c.effective_reward_mode(), std::string("antmaze"));
    c.validate();
  }

  void antmazeFinetune() {
    iql::TrainConfig c;
    iql::apply_preset(iql::iql_preset("antmaze-finetune"), c);
    QCOMPARE(c.expectile, 0.9);
    QCOMPARE(c.temperature, 10.0);
    QVERIFY(!c.actor_cosine_decay);
    QCOMPARE(c.online_steps, int64_t{1000000});
    QCOMPARE(c.online_buffer, int64_t{2000000});
    QCOMPARE(c.eval_episodes, 100);
  }

  void locomotionAndUnknown() {
    iql::TrainConfig c;
    c.eval_episodes = 7;
    iql::apply_preset(iql::iql_preset("locomotion"), c);
    QCOMPARE(c.expectile, 0.7);
    QCOMPARE(c.temperature, 3.0);
    QCOMPARE(c.eval_episodes, 7);  // left as is
    try {
      iql::iql_preset("hopper");
      QFAIL("no error");
    } catch (const iql::ConfigError& e) {
      QVERIFY(QString(e.what()).contains("antmaze-finetune"));
    }
  }
};

QTEST_APPLESS_MAIN(TestIqlPresets)
#include "test_iql_presets.moc"
