#include "core/train/device_sampler.h"

#include "core/device/counter_rng.h"

namespace iql::train {

namespace {
constexpr uint32_t kBatchStream = 0x62617463;  // "batc"
}

DeviceSampler::DeviceSampler(const BatchSampler& rows, const torch::Device& device, const std::vector<uint64_t>& seeds,
                             int64_t batch_size)
    : rows_(rows), batch_size_(batch_size) {
  packed_ = rows.packed().to(device);
  std::vector<int64_t> keys;
  for (uint64_t s : seeds) keys.push_back(device::stream_key(s, kBatchStream));
  keys_ = torch::tensor(keys, torch::kInt64).to(device);
  counter_ = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device));
  buffer_ = torch::empty({static_cast<int64_t>(seeds.size()), batch_size, packed_.size(1)}, packed_.options());
}

torch::Tensor DeviceSampler::indices_of(int64_t n) const {
  auto c = torch::full({}, n, counter_.options());
  return device::draw_indices(keys_, c, batch_size_, packed_.size(0));
}

algo::Batch DeviceSampler::draw() {
  auto idx = device::draw_indices(keys_, counter_, batch_size_, packed_.size(0));  // [P, B]
  auto rows = buffer_.view({-1, packed_.size(1)});
  at::index_select_out(rows, packed_, 0, idx.view({-1}));
  counter_.add_(1);
  return rows_.split(buffer_);
}

void DeviceSampler::set_draws(int64_t n) {
  draws_ = n;
  counter_.fill_(n);
}

int64_t DeviceSampler::parse_state(const std::string& s) {
  const std::string prefix = "counter-rng ";
  if (s.rfind(prefix, 0) != 0) return -1;
  try {
    size_t used = 0;
    const long long n = std::stoll(s.substr(prefix.size()), &used);
    return used == s.size() - prefix.size() && n >= 0 ? n : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace iql::train
