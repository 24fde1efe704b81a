// Hyperparameter presets from the IQL paper (Kostrikov et al., 2021, appendix).
#pragma once
#include <QString>
#include <QVector>

#include "core/train/train_config.h"

namespace iqlui {

struct Preset {
  QString name;
  double expectile;
  double temperature;
  QString rewardMode;
  double dropout;
  int evalEpisodes = 0;  // 0: leave as is (AntMaze: 100, the official evaluation)
};

const QVector<Preset>& presets();
void applyPreset(const Preset& p, iql::TrainConfig& cfg);

}  // namespace iqlui
