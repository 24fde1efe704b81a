// Which device a run trains on: the user's choice ("cpu", "cuda", "auto") resolved against what this
// build and this machine have, and the facts every stored run records about it. Torch-free header,
// so the CLI and the GUI can offer and explain the choice.
#pragma once
#include <string>
#include <vector>

namespace iql::device {

// Whether CUDA can be used here; when not, *why says which part is missing (the build's LibTorch or
// a GPU).
bool cuda_usable(std::string* why = nullptr);
// "cpu" or "cuda" for a choice of cpu, cuda or auto (auto: cuda when usable). ConfigError for cuda
// without CUDA, saying why, and for any other word.
std::string resolve_device(const std::string& choice);
// What a device menu offers: "cpu", and "cuda" when usable, each with a label ("CUDA: NVIDIA H200").
struct DeviceOption {
  std::string key, label;
};
std::vector<DeviceOption> available_devices();

// Recorded with every run (the 'runtime' event): device, its name, LibTorch and CUDA versions,
// whether CUDA graphs were used and the matmul precision.
struct DeviceFacts {
  std::string device = "cpu";
  std::string name;  // GPU name, or the CPU model
  std::string torch_version;
  std::string cuda_version;  // "" on CPU-only builds
  bool cuda_graphs = false;
  std::string graphs_note;  // why graphs are off, when they were asked for
  std::string matmul_precision = "fp32";
};
DeviceFacts device_facts(const std::string& device);
std::string device_facts_json(const DeviceFacts& f);
// "cuda (NVIDIA H200, CUDA 12.4), graphs on, fp32" / "cpu (AMD EPYC 7B13)"
std::string device_facts_text(const DeviceFacts& f);
// Sets the precision of float32 matrix products ("fp32" or "tf32"); only CUDA products are affected.
void set_matmul_precision(const std::string& precision);

}  // namespace iql::device
