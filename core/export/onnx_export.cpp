#include "core/export/onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "core/util/atomic_file.h"
#include "core/util/errors.h"

namespace iql::exporting {

namespace {

void add_float(onnx::GraphProto& g, const std::string& name, const std::vector<float>& v, std::vector<int64_t> dims) {
  auto* t = g.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (auto d : dims) t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)));
}

void add_int64(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& v) {
  auto* t = g.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(static_cast<int64_t>(v.size()));
  for (auto x : v) t->add_int64_data(x);
}

onnx::NodeProto* add_node(onnx::GraphProto& g, const std::string& op, std::vector<std::string> in, const std::string& out) {
  auto* n = g.add_node();
  n->set_op_type(op);
  n->set_name(out + "_" + op);
  for (auto& i : in) n->add_input(i);
  n->add_output(out);
  return n;
}

void set_int_attr(onnx::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void add_io(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list, const std::string& name, int64_t width,
            const std::string& doc) {
  auto* v = list->Add();
  v->set_name(name);
  v->set_doc_string(doc);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  tt->mutable_shape()->add_dim()->set_dim_param("batch");
  tt->mutable_shape()->add_dim()->set_dim_value(width);
}

std::vector<float> floats_of(const onnx::TensorProto& t) {
  if (t.has_raw_data()) {
    std::vector<float> v(t.raw_data().size() / sizeof(float));
    std::copy_n(t.raw_data().data(), v.size() * sizeof(float), reinterpret_cast<char*>(v.data()));
    return v;
  }
  return {t.float_data().begin(), t.float_data().end()};
}

}  // namespace

void write_onnx(const ExportPolicy& p, const std::string& path, const std::string& doc) {
  onnx::ModelProto model;
  model.set_ir_version(kOnnxIrVersion);
  model.set_producer_name("IQL Workbench");
  model.set_producer_version(IQL_WORKBENCH_VERSION);
  model.set_domain("org.iql-workbench");
  model.set_model_version(1);
  model.set_doc_string(doc);
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  auto& g = *model.mutable_graph();
  g.set_name("iql_workbench_policy");
  add_io(g.mutable_input(), "observation", p.obs_dim, "raw observations in environment units");
  add_io(g.mutable_output(), "action", p.act_dim, "deterministic action in the environment's bounds");
  add_io(g.mutable_output(), "mean", p.act_dim, "mean of the Gaussian policy, in [-1, 1] action units");
  add_io(g.mutable_output(), "log_std", p.act_dim, "log standard deviation of the Gaussian, [-1, 1] action units");

  std::string x = "observation";
  if (p.normalizes()) {
    add_float(g, "obs_mean", p.obs_mean, {p.obs_dim});
    add_float(g, "obs_std", p.obs_std, {p.obs_dim});
    add_node(g, "Sub", {x, "obs_mean"}, "obs_centred");
    add_node(g, "Div", {"obs_centred", "obs_std"}, "obs_normalised");
    x = "obs_normalised";
  }
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const auto& L = p.layers[l];
    const std::string w = "l" + std::to_string(l) + "_weight", b = "l" + std::to_string(l) + "_bias";
    add_float(g, w, L.weight, {L.out, L.in});
    add_float(g, b, L.bias, {L.out});
    const std::string out = "l" + std::to_string(l) + "_out";
    set_int_attr(add_node(g, "Gemm", {x, w, b}, out), "transB", 1);
    x = out;
    if (l + 1 < p.layers.size()) {
      add_node(g, "Relu", {x}, out + "_relu");
      x = out + "_relu";
    }
  }
  add_node(g, "Tanh", {x}, "mean");
  add_float(g, "unit_low", {-1.0f}, {});
  add_float(g, "unit_high", {1.0f}, {});
  add_node(g, "Clip", {"mean", "unit_low", "unit_high"}, "mean_clipped");
  add_float(g, "action_scale", p.action_scale, {p.act_dim});
  add_float(g, "action_bias", p.action_bias, {p.act_dim});
  add_node(g, "Mul", {"mean_clipped", "action_scale"}, "action_unbiased");
  add_node(g, "Add", {"action_unbiased", "action_bias"}, "action");
  if (p.gaussian) {
    add_float(g, "log_std_param", p.log_std_raw, {p.act_dim});
    add_float(g, "log_std_min", {static_cast<float>(kLogStdMin)}, {});
    add_float(g, "log_std_max", {static_cast<float>(kLogStdMax)}, {});
    add_node(g, "Clip", {"log_std_param", "log_std_min", "log_std_max"}, "log_std_clamped");
  } else {  // deterministic: std 0
    add_float(g, "log_std_clamped", std::vector<float>(p.act_dim, -std::numeric_limits<float>::infinity()), {p.act_dim});
  }
  auto* shape = add_node(g, "Shape", {"observation"}, "batch_size");
  set_int_attr(shape, "start", 0);
  set_int_attr(shape, "end", 1);
  add_int64(g, "act_dim", {p.act_dim});
  set_int_attr(add_node(g, "Concat", {"batch_size", "act_dim"}, "log_std_shape"), "axis", 0);
  add_node(g, "Expand", {"log_std_clamped", "log_std_shape"}, "log_std");

  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw std::runtime_error(path + ": could not serialise the ONNX model");
  write_file_atomically(path, bytes, "ONNX export");
}

