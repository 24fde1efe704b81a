#include "ui/panels/presets.h"

namespace iqlui {

const QVector<Preset>& presets() {
  static const QVector<Preset> list = {
      {QStringLiteral("Locomotion (τ 0.7, β 3)"), 0.7, 3.0, QStringLiteral("locomotion"), 0.0},
      {QStringLiteral("AntMaze (τ 0.9, β 10)"), 0.9, 10.0, QStringLiteral("antmaze"), 0.0, 100},
      {QStringLiteral("Kitchen / Adroit (τ 0.7, β 0.5, dropout 0.1)"), 0.7, 0.5, QStringLiteral("none"), 0.1},
  };
  return list;
}

void applyPreset(const Preset& p, iql::TrainConfig& cfg) {
  cfg.expectile = p.expectile;
  cfg.temperature = p.temperature;
  cfg.reward_mode = p.rewardMode.toStdString();
  cfg.dropout = p.dropout;
  if (p.evalEpisodes > 0) cfg.eval_episodes = p.evalEpisodes;
}

}  // namespace iqlui
