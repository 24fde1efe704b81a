// The D4RL-style generation pipeline on a tiny budget (Pendulum, so it runs in seconds): every kind
// is a valid D4RL-layout file whose statistics match its metadata; medium-expert is medium then expert.
#include <QtTest/QtTest>

#include <QElapsedTimer>

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
    std::vector<std::string> handed;
    o.on_dataset = [&](const std::string& kind, const Dataset& d) {
      handed.push_back(kind);
      QCOMPARE(d.metadata.at("kind"), kind);
    };
    auto g = generate_d4rl_style(o);
    // each kind handed out once, as soon as it existed: random before any SAC step, expert last
    QCOMPARE(handed, (std::vector<std::string>{"random", "medium-replay", "medium", "expert", "medium-expert"}));
    // the random kind alone is the same data, without SAC
    o.on_dataset = nullptr;
    const auto alone = generate_random_dataset(o);
    QVERIFY(alone.observations == g.random.observations);
    QVERIFY(alone.actions == g.random.actions);
    QVERIFY(alone.rewards == g.random.rewards);
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

  // hopper-random in seconds: no SAC, uniform random actions, --transitions respected.
  void randomNeedsNoSac() {
    GenerationOptions o;
    o.env = "hopper";
    o.transitions = 5000;
    o.sac_steps = 1000000000;  // would take days if SAC ran
    int handed = 0;
    o.on_dataset = [&](const std::string& kind, const Dataset&) {
      QCOMPARE(kind, std::string("random"));
      ++handed;
    };
    QElapsedTimer t;
    t.start();
    const auto d = generate_random_dataset(o);
    QVERIFY2(t.elapsed() < 20000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(handed, 1);
    QCOMPARE(d.size(), int64_t(5000));
    QCOMPARE(d.obs_dim, 11);
    QCOMPARE(d.act_dim, 3);
    QCOMPARE(d.metadata.at("kind"), std::string("random"));
    double lo = 1, hi = -1, sum = 0;
    for (float a : d.actions) {
      lo = std::min<double>(lo, a);
      hi = std::max<double>(hi, a);
      sum += a;
    }
    QVERIFY(lo >= -1.0 && hi <= 1.0);
    QVERIFY(lo < -0.99 && hi > 0.99);                              // spans the box
    QVERIFY(std::abs(sum / d.actions.size()) < 0.02);            // mean 0 (std of the mean ~0.005)
    auto s = inspect_dataset(d);
    QVERIFY(s.episodes > 50);  // random hopper falls within tens of steps
  }

  // A failure late in SAC keeps the kinds made before it.
  void failureLateKeepsEarlierKinds() {
    GenerationOptions o;
    o.env = "pendulum";
    o.transitions = 500;
    o.sac_steps = 1000;
    o.start_steps = 200;
    o.eval_interval = 500;
    o.eval_episodes = 1;
    o.hidden = 16;
    std::vector<std::string> handed;
    o.on_dataset = [&](const std::string& kind, const Dataset&) { handed.push_back(kind); };
    o.on_progress = [&](const std::string& phase, int64_t done, int64_t, double) {
      if (phase == "sac" && done == 1000) throw std::runtime_error("disk full");
    };
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, generate_d4rl_style(o));
    QVERIFY(!handed.empty());
    QCOMPARE(handed.front(), std::string("random"));
  }
};

QTEST_GUILESS_MAIN(TestD4rlGenerator)
#include "test_d4rl_generator.moc"
