#include "ui/runs/stored_run_settings.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <exception>

#include "core/store/hyperparameter_history.h"
#include "core/store/run_store.h"

namespace iqlui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("StoredRunSettings", text); }
}  // namespace

StoredRunSettings storedRunSettings(const QString& dbPath, qint64 runId, const QString& loadedDataset) {
  StoredRunSettings out;
  try {
    iql::RunStore store(dbPath.toStdString(), iql::RunStore::Mode::read_only);
    const auto info = store.get_run(runId);
    if (!info) {
      out.bannerText = tr("the settings panel keeps other values: run #%1 is not in the database").arg(runId);
      return out;
    }
    out.config = iql::TrainConfig::from_json(info->config_json);
    out.bannerText = tr("settings loaded from run #%1").arg(runId);
    if (iql::tuned_mid_run(info->config_json, store.events(runId)))
      out.bannerText += tr(" (the values it started with; it was tuned mid-run)");
    const QString dataset = QString::fromStdString(out.config->dataset);
    if (!dataset.isEmpty() && dataset != loadedDataset)
      out.bannerText += tr(" · its dataset %1 is not the one loaded").arg(QFileInfo(dataset).fileName());
  } catch (const std::exception& e) {
    out.config.reset();
    out.bannerText = tr("the settings panel keeps other values (the run's settings could not be read: %1)")
                         .arg(QString::fromUtf8(e.what()));
  }
  return out;
}

}  // namespace iqlui
