// A population member's part of a flat buffer: its segments (see Mlp::member_segments) concatenated,
// which is exactly the flat buffer of a one-member network. Used to write and read a member's
// checkpoint in the ordinary single-run layout. Core-private (torch).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "core/nn/mlp.h"

namespace iql::nn {

// A CPU copy, whatever device flat lives on.
torch::Tensor gather_member(const torch::Tensor& flat, const std::vector<Segment>& segs, int64_t member);
// Copies src (a member-sized buffer) into the member's segments; throws if the sizes disagree.
void scatter_member(torch::Tensor& flat, const std::vector<Segment>& segs, int64_t member, const torch::Tensor& src);

}  // namespace iql::nn
