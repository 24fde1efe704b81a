// Reading from torch archives. InputArchive::read(key, t) with an already-defined t calls t.set_(),
// which keeps t's dtype: reusing one tensor variable across keys of different dtypes silently misreads.
// Always read into a fresh tensor.
#pragma once
#include <torch/torch.h>

#include <string>

namespace iql::nn {

inline torch::Tensor read_tensor(torch::serialize::InputArchive& ar, const std::string& key) {
  torch::Tensor t;
  ar.read(key, t);
  return t;
}

}  // namespace iql::nn
