#include "core/data/replay_buffer.h"

#include <algorithm>
#include <stdexcept>

#include "core/util/errors.h"

namespace iql {

ReplayBuffer::ReplayBuffer(int obs_dim, int act_dim, int64_t capacity)
    : obs_dim_(obs_dim), act_dim_(act_dim), capacity_(capacity) {
  if (capacity <= 0) throw ConfigError("replay buffer capacity must be positive");
  obs_.resize(capacity * obs_dim);
  next_obs_.resize(capacity * obs_dim);
  act_.resize(capacity * act_dim);
  rew_.resize(capacity);
  term_.resize(capacity);
  timeout_.resize(capacity);
}

void ReplayBuffer::add(const float* o, const float* a, float r, const float* no, bool terminal, bool timeout) {
  const int64_t i = next_;
  std::copy_n(o, obs_dim_, &obs_[i * obs_dim_]);
  std::copy_n(a, act_dim_, &act_[i * act_dim_]);
  std::copy_n(no, obs_dim_, &next_obs_[i * obs_dim_]);
  rew_[i] = r;
  term_[i] = terminal;
  timeout_[i] = timeout;
  next_ = (next_ + 1) % capacity_;
  size_ = std::min(size_ + 1, capacity_);
  ++added_;
}

int64_t ReplayBuffer::add_dataset(const Dataset& d) {
  if (d.obs_dim != obs_dim_ || d.act_dim != act_dim_)
    throw DataError(d.source, "observations", "dataset dims (" + std::to_string(d.obs_dim) + ", " +
                                                  std::to_string(d.act_dim) + ") do not match the replay buffer's (" +
                                                  std::to_string(obs_dim_) + ", " + std::to_string(act_dim_) + ")");
  for (int64_t i = 0; i < d.size(); ++i)
    add(&d.observations[i * obs_dim_], &d.actions[i * act_dim_], d.rewards[i], &d.next_observations[i * obs_dim_],
        d.terminals[i], d.timeouts[i]);
  return d.size();
}

std::vector<int64_t> ReplayBuffer::sample_indices(int64_t n, std::mt19937_64& rng) const {
  // uniform_int_distribution(0, -1) is undefined: it would hand out indices of rows that hold nothing
  if (size_ == 0) throw std::logic_error("replay buffer: sample_indices on an empty buffer");
  std::uniform_int_distribution<int64_t> pick(0, size_ - 1);
  std::vector<int64_t> idx(n);
  for (auto& i : idx) i = pick(rng);
  return idx;
}

int64_t ReplayBuffer::row_of_age(int64_t i) const {
  const int64_t oldest = size_ < capacity_ ? 0 : next_;
  return (oldest + i) % capacity_;
}

Dataset ReplayBuffer::to_dataset() const {
  Dataset d;
  d.obs_dim = obs_dim_;
  d.act_dim = act_dim_;
  for (int64_t k = 0; k < size_; ++k) {
    const int64_t r = row_of_age(k);
    d.observations.insert(d.observations.end(), obs(r), obs(r) + obs_dim_);
    d.actions.insert(d.actions.end(), act(r), act(r) + act_dim_);
    d.next_observations.insert(d.next_observations.end(), next_obs(r), next_obs(r) + obs_dim_);
    d.rewards.push_back(rew_[r]);
    d.terminals.push_back(term_[r]);
    d.timeouts.push_back(timeout_[r]);
  }
  d.rebuild_episode_index();
  return d;
}

}  // namespace iql
