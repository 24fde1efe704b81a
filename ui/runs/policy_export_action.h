// Runs > Export policy...: the run's latest checkpoint's policy to ONNX or TorchScript (the format
// follows the file's extension, .onnx or .pt), with its JSON sidecar beside it (core/export).
#pragma once
#include <QString>

namespace iql {
class RunStore;
}

namespace iqlui {

// "<name>-<id>.onnx" in the home folder, the name made file-safe.
QString suggestedPolicyFile(const QString& runName, qint64 runId);
// Writes the export; returns the line to show ("Exported the policy of run #3 (step 1000) to ...").
// Throws iql::UserError (no checkpoint, unknown extension, unwritable file) with a message to show.
QString exportRunPolicy(iql::RunStore& store, qint64 runId, const QString& path);
// The file dialog's filter: ONNX first, TorchScript second.
QString policyExportFilter();

}  // namespace iqlui
