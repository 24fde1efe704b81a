#include "ui/runs/policy_export_action.h"

#include <QDir>
#include <QObject>
#include <QRegularExpression>

#include "core/export/policy_export.h"

namespace iqlui {

QString suggestedPolicyFile(const QString& runName, qint64 runId) {
  QString base = runName;
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
  return QDir::home().filePath(QStringLiteral("%1-%2.onnx").arg(base).arg(runId));
}

QString policyExportFilter() {
  return QObject::tr("ONNX (*.onnx);;TorchScript (*.pt)");
}

QString exportRunPolicy(iql::RunStore& store, qint64 runId, const QString& path) {
  namespace ex = iql::exporting;
  const auto format = ex::format_for_path(path.toStdString());
  const auto src = ex::run_export_source(store, runId);
  const auto r = ex::export_policy_file(src, format, path.toStdString());
  return QObject::tr("Exported the policy of run #%1 (step %2) as %3 to %4; its contract is in %5")
      .arg(runId)
      .arg(r.step)
      .arg(format == ex::ExportFormat::onnx ? QStringLiteral("ONNX") : QStringLiteral("TorchScript"))
      .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(QString::fromStdString(r.sidecar)));
}

}  // namespace iqlui
