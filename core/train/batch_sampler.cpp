#include "core/train/batch_sampler.h"

#include <sstream>
#include <stdexcept>

namespace iql::train {

BatchSampler::BatchSampler(const Dataset& d, uint64_t seed) : obs_dim_(d.obs_dim), act_dim_(d.act_dim), rng_(seed) {
  const int64_t n = d.size(), o = d.obs_dim, a = d.act_dim;
  packed_ = torch::empty({n, 2 * o + a + 2});
  float* p = packed_.data_ptr<float>();
  const int64_t w = packed_.size(1);
  for (int64_t i = 0; i < n; ++i) {
    float* row = p + i * w;
    std::copy_n(&d.observations[i * o], o, row);
    std::copy_n(&d.actions[i * a], a, row + o);
    std::copy_n(&d.next_observations[i * o], o, row + o + a);
    row[2 * o + a] = d.rewards[i];
    row[2 * o + a + 1] = d.terminals[i] ? 1.0f : 0.0f;
  }
}

BatchSampler::BatchSampler(const BatchSampler& data_of, uint64_t seed)
    : packed_(data_of.packed_), obs_dim_(data_of.obs_dim_), act_dim_(data_of.act_dim_), rng_(seed) {}

// Works on [B, w] and [P, B, w] rows alike (fields along the last axis).
algo::Batch BatchSampler::split(const torch::Tensor& r) const {
  const int64_t o = obs_dim_, a = act_dim_, d = r.dim() - 1;
  algo::Batch b;
  b.obs = r.narrow(d, 0, o);
  b.act = r.narrow(d, o, a);
  b.next_obs = r.narrow(d, o + a, o);
  b.rew = r.select(d, 2 * o + a);
  b.terminal = r.select(d, 2 * o + a + 1);
  return b;
}

void BatchSampler::draw(int64_t* out, int64_t n) {
  std::uniform_int_distribution<int64_t> pick(0, size() - 1);
  for (int64_t i = 0; i < n; ++i) out[i] = pick(rng_);
}

algo::Batch BatchSampler::sample(int64_t batch_size) {
  auto idx = torch::empty({batch_size}, torch::kInt64);
  draw(idx.data_ptr<int64_t>(), batch_size);
  return split(packed_.index_select(0, idx));
}

algo::Batch BatchSampler::sample_members(const std::vector<BatchSampler*>& samplers, int64_t batch_size) {
  const int64_t P = static_cast<int64_t>(samplers.size());
  auto idx = torch::empty({P * batch_size}, torch::kInt64);
  for (int64_t k = 0; k < P; ++k) samplers[k]->draw(idx.data_ptr<int64_t>() + k * batch_size, batch_size);
  const auto& packed = samplers[0]->packed_;
  return samplers[0]->split(packed.index_select(0, idx).view({P, batch_size, packed.size(1)}));
}

algo::Batch BatchSampler::rows(const std::vector<int64_t>& idx) const {
  auto t = torch::tensor(idx, torch::kInt64);
  return split(packed_.index_select(0, t));
}

std::string BatchSampler::rng_state() const {
  std::ostringstream os;
  os << rng_;
  return os.str();
}

void BatchSampler::set_rng_state(const std::string& s) {
  // Read into a copy: a failed read leaves an engine half overwritten, a silently different stream.
  std::istringstream is(s);
  std::mt19937_64 r;
  is >> r;
  if (is.fail()) throw std::invalid_argument("batch sampler: not a std::mt19937_64 state (" + std::to_string(s.size()) + " characters)");
  rng_ = r;
}

}  // namespace iql::train
