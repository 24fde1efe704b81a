#include "core/nn/member_slices.h"

#include <stdexcept>
#include <string>

namespace iql::nn {

torch::Tensor gather_member(const torch::Tensor& flat, const std::vector<Segment>& segs, int64_t member) {
  std::vector<torch::Tensor> parts;
  for (const auto& s : segs)
    if (s.member == member) parts.push_back(flat.narrow(0, s.offset, s.length));
  return torch::cat(parts).to(torch::kCPU).clone();  // checkpoints hold CPU tensors, whatever the device
}

void scatter_member(torch::Tensor& flat, const std::vector<Segment>& segs, int64_t member, const torch::Tensor& src) {
  torch::NoGradGuard no_grad;
  auto in = src.reshape({-1});
  int64_t pos = 0;
  for (const auto& s : segs) {
    if (s.member != member) continue;
    if (pos + s.length > in.numel()) break;
    flat.narrow(0, s.offset, s.length).copy_(in.narrow(0, pos, s.length));
    pos += s.length;
  }
  if (pos != in.numel())
    throw std::runtime_error("member state of " + std::to_string(in.numel()) + " values does not fit a member of " +
                             std::to_string(pos) + "+ values (different network sizes?)");
}

}  // namespace iql::nn
