#include "ui/runs/run_device_facts.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <exception>

#include "core/device/device_choice.h"

namespace iqlui {

RunDeviceFacts runDeviceFacts(const std::vector<iql::EventRecord>& events) {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->kind != "runtime") continue;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(it->payload_json)).object();
    if (!o.value(QLatin1String("device")).isString()) continue;
    iql::device::DeviceFacts f;
    f.device = o.value(QLatin1String("device")).toString().toStdString();
    f.name = o.value(QLatin1String("device_name")).toString().toStdString();
    f.torch_version = o.value(QLatin1String("torch")).toString().toStdString();
    f.cuda_version = o.value(QLatin1String("cuda")).toString().toStdString();
    f.cuda_graphs = o.value(QLatin1String("cuda_graphs")).toBool();
    f.graphs_note = o.value(QLatin1String("cuda_graphs_note")).toString().toStdString();
    f.matmul_precision = o.value(QLatin1String("matmul_precision")).toString(QStringLiteral("fp32")).toStdString();
    return {QString::fromStdString(f.device), QString::fromStdString(iql::device::device_facts_text(f))};
  }
  return {};
}

RunDeviceFacts runDeviceFacts(const QString& dbPath, qint64 runId) {
  try {
    iql::RunStore store(dbPath.toStdString(), iql::RunStore::Mode::read_only);
    return runDeviceFacts(store.events(runId));
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace iqlui
