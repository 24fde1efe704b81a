#include "core/nn/archive_io.h"
#include "core/train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <mutex>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/bench/runtime_info.h"
#include "core/data/builtin_datasets.h"
#include "core/data/dataset_loader.h"
#include "core/data/preprocess.h"
#include "core/env/env_registry.h"
#include "core/train/batch_sampler.h"
#include "core/train/evaluator.h"
#include "core/train/online_phase.h"
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

// Dataset and environment must agree on dimensions and action range before any training.
void check_compatible(const Dataset& d, const Env& env) {
  if (d.obs_dim != env.obs_dim())
    throw DataError(d.source, "observations",
                    "has obs_dim " + std::to_string(d.obs_dim) + ", but env '" + env.name() + "' expects shape (N, " +
                        std::to_string(env.obs_dim()) + ")");
  if (d.act_dim != env.act_dim())
    throw DataError(d.source, "actions",
                    "has act_dim " + std::to_string(d.act_dim) + ", but env '" + env.name() + "' expects shape (N, " +
                        std::to_string(env.act_dim()) + ")");
  const float hi = env.action_high() * 1.001f;
  for (size_t i = 0; i < d.actions.size(); ++i)
    if (std::abs(d.actions[i]) > hi)
      throw DataError(d.source, "actions",
                      "value " + std::to_string(d.actions[i]) + " at row " + std::to_string(i / d.act_dim) +
                          " is outside env '" + env.name() + "' action bounds [" + std::to_string(env.action_low()) +
                          ", " + std::to_string(env.action_high()) + "]");
}
}  // namespace

struct Trainer::Impl {
  TrainConfig cfg;
  Dataset data;
  ObsNormalizer norm;
  float action_high = 1.0f;
  double reward_scale = 1.0;
  std::unique_ptr<train::BatchSampler> sampler;
  std::unique_ptr<algo::Agent> agent;
  algo::Batch probe_batch;
  int64_t evaluations = 0;
  std::string reward_mode;
  std::unique_ptr<train::OnlinePhase> online;
};

Trainer::Trainer(const TrainConfig& cfg, Dataset dataset) : impl_(std::make_unique<Impl>()) {
  cfg.validate();
  auto& m = *impl_;
  m.cfg = cfg.resolved();  // e.g. no actor lr schedule in a run with an online phase
  if (m.cfg.algorithm == "iql-corl") m.cfg.normalize_obs = true;  // CORL normalises states
  set_threads(cfg.threads);
  auto env = make_env(cfg.env, cfg.physics);
  dataset.validate();
  check_compatible(dataset, *env);
  m.action_high = env->action_high();
  m.data = std::move(dataset);
  if (m.data.episode_starts.empty()) m.data.rebuild_episode_index();
  scale_and_clip_actions(m.data, m.action_high);
  m.reward_mode = cfg.algorithm == "iql-corl" && cfg.reward_mode == "auto" ? std::string("none")
                                                                           : m.cfg.effective_reward_mode();
  m.reward_scale = preprocess_rewards(m.data, m.reward_mode);
  if (m.cfg.normalize_obs) m.norm = normalize_observations(m.data);

  torch::manual_seed(cfg.seed);
  m.sampler = std::make_unique<train::BatchSampler>(m.data, cfg.seed);
  const int64_t o = m.data.obs_dim, a = m.data.act_dim;
  if (cfg.algorithm == "bc") m.agent = std::make_unique<algo::BehaviourCloning>(o, a, m.cfg);
  else m.agent = std::make_unique<algo::Iql>(o, a, m.cfg);

  // A fixed probe batch, drawn from its own stream so it does not shift the training batches.
  std::mt19937_64 probe_rng(cfg.seed ^ 0x9e3779b97f4a7c15ULL);
  const int64_t n = std::min<int64_t>(kProbeSize, m.data.size());
  std::vector<int64_t> idx(n);
  std::uniform_int_distribution<int64_t> pick(0, m.data.size() - 1);
  for (auto& i : idx) i = pick(probe_rng);
  m.probe_batch = m.sampler->rows(idx);
}

Trainer::~Trainer() = default;

StepMetrics Trainer::step(bool want_metrics) {
  auto& m = *impl_;
  auto batch = m.sampler->sample(m.cfg.batch_size);
  auto metrics = m.agent->update(batch, want_metrics);
  StepMetrics out;
  out.step = m.agent->updates();
  out.values = std::move(metrics);
  return out;
}

EvalResult Trainer::evaluate(int episodes) {
  auto& m = *impl_;
  // Episode seeds from (run seed, step, episode), independent of the training streams: evaluating the
  // same checkpoint again (a resumed run, another Trainer) reproduces its numbers.
  ++m.evaluations;
  const auto seeds = train::evaluation_seeds(m.cfg.seed, m.agent->updates(), episodes);
  auto policy = [&](const torch::Tensor& obs) { return m.agent->act(obs, true); };
  auto r = train::evaluate_policy(policy, m.cfg.env, m.cfg.physics, seeds, m.norm, m.action_high);
  r.step = m.agent->updates();
  return r;
}

