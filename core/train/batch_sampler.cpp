#include "core/train/batch_sampler.h"

#include <sstream>

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

algo::Batch BatchSampler::split(const torch::Tensor& r) const {
  const int64_t o = obs_dim_, a = act_dim_;
  algo::Batch b;
  b.obs = r.narrow(1, 0, o);
  b.act = r.narrow(1, o, a);
  b.next_obs = r.narrow(1, o + a, o);
  b.rew = r.select(1, 2 * o + a);
  b.terminal = r.select(1, 2 * o + a + 1);
  return b;
}

algo::Batch BatchSampler::sample(int64_t batch_size) {
  std::uniform_int_distribution<int64_t> pick(0, size() - 1);
  auto idx = torch::empty({batch_size}, torch::kInt64);
  auto* ip = idx.data_ptr<int64_t>();
  for (int64_t i = 0; i < batch_size; ++i) ip[i] = pick(rng_);
  return split(packed_.index_select(0, idx));
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
  std::istringstream is(s);
  is >> rng_;
}

}  // namespace iql::train
