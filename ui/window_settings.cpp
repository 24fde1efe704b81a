#include "ui/window_settings.h"

#include <QFileInfo>
#include <QSettings>
#include <memory>

#include "core/env/builtin_datasets.h"

namespace iqlui {

namespace {
std::unique_ptr<QSettings> openSettings() {  // QSettings is neither copyable nor movable
  return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("iql-workbench"),
                                     QStringLiteral("IQL Workbench"));
}
}  // namespace

WindowSettings WindowSettings::load() {
  const auto s = openSettings();
  WindowSettings w;
  w.geometry = s->value(QStringLiteral("window/geometry")).toByteArray();
  w.state = s->value(QStringLiteral("window/state")).toByteArray();
  w.dataset = s->value(QStringLiteral("session/dataset")).toString();
  w.sweepDir = s->value(QStringLiteral("session/sweepDir")).toString();
  return w;
}

void WindowSettings::save() const {
  const auto s = openSettings();
  s->setValue(QStringLiteral("window/geometry"), geometry);
  s->setValue(QStringLiteral("window/state"), state);
  s->setValue(QStringLiteral("session/dataset"), dataset);
  s->setValue(QStringLiteral("session/sweepDir"), sweepDir);
}

QString usableDataset(const QString& remembered) {
  if (remembered.isEmpty()) return QString();
  if (iql::is_builtin_dataset(remembered.toStdString()) || QFileInfo::exists(remembered)) return remembered;
  return QString();
}

}  // namespace iqlui
