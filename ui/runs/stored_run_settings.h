// The settings a stored run was started with, read back for the settings panel when the run is
// opened (Runs > Open), and the banner line that says so: a researcher opens a run to continue from
// its settings, and must never see the panel on other values without being told.
#pragma once
#include <QString>
#include <optional>

#include "core/config/train_config.h"

namespace iqlui {

struct StoredRunSettings {
  std::optional<iql::TrainConfig> config;  // empty when the run's settings cannot be read
  // "settings loaded from run #4", with what still differs (a run tuned mid-run, another dataset
  // loaded), or why the panel keeps other values.
  QString bannerText;
};

// Opens the store read-only; never throws. `loadedDataset` is the dataset panel's current dataset.
StoredRunSettings storedRunSettings(const QString& dbPath, qint64 runId, const QString& loadedDataset);

}  // namespace iqlui
