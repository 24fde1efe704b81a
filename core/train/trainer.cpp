#include "core/nn/archive_io.h"
#include "core/train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>

#include <nlohmann/json.hpp>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/data/preprocess.h"
#include "core/env/env_registry.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/train/agent_settings.h"
#include "core/train/batch_sampler.h"
#include "core/device/counter_rng.h"
#include "core/device/device_choice.h"
#include "core/train/device_sampler.h"
#include "core/train/device_step.h"
#include "core/train/evaluator.h"
#include "core/train/online_phase.h"
#include "core/train/population_evaluator.h"
#include "core/config/train_settings.h"
#include "core/util/atomic_file.h"
#include "core/util/errors.h"

namespace iql {

namespace {
constexpr int64_t kProbeSize = 1024;

torch::Tensor string_tensor(const std::string& s) {
  auto t = torch::empty({static_cast<int64_t>(s.size())}, torch::kUInt8);
  std::memcpy(t.data_ptr<uint8_t>(), s.data(), s.size());
  return t;
}
std::string tensor_string(const torch::Tensor& t) {
  return std::string(reinterpret_cast<const char*>(t.data_ptr<uint8_t>()), t.numel());
}
}  // namespace

struct Trainer::Impl {
  std::vector<TrainConfig> cfgs;  // one per member
  Dataset data;  // prepared (run_data.h)
  ObsNormalizer norm;
  float action_high = 1.0f;
  double reward_scale = 1.0;
  std::vector<at::Generator> gens;  // per member: init, dropout, sampling noise
  std::vector<std::unique_ptr<train::BatchSampler>> samplers;  // per member, one shared copy of the rows
  std::vector<train::BatchSampler*> sampler_ptrs;
  std::unique_ptr<algo::Agent> agent;
  algo::Batch probe_batch;  // [N, ...] for one member, [P, N, ...] for a population
  std::vector<int64_t> evaluations;
  std::string reward_mode;
  std::unique_ptr<train::OnlinePhase> online;
  // Device path (CUDA, or the CPU when a test asks): batches drawn and the update run on `device`.
  std::string device = "cpu";
  std::unique_ptr<train::DeviceSampler> device_sampler;
  std::unique_ptr<train::DeviceStep> device_step;
  int64_t P() const { return static_cast<int64_t>(cfgs.size()); }
};

std::string population_mismatch(const std::vector<TrainConfig>& members) {
  if (members.empty()) return "a population needs at least one member";
  // The table's per-member settings (scalar hyperparameters, seed) may differ; every other setting
  // shapes the shared model and data.
  std::string may_differ;
  for (const auto& s : train_settings())
    if (s.per_member) may_differ += (may_differ.empty() ? "" : ", ") + s.key;
  for (size_t k = 1; k < members.size(); ++k)
    for (const auto& s : train_settings()) {
      if (s.per_member) continue;
      const std::string mine = setting_json(s, members[k]), first = setting_json(s, members[0]);
      if (mine != first)
        return "member " + std::to_string(k) + " has " + s.key + " = " + mine + " but member 0 has " + first +
               ": population members may differ only in " + may_differ;
    }
  if (members.size() > 1 && members[0].online_steps > 0)
    return "online_steps > 0: a population trains offline; fine-tune a member online afterwards (iql finetune RUN_ID)";
  return "";
}

Trainer::Trainer(const TrainConfig& cfg, Dataset dataset) : Trainer(std::vector<TrainConfig>{cfg}, std::move(dataset)) {}

Trainer::Trainer(const std::vector<TrainConfig>& members, Dataset dataset)
    : Trainer(prepare_run_data(members, std::move(dataset))) {}

Trainer::Trainer(PreparedData prepared, DevicePlacement placement) : impl_(std::make_unique<Impl>()) {
  if (prepared.members.empty()) throw ConfigError("a trainer needs members: data from prepare_run_data");
  auto& m = *impl_;
  m.cfgs = std::move(prepared.members);
  for (auto& c : m.cfgs) c.normalize_obs = normalizes_observations(c);  // what the data preparation did
  m.data = std::move(prepared.data);
  m.norm = std::move(prepared.norm);
  m.action_high = prepared.action_high;
  m.reward_mode = prepared.reward_mode;
  m.reward_scale = prepared.reward_scale;
  const TrainConfig& cfg = m.cfgs[0];
  set_threads(cfg.threads);

  torch::manual_seed(cfg.seed);
  for (int64_t k = 0; k < m.P(); ++k) {
    m.gens.push_back(at::make_generator<at::CPUGeneratorImpl>(m.cfgs[k].seed));
    m.samplers.push_back(k == 0 ? std::make_unique<train::BatchSampler>(m.data, m.cfgs[k].seed)
                                : std::make_unique<train::BatchSampler>(*m.samplers[0], m.cfgs[k].seed));
    m.sampler_ptrs.push_back(m.samplers.back().get());
  }
  m.evaluations.assign(m.P(), 0);
  const int64_t o = m.data.obs_dim, a = m.data.act_dim;
  const auto hp = agent_hyperparameters(m.cfgs);
  if (cfg.algorithm == "bc") m.agent = std::make_unique<algo::BehaviourCloning>(o, a, hp, &m.gens);
  else m.agent = std::make_unique<algo::Iql>(o, a, hp, &m.gens);

  // A fixed probe batch per member, drawn from its own stream so it does not shift the training batches.
  const int64_t n = std::min<int64_t>(kProbeSize, m.data.size());
  std::vector<int64_t> idx;
  for (const auto& c : m.cfgs) {
    std::mt19937_64 probe_rng(c.seed ^ 0x9e3779b97f4a7c15ULL);
    std::uniform_int_distribution<int64_t> pick(0, m.data.size() - 1);
    for (int64_t i = 0; i < n; ++i) idx.push_back(pick(probe_rng));
  }
  m.probe_batch = m.samplers[0]->rows(idx);

  // The device path: networks initialised above on the CPU from the members' generators (the same
  // weights as a CPU run), then moved; the dataset is uploaded once.
  m.device = device::resolve_device(cfg.device);
  if (m.device == "cuda" || placement.device_path_on_cpu) {
    device::set_matmul_precision(cfg.matmul_precision);
    std::vector<uint64_t> seeds;
    for (const auto& c : m.cfgs) seeds.push_back(c.seed);
    const torch::Device dev(m.device == "cuda" ? torch::kCUDA : torch::kCPU);
    m.agent->to_device(dev, seeds);
    m.device_sampler = std::make_unique<train::DeviceSampler>(*m.samplers[0], dev, seeds, cfg.batch_size);
    m.device_step = std::make_unique<train::DeviceStep>(*m.agent, *m.device_sampler,
                                                        m.device == "cuda" && cfg.cuda_graphs == "on");
  }
  if (m.P() > 1) {
    auto view = [&](const torch::Tensor& t) {
      auto shape = t.sizes().vec();
      shape[0] = n;
      shape.insert(shape.begin(), m.P());
      return t.reshape(shape);
    };
    auto& b = m.probe_batch;
    b = {view(b.obs), view(b.act), view(b.rew), view(b.next_obs), view(b.terminal)};
  }
}

Trainer::~Trainer() = default;

int64_t Trainer::members() const { return impl_->P(); }

StepMetrics Trainer::step(bool want_metrics) {
  auto& m = *impl_;
  if (m.P() > 1 || m.device_step) return step_members(want_metrics)[0];
  auto batch = m.sampler_ptrs[0]->sample(m.cfgs[0].batch_size);
  StepMetrics out;
  out.values = m.agent->update(batch, want_metrics);
  out.step = m.agent->updates();
  return out;
}

std::vector<StepMetrics> Trainer::step_members(bool want_metrics) {
  auto& m = *impl_;
  if (m.P() == 1 && !m.device_step) return {step(want_metrics)};
  std::vector<algo::Metrics> metrics;
  if (m.device_step) {
    metrics = m.device_step->step(want_metrics);
  } else {
    auto batch = train::BatchSampler::sample_members(m.sampler_ptrs, m.cfgs[0].batch_size);
    metrics = m.agent->update_members(batch, want_metrics);
  }
  std::vector<StepMetrics> out(m.P());
  for (int64_t k = 0; k < m.P(); ++k) {
    out[k].step = m.agent->updates();
    out[k].values = std::move(metrics[k]);
  }
  return out;
}

EvalResult Trainer::evaluate(int episodes) { return evaluate_members(episodes)[0]; }

std::vector<EvalResult> Trainer::evaluate_members(int episodes) {
  auto& m = *impl_;
  // Episode seeds from (member seed, step, episode), independent of the training streams: evaluating
  // the same checkpoint again (a resumed run, another Trainer, `iql eval`) reproduces its numbers.
  std::vector<std::vector<uint64_t>> seeds;
  for (int64_t k = 0; k < m.P(); ++k) {
    ++m.evaluations[k];  // kept in checkpoints (format unchanged)
    seeds.push_back(train::evaluation_seeds(m.cfgs[k].seed, m.agent->updates(), episodes));
  }
  const bool flat = m.P() == 1;
  auto policy = [&](const torch::Tensor& obs) {  // [P, N, o]
    return flat ? m.agent->act(obs[0], true).unsqueeze(0) : m.agent->act(obs, true);
  };
  auto r = train::evaluate_members(policy, m.cfgs[0].env, m.cfgs[0].physics, seeds, m.norm, m.action_high);
  for (auto& e : r) e.step = m.agent->updates();
  return r;
}

ProbeSnapshot Trainer::probe() { return probe_members()[0]; }

std::vector<ProbeSnapshot> Trainer::probe_members() {
  auto& m = *impl_;
  std::vector<ProbeSnapshot> out(m.P());
  auto p = m.agent->probe(m.probe_batch);
  for (int64_t k = 0; k < m.P(); ++k) {
    auto& s = out[k];
    s.step = m.agent->updates();
    s.expectile = m.cfgs[k].expectile;
    s.temperature = m.cfgs[k].temperature;
    s.max_weight = m.cfgs[k].max_weight;
    if (!p.v.defined()) continue;
    auto to_vec = [&](const torch::Tensor& t) {
      auto c = (m.P() == 1 ? t : t[k]).contiguous();
      return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    };
    s.v = to_vec(p.v);
    s.q = to_vec(p.q);
    s.adv = to_vec(p.adv);
    s.weights = to_vec(p.weights);
    s.histograms = {make_histogram("v", s.v), make_histogram("q", s.q), make_histogram("adv", s.adv),
                    make_histogram("weights", s.weights)};
  }
  return out;
}

double Trainer::hyperparameter(const std::string& name, int64_t member) const {
  const double* field = impl_->cfgs.at(member).live_field(name);
  if (!field) throw ConfigError("unknown live hyperparameter '" + name + "'");
  return *field;
}

double Trainer::set_hyperparameter(const std::string& name, double value, int64_t member) {
  auto& m = *impl_;
  if (member >= m.P()) throw ConfigError("no population member " + std::to_string(member));
  const double old = hyperparameter(name, member < 0 ? 0 : member);
  for (int64_t k = 0; k < m.P(); ++k) {  // validate every target before changing any
    if (member >= 0 && k != member) continue;
    TrainConfig probe = m.cfgs[k];
    *probe.live_field(name) = value;
    probe.validate();
  }
  if (!m.agent->set_hyperparameter(name, value, member))
    throw ConfigError("algorithm '" + m.cfgs[0].algorithm + "' has no hyperparameter '" + name + "'");
  for (int64_t k = 0; k < m.P(); ++k)
    if (member < 0 || k == member) *m.cfgs[k].live_field(name) = value;
  return old;
}

void Trainer::save_member_checkpoint(int64_t k, const std::string& path) const {
  auto& m = *impl_;
  torch::serialize::OutputArchive ar;
  m.agent->save_member(ar, k);
  ar.write("trainer.config", string_tensor(m.cfgs.at(k).to_json()));
  // The device path's batch stream is one counter shared by the members' keys.
  ar.write("trainer.sampler_rng",
           string_tensor(m.device_sampler ? m.device_sampler->state() : m.samplers[k]->rng_state()));
  {
    auto gen = m.gens[k];
    std::lock_guard<std::mutex> lock(gen.mutex());
    ar.write("trainer.torch_rng", gen.get_state());
  }
  ar.write("trainer.evaluations", torch::tensor({m.evaluations[k]}, torch::kInt64));
  ar.write("trainer.obs_mean", torch::tensor(m.norm.mean.empty() ? std::vector<float>{} : m.norm.mean));
  ar.write("trainer.obs_std", torch::tensor(m.norm.std.empty() ? std::vector<float>{} : m.norm.std));
  ar.write("trainer.action_high", torch::tensor({m.action_high}));
  // Serialised to memory, so no torch writer touches the disk: its file writer throws from its
  // destructor when a write fails (a full disk aborted the process). The bytes then go through a
  // private temporary file and a rename, which report a failure as a StorageError naming the path.
  std::string bytes;
  ar.save_to([&bytes](const void* data, size_t n) {
    bytes.append(static_cast<const char*>(data), n);
    return n;
  });
  write_file_atomically(path, bytes, "checkpoint");
}

void Trainer::load_member_checkpoint(int64_t k, const std::string& path) {
  auto& m = *impl_;
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(path);
  } catch (const std::exception& e) {
    throw DataError(path, "", std::string("not a readable checkpoint: ") + e.what());
  }
  try {
    m.agent->load_member(ar, k);
  } catch (const c10::Error& e) {
    throw DataError(path, "", std::string("checkpoint does not fit this model: ") + e.what_without_backtrace());
  } catch (const std::runtime_error& e) {
    throw DataError(path, "", std::string("checkpoint does not fit this model: ") + e.what());
  }
  torch::Tensor t;
  t = nn::read_tensor(ar, "trainer.config");
  const auto saved = TrainConfig::from_json(tensor_string(t));
  // Keep the live hyperparameters the checkpoint was trained with.
  for (const auto& name : live_hyperparameters()) {
    // Only the ones this algorithm has (BC: actor_lr); re-setting the current value probes that.
    if (!m.agent->set_hyperparameter(name, hyperparameter(name, k), k)) continue;
    set_hyperparameter(name, *saved.live_field(name), k);
  }
  t = nn::read_tensor(ar, "trainer.sampler_rng");
  const std::string sampler_state = tensor_string(t);
  const int64_t draws = train::DeviceSampler::parse_state(sampler_state);
  if (m.device_sampler) {
    // A CPU checkpoint resumed on the device path continues at its update count (its mt19937 stream
    // has no counterpart there).
    m.device_sampler->set_draws(draws >= 0 ? draws : m.agent->updates());
  } else if (draws >= 0) {
    // A device-path checkpoint resumed on the CPU: the CPU stream starts afresh from (seed, draws).
    m.samplers[k] = std::make_unique<train::BatchSampler>(*m.samplers[0], m.cfgs[k].seed ^ static_cast<uint64_t>(draws));
    m.sampler_ptrs[k] = m.samplers[k].get();
  } else {
    m.samplers[k]->set_rng_state(sampler_state);
  }
  t = nn::read_tensor(ar, "trainer.torch_rng");
  {
    auto gen = m.gens[k];
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(t);
  }
  t = nn::read_tensor(ar, "trainer.evaluations");
  m.evaluations[k] = t.item<int64_t>();
}

