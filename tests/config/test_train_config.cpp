// TrainConfig resolution: the official fine-tuning recipe (constant actor lr in both phases) for runs
// with an online phase unless cosine is asked for; reward scaling only for hopper, halfcheetah and
// walker2d (as the official train_offline.py; Ant keeps raw rewards); JSON round trip of the new field.
#include <QtTest/QtTest>

#include "core/config/train_config.h"
#include "core/util/errors.h"

using namespace iql;

class TestTrainConfig : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void offlineRunKeepsCosine() {
    TrainConfig c;
    QVERIFY(c.resolved().actor_cosine_decay);
    c.actor_cosine_decay = false;
    QVERIFY(!c.resolved().actor_cosine_decay);
  }

  void onlinePhaseMeansConstantActorLr() {
    TrainConfig c;
    c.online_steps = 1000;
    QVERIFY(!c.resolved().actor_cosine_decay);
    QVERIFY(!c.resolved().resolved().actor_cosine_decay);  // idempotent
    c.actor_cosine_with_online = true;  // explicitly asked for
    QVERIFY(c.resolved().actor_cosine_decay);
    c.actor_cosine_decay = false;
    QVERIFY(!c.resolved().actor_cosine_decay);
  }

  void newFieldRoundTrips() {
    TrainConfig c;
    c.actor_cosine_with_online = true;
    QVERIFY(TrainConfig::from_json(c.to_json()).actor_cosine_with_online);
    QVERIFY(!TrainConfig::from_json("{}").actor_cosine_with_online);  // configs stored before it existed
    QVERIFY_THROWS_EXCEPTION(ConfigError, TrainConfig::from_json(R"({"actor_cosine_with_online": "yes"})"));
  }

  void rewardScalingAsOfficial_data() {
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("mode");
    QTest::newRow("hopper") << "hopper" << "locomotion";
    QTest::newRow("halfcheetah") << "halfcheetah" << "locomotion";
    QTest::newRow("walker2d") << "walker2d" << "locomotion";
    QTest::newRow("ant") << "ant" << "none";
    QTest::newRow("antmaze") << "antmaze-umaze-v0" << "antmaze";
    QTest::newRow("pendulum") << "pendulum" << "none";
  }
  void rewardScalingAsOfficial() {
    QFETCH(QString, env);
    QFETCH(QString, mode);
    TrainConfig c;
    c.env = env.toStdString();
    QCOMPARE(QString::fromStdString(c.effective_reward_mode()), mode);
    c.reward_mode = "locomotion";  // an explicit mode is kept
    QCOMPARE(c.effective_reward_mode(), std::string("locomotion"));
  }
};

QTEST_GUILESS_MAIN(TestTrainConfig)
#include "test_train_config.moc"
