#include "core/device/device_choice.h"

#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/device/cuda_backend.h"
#include "core/util/errors.h"

namespace iql::device {

namespace {
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      auto p = line.find(':');
      if (p != std::string::npos) return line.substr(line.find_first_not_of(' ', p + 1));
    }
  return "";
}
}  // namespace

bool cuda_usable(std::string* why) {
  if (!cuda_compiled()) {
    if (why) *why = "this build's LibTorch (" TORCH_VERSION ") has no CUDA; build against a CUDA LibTorch (docs/development.md)";
    return false;
  }
  if (!torch::cuda::is_available() || torch::cuda::device_count() == 0) {
    if (why) *why = "no CUDA GPU is visible (driver missing, or CUDA_VISIBLE_DEVICES hides them)";
    return false;
  }
  return true;
}

std::string resolve_device(const std::string& choice) {
  if (choice == "cpu") return "cpu";
  std::string why;
  if (choice == "auto") return cuda_usable(&why) ? "cuda" : "cpu";
  if (choice == "cuda") {
    if (!cuda_usable(&why)) throw ConfigError("device cuda asked for, but " + why);
    return "cuda";
  }
  throw ConfigError("device must be cpu, cuda or auto, got '" + choice + "'");
}

std::vector<DeviceOption> available_devices() {
  std::vector<DeviceOption> out{{"cpu", "CPU" + (cpu_model().empty() ? std::string() : ": " + cpu_model())}};
  if (cuda_usable()) out.push_back({"cuda", "CUDA: " + cuda_device_name(0)});
  return out;
}

DeviceFacts device_facts(const std::string& device) {
  DeviceFacts f;
  f.device = device;
  f.torch_version = TORCH_VERSION;
  f.cuda_version = cuda_runtime_version();
  f.name = device == "cuda" ? cuda_device_name(0) : cpu_model();
  return f;
}

std::string device_facts_json(const DeviceFacts& f) {
  nlohmann::json j = {{"device", f.device},           {"device_name", f.name},
                      {"torch", f.torch_version},     {"cuda", f.cuda_version},
                      {"cuda_graphs", f.cuda_graphs}, {"matmul_precision", f.matmul_precision}};
  if (!f.graphs_note.empty()) j["cuda_graphs_note"] = f.graphs_note;
  return j.dump();
}

std::string device_facts_text(const DeviceFacts& f) {
  std::string s = f.device + " (" + f.name;
  if (f.device == "cuda") s += ", CUDA " + f.cuda_version;
  s += ")";
  if (f.device == "cuda") s += std::string(", graphs ") + (f.cuda_graphs ? "on" : "off") + ", " + f.matmul_precision;
  if (!f.graphs_note.empty()) s += " [" + f.graphs_note + "]";
  return s;
}

void set_matmul_precision(const std::string& precision) {
  if (precision != "fp32" && precision != "tf32")
    throw ConfigError("matmul_precision must be fp32 or tf32, got '" + precision + "'");
  at::globalContext().setFloat32MatmulPrecision(precision == "tf32" ? "high" : "highest");
}

}  // namespace iql::device
