// Online fine-tuning mechanics: replay pre-fill, sampling coverage, terminal vs time-limit masks,
// and the phase switch (frozen actor lr, stochastic actions).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include "core/algo/iql.h"
#include "core/train/agent_settings.h"
#include "core/env/pendulum.h"
#include "core/train/online_phase.h"

using namespace iql;

namespace {
// A 1-D environment whose episodes alternate: even episodes end with a true terminal at step 3
// (reward 7 on that step), odd ones with a time-limit truncation at step 5 (reward 3 on that step).
class AlternatingEnv : public Env {
public:
  std::string name() const override { return "alternating"; }
  int obs_dim() const override { return 3; }
  int act_dim() const override { return 1; }
  float action_low() const override { return -1; }
  float action_high() const override { return 1; }
  int max_episode_steps() const override { return 5; }
  std::vector<float> reset(uint64_t) override { return reset(); }
  std::vector<float> reset() override {
    ++episode_;
    t_ = 0;
    return {0.f, 0.f, 0.f};
  }
  StepResult step(const std::vector<float>&) override {
    ++t_;
    StepResult r;
    r.observation = {static_cast<float>(t_), 0.f, 0.f};
    const bool even = episode_ % 2 == 0;
    if (even && t_ == 3) { r.terminal = true; r.reward = 7; }
    else if (!even && t_ == 5) { r.timeout = true; r.reward = 3; }
    return r;
  }

private:
  int episode_ = -1, t_ = 0;
};

Dataset marked_dataset(int64_t n) {  // obs[0] = 50 marks dataset rows
  Dataset d;
  d.source = "test";
  d.obs_dim = 3;
  d.act_dim = 1;
  for (int64_t i = 0; i < n; ++i) {
    d.observations.insert(d.observations.end(), {50.f, float(i), 0.f});
    d.next_observations.insert(d.next_observations.end(), {50.f, float(i + 1), 0.f});
    d.actions.push_back(0.1f);
    d.rewards.push_back(0.5f);
    d.terminals.push_back(0);
    d.timeouts.push_back(i % 100 == 99);
  }
  d.rebuild_episode_index();
  return d;
}

TrainConfig small_config() {
  TrainConfig c;
  c.hidden = 16;
  c.batch_size = 64;
  c.steps = 100;
  return c;
}
}  // namespace

class TestOnlinePhase : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void prefillCounts() {
    auto cfg = small_config();
    algo::Iql agent(3, 1, agent_hyperparameters(cfg));
    train::OnlineOptions o;
    o.capacity = 2000;
    o.reward_mode = "none";
    o.online_steps = 100;
    train::OnlinePhase phase(agent, std::make_unique<AlternatingEnv>(), marked_dataset(500), {}, 1.0f, o);
    QCOMPARE(phase.prefilled(), int64_t(500));
    QCOMPARE(phase.buffer().size(), int64_t(500));
    for (int i = 0; i < 100; ++i) phase.step(false, nullptr);
    QCOMPARE(phase.buffer().size(), int64_t(600));
    QCOMPARE(phase.raw_online().size(), int64_t(100));

    o.capacity = 300;  // smaller than the dataset: the newest 300 rows stay
    train::OnlinePhase small(agent, std::make_unique<AlternatingEnv>(), marked_dataset(500), {}, 1.0f, o);
    QCOMPARE(small.buffer().size(), int64_t(300));
    QCOMPARE(small.buffer().obs(small.buffer().row_of_age(0))[1], 200.f);
  }

  void samplingCoversOldAndNew() {
    auto cfg = small_config();
    algo::Iql agent(3, 1, agent_hyperparameters(cfg));
    train::OnlineOptions o;
    o.capacity = 10000;
    o.reward_mode = "none";
    o.batch_size = 256;
    o.online_steps = 500;
    o.updates_per_env_step = 0 + 1;
    train::OnlinePhase phase(agent, std::make_unique<AlternatingEnv>(), marked_dataset(500), {}, 1.0f, o);
    for (int i = 0; i < 500; ++i) phase.step(false, nullptr);
    int64_t from_data = 0, total = 0;
    for (int b = 0; b < 40; ++b) {
      auto batch = phase.sample_batch();
      from_data += (batch.obs.select(1, 0) == 50.f).sum().item<int64_t>();
      total += batch.obs.size(0);
    }
    const double frac = double(from_data) / total;  // expected 0.5: 500 dataset + 500 online rows
    QVERIFY2(frac > 0.45 && frac < 0.55, qPrintable(QString("dataset fraction %1").arg(frac)));
  }

  void terminalsStopBootstrappingTimeoutsDoNot() {
    auto cfg = small_config();
    algo::Iql agent(3, 1, agent_hyperparameters(cfg));
    train::OnlineOptions o;
    o.capacity = 10000;
    o.reward_mode = "none";
    o.online_steps = 400;
    Dataset empty_like = marked_dataset(1);
    train::OnlinePhase phase(agent, std::make_unique<AlternatingEnv>(), empty_like, {}, 1.0f, o);
    int episodes_done = 0;
    for (int i = 0; i < 400; ++i) episodes_done += phase.step(false, nullptr).episode_done;
    QVERIFY(episodes_done >= 90);  // 8 steps per pair of episodes
    int terminals = 0, timeouts = 0;
    for (int b = 0; b < 20; ++b) {
      auto batch = phase.sample_batch();
      auto rew = batch.rew, term = batch.terminal;
      for (int64_t k = 0; k < rew.size(0); ++k) {
        const float r = rew[k].item<float>(), t = term[k].item<float>();
        if (r == 7.f) { QCOMPARE(t, 1.f); ++terminals; }
        else { QCOMPARE(t, 0.f); }
        if (r == 3.f) ++timeouts;
      }
    }
    QVERIFY(terminals > 0);
    QVERIFY(timeouts > 0);
  }

  void phaseSwitchFreezesLrAndSamplesActions() {
    auto cfg = small_config();
    algo::Iql agent(3, 1, agent_hyperparameters(cfg));
    auto d = marked_dataset(300);
    train::OnlineOptions o;
    o.reward_mode = "none";
    o.online_steps = 200;
    o.capacity = 1000;
    // Run the offline schedule to its end: the cosine-decayed actor lr reaches 0.
    {
      train::OnlinePhase warm(agent, std::make_unique<AlternatingEnv>(), d, {}, 1.0f, o);
      for (int i = 0; i < 100; ++i) agent.update(warm.sample_batch(), false);
    }
    agent.set_actor_schedule_frozen(false);
    QCOMPARE(agent.current_actor_lr(), 0.0);
    train::OnlinePhase phase(agent, std::make_unique<PendulumEnv>(), d, {}, 2.0f, o);
    QCOMPARE(agent.current_actor_lr(), cfg.actor_lr);  // frozen at the base value online
    for (int i = 0; i < 100; ++i) phase.step(false, nullptr);
    // Online actions are sampled: they differ from the deterministic policy's on the same states.
    const auto& raw = phase.raw_online();
    double diff = 0.0;
    for (int64_t k = 0; k < raw.size(); ++k) {
      auto x = torch::from_blob(const_cast<float*>(raw.obs(k)), {1, 3}).clone();
      const float det = agent.act(x, true).item<float>() * 2.0f;
      diff += std::abs(det - raw.act(k)[0]);
    }
    QVERIFY2(diff / raw.size() > 0.2, qPrintable(QString("mean |sampled - deterministic| = %1").arg(diff / raw.size())));
  }
};

QTEST_GUILESS_MAIN(TestOnlinePhase)
#include "test_online_phase.moc"
