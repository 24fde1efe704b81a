#include "core/bench/device_update_bench.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/device/cuda_backend.h"
#include "core/device/device_choice.h"
#include "core/train/device_sampler.h"
#include "core/train/device_step.h"
#include "core/util/errors.h"

namespace iql {

namespace {
using Clock = std::chrono::steady_clock;

Dataset synthetic(const DeviceBenchOptions& o) {
  Dataset d;
  d.obs_dim = o.obs_dim;
  d.act_dim = o.act_dim;
  const int64_t n = o.dataset_rows;
  auto g = at::make_generator<at::CPUGeneratorImpl>(1);
  auto obs = torch::randn({n, o.obs_dim}, g), next = torch::randn({n, o.obs_dim}, g);
  auto act = torch::rand({n, o.act_dim}, g) * 2 - 1, rew = torch::randn({n}, g);
  d.observations.assign(obs.data_ptr<float>(), obs.data_ptr<float>() + obs.numel());
  d.next_observations.assign(next.data_ptr<float>(), next.data_ptr<float>() + next.numel());
  d.actions.assign(act.data_ptr<float>(), act.data_ptr<float>() + act.numel());
  d.rewards.assign(rew.data_ptr<float>(), rew.data_ptr<float>() + n);
  d.terminals.assign(n, 0);
  d.timeouts.assign(n, 0);
  return d;
}

DeviceBenchRow time_row(const DeviceBenchOptions& o, const train::BatchSampler& rows, int P, bool graphs) {
  const torch::Device dev(o.device == "cuda" ? torch::kCUDA : torch::kCPU);
  device::synchronize();
  device::reset_peak_memory();
  std::vector<algo::AgentHyperparameters> hp(P);
  std::vector<at::Generator> gens;
  std::vector<uint64_t> seeds;
  for (int k = 0; k < P; ++k) {
    hp[k].corl = o.algorithm == "iql-corl";
    hp[k].hidden = o.hidden;
    hp[k].expectile = 0.5 + 0.4 * k / std::max(1, P - 1);  // members differ, as in a tuning population
    gens.push_back(at::make_generator<at::CPUGeneratorImpl>(k));
    seeds.push_back(k);
  }
  std::unique_ptr<algo::Agent> agent;
  if (o.algorithm == "bc") agent = std::make_unique<algo::BehaviourCloning>(o.obs_dim, o.act_dim, hp, &gens);
  else agent = std::make_unique<algo::Iql>(o.obs_dim, o.act_dim, hp, &gens);
  agent->to_device(dev, seeds);
  train::DeviceSampler sampler(rows, dev, seeds, o.batch);
  train::DeviceStep step(*agent, sampler, graphs);
  for (int i = 0; i < 10; ++i) step.step(false);  // warm-up, and the capture with graphs
  device::synchronize();
  const auto t0 = Clock::now();
  for (int64_t i = 0; i < o.steps; ++i) step.step(false);
  (void)step.step(true);  // reading the metrics back waits for every queued step
  device::synchronize();
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  DeviceBenchRow r;
  r.population = P;
  r.graphs = step.graphs_used();
  r.steps_per_s = (o.steps + 1) / s;
  r.member_steps_per_s = r.steps_per_s * P;
  r.memory_per_member_mb = device::peak_memory_bytes() / 1048576.0 / P;
  if (graphs && !step.graphs_used()) r.note = step.graphs_note();
  return r;
}
}  // namespace

DeviceBenchResult bench_device_update(const DeviceBenchOptions& o) {
  const std::string dev = device::resolve_device(o.device);
  device::set_matmul_precision(o.matmul_precision);
  DeviceBenchResult r;
  r.options = o;
  r.options.device = dev;
  auto facts = device::device_facts(dev);
  facts.matmul_precision = o.matmul_precision;
  r.facts = device::device_facts_text(facts);
  const Dataset data = synthetic(o);
  const train::BatchSampler rows(data, 0);
  for (int P : o.populations)
    for (bool g : o.graphs) {
      if (g && dev != "cuda") continue;  // graphs are a CUDA feature
      r.rows.push_back(time_row(r.options, rows, P, g));
    }
  return r;
}

std::string DeviceBenchResult::to_json() const {
  nlohmann::json rows_j = nlohmann::json::array();
  for (const auto& x : rows) {
    nlohmann::json j = {{"population", x.population},
                        {"graphs", x.graphs},
                        {"steps_per_s", x.steps_per_s},
                        {"member_steps_per_s", x.member_steps_per_s},
                        {"memory_per_member_mb", x.memory_per_member_mb}};
    if (!x.note.empty()) j["note"] = x.note;
    rows_j.push_back(j);
  }
  return nlohmann::json{{"device", options.device}, {"facts", facts},      {"algorithm", options.algorithm},
                        {"obs", options.obs_dim},   {"act", options.act_dim}, {"batch", options.batch},
                        {"hidden", options.hidden}, {"steps", options.steps}, {"matmul_precision", options.matmul_precision},
                        {"rows", rows_j}}
      .dump(2);
}

std::string DeviceBenchResult::to_text() const {
  std::ostringstream os;
  os << "device path: " << facts << "\n"
     << options.algorithm << ", obs " << options.obs_dim << ", act " << options.act_dim << ", batch " << options.batch
     << ", 2x" << options.hidden << ", " << options.steps << " timed steps per row\n";
  char line[200];
  std::snprintf(line, sizeof line, "%10s %7s %12s %18s %16s\n", "members", "graphs", "steps/s", "member-steps/s",
                "MB per member");
  os << line;
  for (const auto& x : rows) {
    std::snprintf(line, sizeof line, "%10d %7s %12.0f %18.0f %16.1f\n", x.population, x.graphs ? "yes" : "no",
                  x.steps_per_s, x.member_steps_per_s, x.memory_per_member_mb);
    os << line;
    if (!x.note.empty()) os << "           note: " << x.note << "\n";
  }
  return os.str();
}

}  // namespace iql
