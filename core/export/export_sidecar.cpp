#include "core/export/export_sidecar.h"

#include <chrono>
#include <ctime>
#include <filesystem>

#include "core/env/dataset_source.h"
#include "core/export/onnx_export.h"
#include "core/store/sha256.h"

namespace iql::exporting {

std::string format_name(ExportFormat f) { return f == ExportFormat::onnx ? "onnx" : "torchscript"; }

std::string sidecar_path(const std::string& export_file) { return export_file + ".json"; }

std::string dataset_sha256(const Dataset& d) {
  Sha256 h;
  h.update(d.observations.data(), d.observations.size() * sizeof(float));
  h.update(d.actions.data(), d.actions.size() * sizeof(float));
  h.update(d.rewards.data(), d.rewards.size() * sizeof(float));
  h.update(d.next_observations.data(), d.next_observations.size() * sizeof(float));
  h.update(d.terminals.data(), d.terminals.size());
  h.update(d.timeouts.data(), d.timeouts.size());
  return h.hex_digest();
}

DatasetFingerprint fingerprint_dataset(const std::string& name) {
  DatasetFingerprint f;
  f.name = name;
  try {
    const Dataset d = load_dataset(name);
    f.sha256 = dataset_sha256(d);
    f.rows = d.size();
  } catch (const std::exception& e) {  // an export does not need the data; say why the hash is missing
    f.note = std::string("dataset not loadable at export time: ") + e.what();
  }
  return f;
}

nlohmann::json export_contract(const ExportPolicy& p, ExportFormat f) {
  using nlohmann::json;
  const std::string a = std::to_string(p.act_dim), o = std::to_string(p.obs_dim);
  json c;
  c["input"] = {{"observation", "[batch, " + o + "] float32, raw observations in environment units; batch is dynamic"}};
  c["outputs"] = {
      {"action", "[batch, " + a + "] float32: the deterministic action, action_bias + action_scale * clamp(tanh(trunk), "
                 "-1, 1), inside [action_low, action_high]"},
      {"mean", "[batch, " + a + "] float32: mean of the Gaussian policy, tanh(trunk), in normalised action units [-1, 1]"},
      {"log_std", "[batch, " + a + "] float32: log standard deviation of the Gaussian in the same units, state-independent, "
                  "clamped to [-5, 2], repeated per row"}};
  c["normalisation"] = p.normalizes() ? "inside the graph: (observation - obs_mean) / obs_std, as the run trained"
                                      : "none: the run trained on raw observations";
  c["sampling"] = "a = action_bias + action_scale * clamp(mean + exp(log_std) * N(0, 1), -1, 1), as the workbench "
                  "samples during online fine-tuning. The Gaussian is over tanh(trunk) (IQL's actor), not a "
                  "tanh-squashed Gaussian: there is no tanh after sampling";
  c["log_std"] = p.gaussian ? "the trained state-independent log standard deviation, clamped to [-5, 2]"
                            : "-inf for every dimension: a deterministic policy (std 0), so sampling gives the action";
  if (f == ExportFormat::onnx)
    c["runtime"] = {{"ir_version", kOnnxIrVersion}, {"opset", kOnnxOpset}, {"input_name", "observation"},
                    {"output_names", {"action", "mean", "log_std"}}};
  else
    c["runtime"] = "torch.jit.load(FILE) / torch::jit::load(FILE); forward(observation) returns the tuple "
                   "(action, mean, log_std); weights are the parameters l0_weight [out, in], l0_bias, ..., log_std";
  return c;
}

nlohmann::json export_sidecar(const ExportPolicy& p, const ExportSource& src, ExportFormat f,
                              const DatasetFingerprint& data, const std::string& torch_version) {
  using nlohmann::json;
  json j;
  j["format"] = format_name(f);
  j["run_id"] = src.run ? json(src.run->id) : json(nullptr);
  if (src.run) {
    j["run_name"] = src.run->name;
    if (!src.run->population_id.empty())
      j["population"] = {{"id", src.run->population_id}, {"member", src.run->population_member.value_or(0)}};
  }
  j["algorithm"] = p.config.algorithm;
  j["env"] = p.config.env;
  j["physics"] = p.config.physics;
  j["dataset"] = {{"name", data.name}, {"rows", data.rows},
                  {"sha256", data.sha256.empty() ? json(nullptr) : json(data.sha256)},
                  {"sha256_of", "the arrays as loaded: observations, actions, rewards, next_observations (float32 LE), "
                                "terminals, timeouts (bytes)"}};
  if (!data.note.empty()) j["dataset"]["note"] = data.note;
  j["observation_dim"] = p.obs_dim;
  j["action_dim"] = p.act_dim;
  std::vector<float> low(p.act_dim), high(p.act_dim);
  for (int64_t i = 0; i < p.act_dim; ++i) {
    low[i] = p.action_bias[i] - p.action_scale[i];
    high[i] = p.action_bias[i] + p.action_scale[i];
  }
  j["action_low"] = low;
  j["action_high"] = high;
  j["action_scale"] = p.action_scale;
  j["action_bias"] = p.action_bias;
  j["observation_normalisation"] =
      p.normalizes() ? json{{"mean", p.obs_mean}, {"std", p.obs_std}} : json(nullptr);
  j["policy"] = {{"kind", p.gaussian ? "gaussian" : "deterministic"}, {"hidden", p.hidden()},
                 {"layers", p.layers.size()}, {"activation", "relu"}, {"output", "tanh"},
                 {"parameters", p.num_parameters()}};
  j["config"] = json::parse(p.config_json);
  j["checkpoint"] = {{"path", std::filesystem::absolute(src.checkpoint).string()}, {"step", p.step},
                     {"sha256", src.checkpoint_sha256.empty() ? Sha256::hex_file(src.checkpoint) : src.checkpoint_sha256}};
  j["versions"] = {{"workbench", IQL_WORKBENCH_VERSION}, {"libtorch", torch_version}};
  if (f == ExportFormat::onnx) j["versions"]["onnx"] = "1.12 (libonnx)";
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  j["created"] = stamp;
  j["contract"] = export_contract(p, f);
  return j;
}

}  // namespace iql::exporting