ProbeSnapshot Trainer::probe() {
  auto& m = *impl_;
  ProbeSnapshot s;
  s.step = m.agent->updates();
  s.expectile = m.cfg.expectile;
  s.temperature = m.cfg.temperature;
  s.max_weight = m.cfg.max_weight;
  auto p = m.agent->probe(m.probe_batch);
  if (!p.v.defined()) return s;
  auto to_vec = [](const torch::Tensor& t) {
    auto c = t.contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  };
  s.v = to_vec(p.v);
  s.q = to_vec(p.q);
  s.adv = to_vec(p.adv);
  s.weights = to_vec(p.weights);
  s.histograms = {make_histogram("v", s.v), make_histogram("q", s.q), make_histogram("adv", s.adv),
                  make_histogram("weights", s.weights)};
  return s;
}

double Trainer::hyperparameter(const std::string& name) const {
  const double* field = impl_->cfg.live_field(name);
  if (!field) throw ConfigError("unknown live hyperparameter '" + name + "'");
  return *field;
}

double Trainer::set_hyperparameter(const std::string& name, double value) {
  auto& m = *impl_;
  const double old = hyperparameter(name);
  TrainConfig probe = m.cfg;
  *probe.live_field(name) = value;
  probe.validate();
  if (!m.agent->set_hyperparameter(name, value))
    throw ConfigError("algorithm '" + m.cfg.algorithm + "' has no hyperparameter '" + name + "'");
  m.cfg = probe;
  return old;
}

void Trainer::save_checkpoint(const std::string& path) const {
  auto& m = *impl_;
  torch::serialize::OutputArchive ar;
  m.agent->save(ar);
  ar.write("trainer.config", string_tensor(m.cfg.to_json()));
  ar.write("trainer.sampler_rng", string_tensor(m.sampler->rng_state()));
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    ar.write("trainer.torch_rng", gen.get_state());
  }
  ar.write("trainer.evaluations", torch::tensor({m.evaluations}, torch::kInt64));
  ar.write("trainer.obs_mean", torch::tensor(m.norm.mean.empty() ? std::vector<float>{} : m.norm.mean));
  ar.write("trainer.obs_std", torch::tensor(m.norm.std.empty() ? std::vector<float>{} : m.norm.std));
  ar.write("trainer.action_high", torch::tensor({m.action_high}));
  const std::string tmp = path + ".tmp";
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  ar.save_to(tmp);
  std::filesystem::rename(tmp, path);  // never leave a half-written checkpoint at path
}

void Trainer::load_checkpoint(const std::string& path) {
  auto& m = *impl_;
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(path);
  } catch (const std::exception& e) {
    throw DataError(path, "", std::string("not a readable checkpoint: ") + e.what());
  }
  m.agent->load(ar);
  torch::Tensor t;
  t = nn::read_tensor(ar, "trainer.config");
  const auto saved = TrainConfig::from_json(tensor_string(t));
  // Keep the live hyperparameters the checkpoint was trained with.
  for (const auto& name : live_hyperparameters()) {
    // Only the ones this algorithm has (BC: actor_lr); re-setting the current value probes that.
    if (!m.agent->set_hyperparameter(name, hyperparameter(name))) continue;
    set_hyperparameter(name, *saved.live_field(name));
  }
  t = nn::read_tensor(ar, "trainer.sampler_rng");
  m.sampler->set_rng_state(tensor_string(t));
  t = nn::read_tensor(ar, "trainer.torch_rng");
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(t);
  }
  t = nn::read_tensor(ar, "trainer.evaluations");
  m.evaluations = t.item<int64_t>();
}

void Trainer::begin_online() {
  auto& m = *impl_;
  if (m.online) return;
  train::OnlineOptions o;
  o.capacity = m.cfg.online_buffer;
  o.online_steps = m.cfg.online_steps;
  o.updates_per_env_step = m.cfg.online_updates_per_step;
  o.batch_size = m.cfg.batch_size;
  o.reward_mode = m.reward_mode;
  o.reward_scale = m.reward_scale;
  o.seed = m.cfg.seed;
  m.online = std::make_unique<train::OnlinePhase>(*m.agent, make_env(m.cfg.env, m.cfg.physics), m.data, m.norm,
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
  d.source = "online transitions of " + impl_->cfg.dataset;
  d.metadata["generator"] = "iql-workbench online fine-tuning";
  d.metadata["env"] = impl_->cfg.env;
  d.metadata["physics"] = impl_->cfg.physics;
  return d;
}

int64_t Trainer::step_count() const { return impl_->agent->updates(); }
const TrainConfig& Trainer::config() const { return impl_->cfg; }
const Dataset& Trainer::dataset() const { return impl_->data; }
double Trainer::reward_scale() const { return impl_->reward_scale; }

Dataset load_dataset(const std::string& name_or_path) {
  if (is_builtin_dataset(name_or_path)) return load_or_create_builtin(name_or_path);
  if (!std::filesystem::exists(name_or_path)) {  // neither a built-in name nor a file
    std::string names;
    for (const auto& n : builtin_dataset_names()) names += (names.empty() ? "" : ", ") + n;
    throw DataError(name_or_path, "", "no such file, and not a built-in dataset (built-ins: " + names + ")");
  }
  return read_dataset_file(name_or_path);  // D4RL HDF5, Minari or NPZ, detected by content
}

}  // namespace iql
