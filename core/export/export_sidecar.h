// The JSON file written beside every export (FILE.json): where the policy comes from (run, algorithm,
// environment, physics, dataset and its hash, config, checkpoint and its step), its dimensions and
// action bounds, the versions that wrote it, and the contract of the file's inputs and outputs.
// Torch-free.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "core/data/dataset.h"
#include "core/export/export_policy.h"
#include "core/export/export_source.h"

namespace iql::exporting {

enum class ExportFormat { onnx, torchscript };
std::string format_name(ExportFormat f);  // "onnx" | "torchscript"

struct DatasetFingerprint {
  std::string name;    // the run's dataset setting (built-in name or path)
  std::string sha256;  // empty when the dataset could not be loaded (note says why)
  std::string note;
  int64_t rows = 0;
};
// SHA-256 over the dataset's arrays as loaded (observations, actions, rewards, next_observations as
// float32 little-endian, then terminals, timeouts as bytes): the same data gives the same hash whatever
// file format or path it came in.
std::string dataset_sha256(const Dataset& d);
DatasetFingerprint fingerprint_dataset(const std::string& name);

// The contract as JSON (also the README's "Policy export" section).
nlohmann::json export_contract(const ExportPolicy& p, ExportFormat f);
nlohmann::json export_sidecar(const ExportPolicy& p, const ExportSource& src, ExportFormat f,
                              const DatasetFingerprint& data, const std::string& torch_version);
// FILE + ".json"
std::string sidecar_path(const std::string& export_file);

}  // namespace iql::exporting
