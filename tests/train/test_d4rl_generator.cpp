// The D4RL-style generation pipeline on a tiny budget (Pendulum, so it runs in seconds): every kind
// is a valid D4RL-layout file whose statistics match its metadata; medium-expert is medium then expert.
#include <QtTest/QtTest>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/d4rl_hdf5_writer.h"
#include "core/data/dataset_inspector.h"
#include "core/train/d4rl_generator.h"
#include "core/util/errors.h"

using namespace iql;

class TestD4rlGenerator : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void namesSplit() {
    QCOMPARE(split_dataset_name("hopper-medium-replay").first, std::string("hopper"));
    QCOMPARE(split_dataset_name("hopper-medium-replay").second, std::string("medium-replay"));
    QCOMPARE(split_dataset_name("halfcheetah-medium-expert").second, std::string("medium-expert"));
    QCOMPARE(split_dataset_name("walker2d-random").second, std::string("random"));
    QVERIFY_THROWS_EXCEPTION(ConfigError, split_dataset_name("hopper-best"));
  }

  void tinyPipelineProducesConsistentFiles() {
    GenerationOptions o;
    o.env = "pendulum";
    o.transitions = 1000;
    o.sac_steps = 3000;
    o.start_steps = 500;
    o.eval_interval = 1000;
    o.eval_episodes = 2;
    o.hidden = 32;
    auto g = generate_d4rl_style(o);
    QTemporaryDir dir;
    for (const std::string kind : {"random", "medium", "medium-replay", "expert", "medium-expert"}) {
      const auto path = dir.filePath(QString::fromStdString(kind) + ".hdf5").toStdString();
      write_d4rl_hdf5(g.by_kind(kind), path);
      auto d = read_d4rl_hdf5(path);
      auto s = inspect_dataset(d);
      QCOMPARE(d.obs_dim, 3);
      QCOMPARE(d.act_dim, 1);
      QCOMPARE(QString::fromStdString(d.metadata.at("transitions")).toLongLong(), s.transitions);
      QCOMPARE(QString::fromStdString(d.metadata.at("episodes")).toLongLong(), s.episodes);
      QVERIFY(std::abs(QString::fromStdString(d.metadata.at("return_mean")).toDouble() - s.return_mean) < 1e-3);
      QCOMPARE(d.metadata.at("kind"), kind);
      for (float a : d.actions) QVERIFY(a >= -1.0f && a <= 1.0f);
    }
    QCOMPARE(g.random.size(), int64_t(1000));
    QCOMPARE(g.medium.size(), int64_t(1000));
    QCOMPARE(g.expert.size(), int64_t(1000));
    QCOMPARE(g.medium_expert.size(), int64_t(2000));
    QCOMPARE(g.medium_expert.rewards[1500], g.expert.rewards[500]);
    QCOMPARE(g.medium_expert.rewards[10], g.medium.rewards[10]);
    // medium-replay is SAC's replay buffer up to the medium snapshot (or the whole run without one).
    QVERIFY(g.medium_replay.size() > 0 && g.medium_replay.size() <= o.sac_steps);
    if (g.medium_at_step > 0) QCOMPARE(g.medium_replay.size(), g.medium_at_step);
  }
};

QTEST_GUILESS_MAIN(TestD4rlGenerator)
#include "test_d4rl_generator.moc"