void Trainer::begin_online() {
  auto& m = *impl_;
  if (m.online) return;
  train::OnlineOptions o;
  o.capacity = m.cfgs[0].online_buffer;
  o.online_steps = m.cfgs[0].online_steps;
  o.updates_per_env_step = m.cfgs[0].online_updates_per_step;
  o.batch_size = m.cfgs[0].batch_size;
  o.reward_mode = m.reward_mode;
  o.reward_scale = m.reward_scale;
  o.seed = m.cfgs[0].seed;
  m.online = std::make_unique<train::OnlinePhase>(*m.agent, make_env(m.cfgs[0].env, m.cfgs[0].physics), m.data, m.norm,
                                                  m.action_high, o);
}

bool Trainer::online() const { return impl_->online != nullptr; }

OnlineStepInfo Trainer::online_step(bool want_metrics, StepMetrics* metrics) {
  if (!impl_->online) begin_online();
  return impl_->online->step(want_metrics, metrics);
}

int64_t Trainer::online_env_steps() const { return impl_->online ? impl_->online->env_steps() : 0; }

Dataset Trainer::online_dataset() const {
  if (!impl_->online) return {};
  auto d = impl_->online->raw_online().to_dataset();
  d.source = "online transitions of " + impl_->cfgs[0].dataset;
  d.metadata["generator"] = "iql-workbench online fine-tuning";
  d.metadata["env"] = impl_->cfgs[0].env;
  d.metadata["physics"] = impl_->cfgs[0].physics;
  return d;
}

int64_t Trainer::step_count() const { return impl_->agent->updates(); }
const std::string& Trainer::device() const { return impl_->device; }

device::DeviceFacts Trainer::device_facts() const {
  const auto& m = *impl_;
  auto f = device::device_facts(m.device);
  f.matmul_precision = m.device == "cuda" ? m.cfgs[0].matmul_precision : "fp32";
  if (m.device_step) {
    f.cuda_graphs = m.device_step->graphs_asked() && m.device_step->graphs_note().empty();  // planned, or replaying
    f.graphs_note = m.device_step->graphs_note();
    if (m.device == "cuda" && !m.device_step->graphs_asked()) f.graphs_note = "cuda_graphs off";
  }
  return f;
}

std::string Trainer::device_facts_json() const { return device::device_facts_json(device_facts()); }
std::string Trainer::device_facts_text() const { return device::device_facts_text(device_facts()); }
const TrainConfig& Trainer::config() const { return impl_->cfgs[0]; }
const TrainConfig& Trainer::member_config(int64_t k) const { return impl_->cfgs.at(k); }
const Dataset& Trainer::dataset() const { return impl_->data; }
double Trainer::reward_scale() const { return impl_->reward_scale; }

}  // namespace iql
