#include "ui/panels/presets.h"

namespace iqlui {

const QVector<Preset>& presets() {
  static const QVector<Preset> list = {
      {QStringLiteral("Quick look: 10k steps, eval every 1k (τ 0.7, β 3)"), 0.7, 3.0, QStringLiteral("auto"), 0.0,
       10000, 1000, 5},
      {QStringLiteral("Paper, locomotion: 1M steps (τ 0.7, β 3)"), 0.7, 3.0, QStringLiteral("locomotion"), 0.0,
       1000000, 5000, 10},
      {QStringLiteral("Paper, AntMaze: 1M steps (τ 0.9, β 10)"), 0.9, 10.0, QStringLiteral("antmaze"), 0.0, 1000000,
       100000, 100},
      {QStringLiteral("Paper, Kitchen / Adroit: 1M steps (τ 0.7, β 0.5, dropout 0.1)"), 0.7, 0.5,
       QStringLiteral("none"), 0.1, 1000000, 5000, 10},
  };
  return list;
}

void applyPreset(const Preset& p, iql::TrainConfig& cfg) {
  cfg.expectile = p.expectile;
  cfg.temperature = p.temperature;
  cfg.reward_mode = p.rewardMode.toStdString();
  cfg.dropout = p.dropout;
  if (p.steps > 0) {
    cfg.steps = p.steps;
    cfg.eval_interval = p.evalInterval;
    cfg.eval_episodes = p.evalEpisodes;
  }
}

}  // namespace iqlui