OnnxFileCheck check_onnx_file(const std::string& path, const ExportPolicy& expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path, "", "cannot be opened");
  std::stringstream buf;
  buf << in.rdbuf();
  onnx::ModelProto model;
  if (!model.ParseFromString(buf.str()) || !model.has_graph())
    throw DataError(path, "", "not a readable ONNX model (corrupted or truncated)");
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw DataError(path, "", std::string("fails the ONNX checker: ") + e.what());
  }
  OnnxFileCheck r;
  r.ir_version = model.ir_version();
  for (const auto& o : model.opset_import())
    if (o.domain().empty()) r.opset = o.version();
  const auto& g = model.graph();
  r.nodes = g.node_size();
  r.initializers = g.initializer_size();
  auto io_ok = [&](const onnx::ValueInfoProto& v, const std::string& name, int64_t width) {
    const auto& s = v.type().tensor_type().shape();
    return v.name() == name && s.dim_size() == 2 && s.dim(0).dim_param() == "batch" && s.dim(1).dim_value() == width;
  };
  if (g.input_size() != 1 || !io_ok(g.input(0), "observation", expected.obs_dim) || g.output_size() != 3 ||
      !io_ok(g.output(0), "action", expected.act_dim) || !io_ok(g.output(1), "mean", expected.act_dim) ||
      !io_ok(g.output(2), "log_std", expected.act_dim))
    throw DataError(path, "graph", "inputs/outputs are not observation [batch, " + std::to_string(expected.obs_dim) +
                                       "] -> action, mean, log_std [batch, " + std::to_string(expected.act_dim) + "]");
  std::map<std::string, std::vector<float>> want;
  for (size_t l = 0; l < expected.layers.size(); ++l) {
    want["l" + std::to_string(l) + "_weight"] = expected.layers[l].weight;
    want["l" + std::to_string(l) + "_bias"] = expected.layers[l].bias;
  }
  if (expected.gaussian) want["log_std_param"] = expected.log_std_raw;
  if (expected.normalizes()) want["obs_mean"] = expected.obs_mean, want["obs_std"] = expected.obs_std;
  want["action_scale"] = expected.action_scale;
  want["action_bias"] = expected.action_bias;
  for (const auto& t : g.initializer()) {
    auto it = want.find(t.name());
    if (it == want.end()) continue;
    const auto got = floats_of(t);
    if (got.size() != it->second.size())
      throw DataError(path, t.name(), std::to_string(got.size()) + " values, the checkpoint has " +
                                          std::to_string(it->second.size()));
    for (size_t i = 0; i < got.size(); ++i)
      r.max_weight_difference = std::max(r.max_weight_difference, std::fabs(double(got[i]) - it->second[i]));
    want.erase(it);
  }
  if (!want.empty()) throw DataError(path, want.begin()->first, "initialiser missing");
  return r;
}

}  // namespace iql::exporting
