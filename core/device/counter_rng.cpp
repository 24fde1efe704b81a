#include "core/device/counter_rng.h"

namespace iql::device {

namespace {
constexpr int64_t kMask32 = int64_t{0xffffffff};

// (x * c) mod 2^32 for x in [0, 2^32): x * (c & 0xffff) < 2^48 and the high half only matters mod 2^16.
torch::Tensor mul32(const torch::Tensor& x, uint32_t c) {
  const int64_t lo = c & 0xffffu, hi = c >> 16;
  auto low = x * lo;
  auto high = torch::bitwise_and(x * hi, 0xffff);
  return torch::bitwise_and(low + high * 65536, kMask32);
}
torch::Tensor xorshift(const torch::Tensor& x, int s) { return torch::bitwise_xor(x, torch::floor_divide(x, int64_t{1} << s)); }

uint32_t hash32_scalar(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}
}  // namespace

int64_t stream_key(uint64_t seed, uint32_t purpose) {
  const uint32_t lo = static_cast<uint32_t>(seed), hi = static_cast<uint32_t>(seed >> 32);
  return hash32_scalar(hash32_scalar(lo ^ hash32_scalar(hi + 0x9e3779b9U)) ^ hash32_scalar(purpose + 0x85ebca6bU));
}

torch::Tensor hash32(const torch::Tensor& x_in) {
  auto x = xorshift(x_in, 16);
  x = mul32(x, 0x7feb352dU);
  x = xorshift(x, 15);
  x = mul32(x, 0x846ca68bU);
  return xorshift(x, 16);
}

torch::Tensor draw_bits(const torch::Tensor& keys, const torch::Tensor& counter, int64_t n) {
  // The counter's two 32-bit halves mixed into one word per draw, then one word per (key, index).
  auto c_lo = torch::bitwise_and(counter, kMask32), c_hi = torch::floor_divide(counter, int64_t{1} << 32);
  auto c = hash32(torch::bitwise_xor(hash32(c_lo), hash32(torch::bitwise_and(c_hi + int64_t{0x5bd1e995}, kMask32))));
  auto base = hash32(torch::bitwise_xor(keys, c)).view({-1, 1});                                 // [K, 1]
  auto idx = torch::arange(n, keys.options()).view({1, -1});                                     // [1, n]
  return hash32(torch::bitwise_xor(base, hash32(torch::bitwise_and(idx * int64_t{0x9e3779b1}, kMask32))));  // [K, n]
}

torch::Tensor draw_indices(const torch::Tensor& keys, const torch::Tensor& counter, int64_t n, int64_t range) {
  if (range <= 0 || range >= (int64_t{1} << 31)) throw std::invalid_argument("draw_indices: range must be in [1, 2^31)");
  return torch::floor_divide(draw_bits(keys, counter, n) * range, int64_t{1} << 32);
}

torch::Tensor draw_uniform(const torch::Tensor& keys, const torch::Tensor& counter, int64_t n) {
  return torch::floor_divide(draw_bits(keys, counter, n), 256).to(torch::kFloat) * (1.0f / 16777216.0f);
}

}  // namespace iql::device
