// Policy export end to end: a checkpoint (or a run's) to an ONNX or TorchScript file plus its JSON
// sidecar, and the check that loads an export back and compares it with the stored checkpoint on
// observations from the run's dataset. Torch-free header (the CLI and the GUI call it).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/export/export_sidecar.h"
#include "core/export/export_source.h"

namespace iql::exporting {

// From the file name: .onnx -> onnx; .pt, .pts, .ts, .torchscript -> torchscript; ConfigError otherwise.
ExportFormat format_for_path(const std::string& path);
ExportFormat format_from_name(const std::string& name);  // "onnx" | "torchscript" (ConfigError otherwise)

struct ExportResult {
  std::string file, sidecar;
  int64_t bytes = 0;
  int64_t step = 0;
  double seconds = 0.0;  // reading the checkpoint and writing both files (the dataset hash excluded)
};
ExportResult export_policy_file(const ExportSource& src, ExportFormat f, const std::string& out);

// `n` observations spread evenly over the dataset's rows (the first, then every size/n-th): [n * obs].
std::vector<float> sample_observations(const Dataset& d, int64_t n);

struct ExportCheck {
  std::string format, checkpoint;
  int64_t observations = 0;  // compared (0 for ONNX: weights and structure only)
  double max_abs_action = 0, max_abs_mean = 0, max_abs_log_std = 0;  // batch of n and batch 1, worst of both
  double max_difference = 0;  // the largest of all the above (ONNX: of the weights)
  std::string detail;         // one line on what was compared
  // TorchScript: mean seconds of one forward at batch 1 and at batch n, the loaded export's and the
  // workbench's own (the figures of README's "Policy export").
  double export_seconds_b1 = 0, export_seconds_bn = 0, workbench_seconds_b1 = 0, workbench_seconds_bn = 0;
};
// Reads FILE's sidecar for the checkpoint and dataset; DataError naming FILE when it is corrupted,
// truncated or not an export, or when the sidecar or checkpoint is missing.
ExportCheck check_export(const std::string& file, int64_t n = 1000);

}  // namespace iql::exporting
