// Writes an ExportPolicy as an ONNX model with Debian's ONNX protobuf classes (libonnx-dev 1.12):
// IR version 8, opset 17, weights as initialisers; Sub/Div (normalisation), Gemm + Relu, Tanh,
// Clip/Mul/Add (action scaling), Shape/Concat/Expand (log_std to [batch, act]). Input `observation`
// [batch, obs] float32 with a symbolic batch dimension; outputs `action`, `mean`, `log_std`.
#pragma once
#include <string>

#include "core/export/export_policy.h"

namespace iql::exporting {

constexpr int kOnnxIrVersion = 8;  // ONNX 1.12's IR version
constexpr int kOnnxOpset = 17;

// StorageError naming the path when the file cannot be written.
void write_onnx(const ExportPolicy& p, const std::string& path, const std::string& doc = "");

struct OnnxFileCheck {
  int64_t ir_version = 0, opset = 0, nodes = 0, initializers = 0;
  double max_weight_difference = 0.0;  // largest |initialiser - checkpoint value| over every weight
};
// Parses the file, runs ONNX's own checker (onnx::checker::check_model) and compares its initialisers
// and interface with `expected`. DataError naming the file when it is not a valid ONNX model or
// does not match.
OnnxFileCheck check_onnx_file(const std::string& path, const ExportPolicy& expected);

}  // namespace iql::exporting
