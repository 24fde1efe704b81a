// Writes an ExportPolicy as a TorchScript module built in C++ (torch::jit::Module + define()): weights
// are registered parameters (l0_weight [out, in], l0_bias, ..., log_std), normaliser and action scaling
// are buffers, so `torch.jit.load(f).l0_weight` shows them. forward(observation [batch, obs]) returns
// (action, mean, log_std), each [batch, act] (see README "Policy export").
#pragma once
#include <string>

#include "core/export/export_policy.h"

namespace iql::exporting {

// TorchScript source of forward() for this policy (normalisation only when the run normalised).
std::string torchscript_forward_source(const ExportPolicy& p);
// StorageError naming the path when the file cannot be written.
void write_torchscript(const ExportPolicy& p, const std::string& path);

}  // namespace iql::exporting
