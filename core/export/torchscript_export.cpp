#include "core/export/torchscript_export.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <sstream>

#include "core/util/atomic_file.h"

namespace iql::exporting {

namespace {
torch::Tensor tensor_of(const std::vector<float>& v, std::vector<int64_t> shape) {
  return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat32).clone();
}
}  // namespace

std::string torchscript_forward_source(const ExportPolicy& p) {
  std::ostringstream s;
  s << "def forward(self, observation: Tensor) -> Tuple[Tensor, Tensor, Tensor]:\n";
  s << "    x = observation\n";
  if (p.normalizes()) s << "    x = (x - self.obs_mean) / self.obs_std\n";
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const std::string name = "self.l" + std::to_string(l);
    s << "    x = torch.linear(x, " << name << "_weight, " << name << "_bias)\n";
    if (l + 1 < p.layers.size()) s << "    x = torch.relu(x)\n";
  }
  s << "    mean = torch.tanh(x)\n";
  s << "    action = torch.clamp(mean, -1.0, 1.0) * self.action_scale + self.action_bias\n";
  if (p.gaussian)
    s << "    log_std = torch.clamp(self.log_std, " << std::to_string(kLogStdMin) << ", " << std::to_string(kLogStdMax)
      << ")\n";
  else
    s << "    log_std = torch.full_like(self.log_std, float('-inf'))\n";
  s << "    log_std = log_std.unsqueeze(0).expand(observation.size(0), " << p.act_dim << ").contiguous()\n";
  s << "    return action, mean, log_std\n";
  return s.str();
}

void write_torchscript(const ExportPolicy& p, const std::string& path) {
  torch::jit::Module m("IqlWorkbenchPolicy");
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const auto& L = p.layers[l];
    m.register_parameter("l" + std::to_string(l) + "_weight", tensor_of(L.weight, {L.out, L.in}), false);
    m.register_parameter("l" + std::to_string(l) + "_bias", tensor_of(L.bias, {L.out}), false);
  }
  m.register_parameter("log_std", tensor_of(p.log_std_raw, {p.act_dim}), false);
  if (p.normalizes()) {
    m.register_buffer("obs_mean", tensor_of(p.obs_mean, {p.obs_dim}));
    m.register_buffer("obs_std", tensor_of(p.obs_std, {p.obs_dim}));
  }
  m.register_buffer("action_scale", tensor_of(p.action_scale, {p.act_dim}));
  m.register_buffer("action_bias", tensor_of(p.action_bias, {p.act_dim}));
  m.define(torchscript_forward_source(p));
  m.eval();
  // To memory, then through a temporary file and a rename: a failed write is a StorageError naming
  // the path, never a half-written export under the final name.
  std::ostringstream bytes;
  m.save(bytes);
  write_file_atomically(path, bytes.str(), "TorchScript export");
}

}  // namespace iql::exporting
