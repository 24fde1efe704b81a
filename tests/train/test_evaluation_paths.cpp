// Evaluation with paths recorded: each episode's xy path and (AntMaze) goal, checked against the same
// episodes stepped by hand in a fresh environment; recording changes no return.
#include <QtTest/QtTest>

#include "core/env/antmaze_env.h"
#include "core/env/env_registry.h"
#include "core/train/evaluator.h"

using namespace iql;

class TestEvaluationPaths : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void antmazePathsMatchAHandRollout() {
    // A fixed action for every step: an open-loop policy the hand rollout can repeat exactly.
    const std::vector<float> action = {0.3f, -0.2f, 0.1f, 0.4f, -0.3f, 0.2f, 0.0f, -0.1f};
    auto policy = [&](const torch::Tensor& obs) {
      return torch::tensor(action).unsqueeze(0).expand({obs.size(0), 8}).contiguous();
    };
    const std::vector<uint64_t> seeds = {11, 12};
    EvaluationPaths p;
    const EvalResult r = train::evaluate_policy(policy, "antmaze-umaze", "d4rl", seeds, ObsNormalizer{}, 1.0f, &p);
    QCOMPARE(p.env, std::string("antmaze-umaze"));
    QCOMPARE(p.xy.size(), size_t(2));
    QCOMPARE(p.goals.size(), size_t(2));
    for (size_t e = 0; e < seeds.size(); ++e) {
      auto env = make_env("antmaze-umaze", "d4rl");
      auto* maze = dynamic_cast<AntMazeEnv*>(env.get());
      QVERIFY(maze);
      std::vector<float> obs = env->reset(seeds[e]);
      QCOMPARE(p.goals[e], maze->goal());
      std::vector<float> xy = {obs[0], obs[1]};
      for (;;) {
        StepResult s = env->step(action);
        xy.insert(xy.end(), {s.observation[0], s.observation[1]});
        if (s.terminal || s.timeout) break;
      }
      QCOMPARE(int64_t(xy.size()), 2 * (r.lengths[e] + 1));
      QCOMPARE(p.xy[e], xy);
      QVERIFY(std::abs(xy[0]) <= 0.1f && std::abs(xy[1]) <= 0.1f);  // starts at the origin + U(-0.1, 0.1)
    }
    const EvalResult plain = train::evaluate_policy(policy, "antmaze-umaze", "d4rl", seeds, ObsNormalizer{}, 1.0f);
    QCOMPARE(plain.returns, r.returns);  // recording changes nothing
    QCOMPARE(plain.lengths, r.lengths);
  }
};

QTEST_GUILESS_MAIN(TestEvaluationPaths)
#include "test_evaluation_paths.moc"
