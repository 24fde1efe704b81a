// Counter-based random numbers as plain integer tensor ops: value = hash(member key, counter, index).
// Why not torch generators: a population needs one stream per member, drawn as one [P, B] tensor, on
// any device, inside a CUDA graph (where the counter is a device tensor the graph advances), with the
// same numbers on CPU and GPU. The hash is Wellons' lowbias32 on 32-bit values held in int64, with
// multiplications split in 16-bit halves so no product overflows. Core-private (torch).
#pragma once
#include <torch/torch.h>

#include <cstdint>

namespace iql::device {

// A member's 32-bit stream key from its seed (every bit of the seed matters).
int64_t stream_key(uint64_t seed, uint32_t purpose);
// lowbias32 of x (int64 tensor of values in [0, 2^32)); exposed for tests.
torch::Tensor hash32(const torch::Tensor& x);
// Raw 32-bit draws [K, n] for keys [K] (int64) at a counter (int64 scalar tensor on the keys' device).
torch::Tensor draw_bits(const torch::Tensor& keys, const torch::Tensor& counter, int64_t n);
// Indices in [0, range) from the draws (multiply-shift, no modulo bias beyond 2^-32 x range).
torch::Tensor draw_indices(const torch::Tensor& keys, const torch::Tensor& counter, int64_t n, int64_t range);
// Floats uniform in [0, 1), 24 bits each.
torch::Tensor draw_uniform(const torch::Tensor& keys, const torch::Tensor& counter, int64_t n);

}  // namespace iql::device
