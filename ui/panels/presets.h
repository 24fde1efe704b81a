// Hyperparameter presets from the IQL paper (Kostrikov, Nair and Levine, ICLR 2022, appendix).
#pragma once
#include <QString>
#include <QVector>

#include "core/config/train_config.h"

namespace iqlui {

struct Preset {
  QString name;
  double expectile;
  double temperature;
  QString rewardMode;
  double dropout;
  // Run length (0: leave as is). The paper's presets carry its 1M steps, evaluation every 5,000.
  qint64 steps = 0;
  qint64 evalInterval = 0;
  int evalEpisodes = 10;
};

const QVector<Preset>& presets();
void applyPreset(const Preset& p, iql::TrainConfig& cfg);

}  // namespace iqlui
