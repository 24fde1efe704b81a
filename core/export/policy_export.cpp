#include "core/export/policy_export.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/env/dataset_source.h"
#include "core/export/onnx_export.h"
#include "core/export/torchscript_export.h"
#include "core/export/workbench_policy.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/util/atomic_file.h"
#include "core/util/errors.h"

namespace iql::exporting {

namespace {
std::string lower_extension(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// Largest |a - b|, counting equal infinities (a deterministic policy's log_std) as equal and NaN as
// infinitely different.
double max_abs_difference(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes()) return INFINITY;
  auto same = a.eq(b);
  auto d = (a - b).abs().masked_fill(same, 0.0);
  if (d.isnan().any().item<bool>()) return INFINITY;
  return d.numel() ? d.max().item<double>() : 0.0;
}
}  // namespace

ExportFormat format_from_name(const std::string& name) {
  if (name == "onnx") return ExportFormat::onnx;
  if (name == "torchscript") return ExportFormat::torchscript;
  throw ConfigError("export format '" + name + "': expected onnx or torchscript");
}

ExportFormat format_for_path(const std::string& path) {
  const auto ext = lower_extension(path);
  if (ext == ".onnx") return ExportFormat::onnx;
  if (ext == ".pt" || ext == ".pts" || ext == ".ts" || ext == ".torchscript") return ExportFormat::torchscript;
  throw ConfigError(path + ": the extension does not say the format: .onnx for ONNX, .pt for TorchScript");
}

ExportResult export_policy_file(const ExportSource& src, ExportFormat f, const std::string& out) {
  const auto t0 = std::chrono::steady_clock::now();
  const ExportPolicy p = read_export_policy(src.checkpoint);
  const std::string doc = "IQL Workbench " + p.config.algorithm + " policy (" + p.config.env + ", " + p.config.dataset +
                          ", step " + std::to_string(p.step) + "); contract in " +
                          std::filesystem::path(sidecar_path(out)).filename().string();
  if (f == ExportFormat::onnx) write_onnx(p, out, doc);
  else write_torchscript(p, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto data = fingerprint_dataset(p.config.dataset);
  const auto sidecar = export_sidecar(p, src, f, data, runtime_info().torch_version);
  write_file_atomically(sidecar_path(out), sidecar.dump(2) + "\n", "export sidecar");
  ExportResult r;
  r.file = out;
  r.sidecar = sidecar_path(out);
  r.bytes = static_cast<int64_t>(std::filesystem::file_size(out));
  r.step = p.step;
  r.seconds = seconds;
  return r;
}

std::vector<float> sample_observations(const Dataset& d, int64_t n) {
  if (d.size() == 0) throw DataError(d.source, "observations", "the dataset is empty");
  std::vector<float> out;
  out.reserve(n * d.obs_dim);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t row = (i * d.size()) / n;
    out.insert(out.end(), d.observations.begin() + row * d.obs_dim, d.observations.begin() + (row + 1) * d.obs_dim);
  }
  return out;
}

ExportCheck check_export(const std::string& file, int64_t n) {
  if (!std::filesystem::is_regular_file(file)) throw DataError(file, "", "no such export file");
  const std::string side = sidecar_path(file);
  nlohmann::json meta;
  {
    std::ifstream in(side);
    if (!in) throw DataError(side, "", "missing: --check reads the JSON sidecar written beside every export");
    try {
      meta = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw DataError(side, "", std::string("not readable JSON: ") + e.what());
    }
  }
  ExportCheck r;
  try {
    r.format = meta.at("format").get<std::string>();
    r.checkpoint = meta.at("checkpoint").at("path").get<std::string>();
  } catch (const std::exception&) {
    throw DataError(side, "format/checkpoint", "not an IQL Workbench export sidecar");
  }
  const ExportPolicy p = read_export_policy(r.checkpoint);
  if (r.format == "onnx") {
    const auto c = check_onnx_file(file, p);
    r.max_difference = c.max_weight_difference;
    r.detail = "ONNX checker passed (IR " + std::to_string(c.ir_version) + ", opset " + std::to_string(c.opset) + ", " +
               std::to_string(c.nodes) + " nodes); initialisers vs the checkpoint's weights. Outputs are not run "
               "in-process: no ONNX runtime is linked (the tests run onnxruntime)";
    return r;
  }
  torch::jit::Module m;
  try {
    m = torch::jit::load(file);
  } catch (const c10::Error& e) {
    std::string what = e.what_without_backtrace();
    what = what.substr(0, what.find('\n'));
    throw DataError(file, "", "not a loadable TorchScript file (corrupted or truncated): " + what);
  }
  const Dataset d = load_dataset(p.config.dataset);
  if (d.obs_dim != p.obs_dim)
    throw DataError(d.source, "observations", std::to_string(d.obs_dim) + " wide; the policy takes " +
                                                  std::to_string(p.obs_dim));
  n = std::min<int64_t>(n, d.size());
  const auto rows = sample_observations(d, n);
  const auto obs = torch::from_blob(const_cast<float*>(rows.data()), {n, p.obs_dim}, torch::kFloat32);
  WorkbenchPolicy ref(r.checkpoint);
  const PolicyOutputs want = ref.forward(obs);
  auto compare = [&](const torch::Tensor& x, int64_t first) {
    torch::NoGradGuard no_grad;
    auto out = m.forward({x}).toTuple()->elements();
    if (out.size() != 3) throw DataError(file, "forward", "returns " + std::to_string(out.size()) + " values, not 3");
    const auto len = x.size(0);
    r.max_abs_action = std::max(r.max_abs_action, max_abs_difference(out[0].toTensor(), want.action.narrow(0, first, len)));
    r.max_abs_mean = std::max(r.max_abs_mean, max_abs_difference(out[1].toTensor(), want.mean.narrow(0, first, len)));
    r.max_abs_log_std = std::max(r.max_abs_log_std, max_abs_difference(out[2].toTensor(), want.log_std.narrow(0, first, len)));
  };
  compare(obs, 0);
  for (int64_t i = 0; i < n; ++i) compare(obs.narrow(0, i, 1), i);
  // Timings after the comparison (warm): n forwards of one row, 20 of the whole batch, each side.
  auto seconds = [](auto&& fn, int reps) {
    torch::NoGradGuard no_grad;
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < reps; ++k) fn(k);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps;
  };
  const int reps_n = 20, reps_1 = static_cast<int>(n);
  r.export_seconds_bn = seconds([&](int) { m.forward({obs}); }, reps_n);
  r.workbench_seconds_bn = seconds([&](int) { ref.forward(obs); }, reps_n);
  r.export_seconds_b1 = seconds([&](int k) { m.forward({obs.narrow(0, k, 1)}); }, reps_1);
  r.workbench_seconds_b1 = seconds([&](int k) { ref.forward(obs.narrow(0, k, 1)); }, reps_1);
  r.observations = n;
  r.max_difference = std::max({r.max_abs_action, r.max_abs_mean, r.max_abs_log_std});
  r.detail = "TorchScript loaded with torch::jit::load; " + std::to_string(n) + " observations of " + d.source +
             ", batch " + std::to_string(n) + " and batch 1, against the workbench's own forward";
  return r;
}

}  // namespace iql::exporting
