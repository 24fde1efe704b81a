#include "core/env/mujoco_env.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "core/util/errors.h"

namespace iql {

namespace {

constexpr double kTwoPi = 6.28318530717958647692;

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::vector<double> parse_numbers(const std::string& s, const std::string& what) {
  std::istringstream in(s);
  std::vector<double> out;
  double v;
  while (in >> v) out.push_back(v);
  if (!in.eof()) throw ConfigError("MJCF: cannot parse " + what + "=\"" + s + "\"");
  return out;
}

using Attrs = std::vector<std::pair<std::string, std::string>>;

Attrs parse_attrs(const std::string& tag) {
  static const std::regex re(R"re(([A-Za-z_][\w:.-]*)\s*=\s*"([^"]*)")re");
  Attrs out;
  for (auto it = std::sregex_iterator(tag.begin(), tag.end(), re); it != std::sregex_iterator(); ++it)
    out.emplace_back((*it)[1].str(), (*it)[2].str());
  return out;
}

const std::string* find_attr(const Attrs& a, const std::string& key) {
  for (const auto& kv : a)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

void set_attr(Attrs& a, const std::string& key, const std::string& value) {
  for (auto& kv : a)
    if (kv.first == key) {
      kv.second = value;
      return;
    }
  a.emplace_back(key, value);
}

std::string make_geom_tag(const Attrs& a) {
  std::string out = "<geom";
  for (const auto& kv : a) out += " " + kv.first + "=\"" + kv.second + "\"";
  return out + "/>";
}

// The capsule (mass 0, still colliding) followed by its mass-carrying cylinder.
std::string fix_capsule(const std::string& tag) {
  Attrs capsule = parse_attrs(tag);
  const std::string* size_s = find_attr(capsule, "size");
  if (!size_s) throw ConfigError("MJCF: capsule geom without size: " + tag);
  const std::vector<double> size = parse_numbers(*size_s, "size");
  if (size.empty() || size[0] <= 0) throw ConfigError("MJCF: bad capsule size: " + tag);
  const double r = size[0];

  Attrs cyl = capsule;
  set_attr(cyl, "type", "cylinder");
  if (const std::string* fromto_s = find_attr(capsule, "fromto")) {
    std::vector<double> ft = parse_numbers(*fromto_s, "fromto");
    if (ft.size() != 6) throw ConfigError("MJCF: fromto needs 6 numbers: " + tag);
    double d[3] = {ft[3] - ft[0], ft[4] - ft[1], ft[5] - ft[2]};
    const double len = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (len <= 0) throw ConfigError("MJCF: zero-length capsule fromto: " + tag);
    std::string s;
    for (int i = 0; i < 3; ++i) ft[i] -= 0.5 * r * d[i] / len;
    for (int i = 0; i < 3; ++i) ft[3 + i] += 0.5 * r * d[i] / len;
    for (double v : ft) s += (s.empty() ? "" : " ") + fmt(v);
    set_attr(cyl, "fromto", s);
    set_attr(cyl, "size", fmt(r));
  } else {
    if (size.size() < 2) throw ConfigError("MJCF: capsule needs size=\"r h\" or fromto: " + tag);
    set_attr(cyl, "size", fmt(r) + " " + fmt(size[1] + 0.5 * r));
  }
  if (const std::string* nm = find_attr(capsule, "name")) set_attr(cyl, "name", *nm + "_d4rl_mass");
  set_attr(cyl, "contype", "0");
  set_attr(cyl, "conaffinity", "0");
  set_attr(cyl, "group", "3");  // hidden in viewers by default
  // An explicit capsule mass moves to the cylinder; otherwise the cylinder uses the density.
  set_attr(capsule, "mass", "0");
  return make_geom_tag(capsule) + make_geom_tag(cyl);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read MuJoCo model file '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Compiles MJCF text through a one-file VFS (so the d4rl variant never touches disk). The mutex
// guards MuJoCo's XML parser, which keeps global state (the "last XML").
mjModel* compile_xml(const std::string& path, const std::string& xml, const std::string& physics) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto vfs = std::make_unique<mjVFS>();  // ~2 MB: heap, not stack
  mj_defaultVFS(vfs.get());
  const std::string vname = "model.xml";
  if (mj_makeEmptyFileVFS(vfs.get(), vname.c_str(), static_cast<int>(xml.size())) != 0)
    throw ConfigError("cannot load MuJoCo model '" + path + "': VFS allocation failed");
  const int id = mj_findFileVFS(vfs.get(), vname.c_str());
  std::memcpy(vfs->filedata[id], xml.data(), xml.size());
  char err[1024] = {0};
  mjModel* m = mj_loadXML(vname.c_str(), vfs.get(), err, sizeof err);
  mj_deleteVFS(vfs.get());
  if (!m)
    throw ConfigError("cannot load MuJoCo model '" + path + "' (physics " + physics + "): " + err);
  return m;
}

}  // namespace

std::string apply_d4rl_capsule_fix(const std::string& xml) {
  const size_t worldbody = xml.find("<worldbody");
  if (worldbody == std::string::npos) throw ConfigError("MJCF: no <worldbody>");
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t lt = xml.find('<', pos);
    if (lt == std::string::npos) {
      out.append(xml, pos, std::string::npos);
      break;
    }
    out.append(xml, pos, lt - pos);
    if (xml.compare(lt, 4, "<!--") == 0) {  // copy comments verbatim
      const size_t end = xml.find("-->", lt);
      if (end == std::string::npos) throw ConfigError("MJCF: unterminated comment");
      out.append(xml, lt, end + 3 - lt);
      pos = end + 3;
      continue;
    }
    const size_t gt = xml.find('>', lt);
    if (gt == std::string::npos) throw ConfigError("MJCF: unterminated tag");
    const std::string tag = xml.substr(lt, gt + 1 - lt);
    pos = gt + 1;
    const bool is_geom = tag.compare(0, 5, "<geom") == 0 && tag.size() > 5 &&
                         (std::isspace(static_cast<unsigned char>(tag[5])) || tag[5] == '/');
    const std::string* type = nullptr;
    Attrs attrs;
    if (is_geom) {
      attrs = parse_attrs(tag);
      type = find_attr(attrs, "type");
    }
    if (!type || *type != "capsule") {
      out += tag;
      continue;
    }
    // A capsule type set in <default> would reach worldbody geoms invisibly: refuse it.
    if (lt < worldbody) throw ConfigError("MJCF: capsule type outside <worldbody>: " + tag);
    if (tag.size() < 2 || tag[tag.size() - 2] != '/')
      throw ConfigError("MJCF: capsule geom must be a self-closing tag: " + tag);
    out += fix_capsule(tag);
  }
  return out;
}

MujocoEnv::MujocoEnv(Spec spec, const std::string& physics) : MujocoEnv(std::move(spec), physics, nullptr) {}

MujocoEnv::MujocoEnv(Spec spec, const std::string& physics, const std::function<std::string(const std::string&)>& edit_xml)
    : spec_(std::move(spec)), physics_(physics), rng_(0) {
  if (physics_ != "d4rl" && physics_ != "gymnasium-v4")
    throw ConfigError("unknown physics '" + physics_ + "' (known: d4rl, gymnasium-v4)");
  const std::string path = resource_dir() + "/mjcf/" + spec_.model_file;
  std::string xml = read_text(path);
  if (edit_xml) xml = edit_xml(xml);
  if (physics_ == "d4rl") xml = apply_d4rl_capsule_fix(xml);
  model_ = compile_xml(path, xml, physics_);
  data_ = mj_makeData(model_);
  if (!data_) {
    mj_deleteModel(model_);
    throw ConfigError("cannot allocate MuJoCo data for '" + path + "'");
  }
}

MujocoEnv::~MujocoEnv() {
  if (data_) mj_deleteData(data_);
  if (model_) mj_deleteModel(model_);
}

// 53 random bits -> [0, 1), as PendulumEnv: the same stream on every standard library.
double MujocoEnv::uniform(double lo, double hi) {
  const double u = static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
  return lo + (hi - lo) * u;
}

// Box-Muller written out (std::normal_distribution is implementation-defined).
double MujocoEnv::normal() {
  const double u1 = 1.0 - uniform(0.0, 1.0);  // (0, 1]
  const double u2 = uniform(0.0, 1.0);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

std::vector<float> MujocoEnv::reset(uint64_t seed) {
  rng_.seed(seed);
  return reset();
}

std::vector<float> MujocoEnv::reset() {
  const double s = spec_.noise_scale;
  std::vector<double> qp(model_->nq), qv(model_->nv);
  for (int i = 0; i < model_->nq; ++i) qp[i] = model_->qpos0[i] + uniform(-s, s);
  for (int i = 0; i < model_->nv; ++i)
    qv[i] = spec_.noise == ResetNoise::kUniformBoth ? uniform(-s, s) : s * normal();
  set_state(qp, qv);
  return observation();
}

void MujocoEnv::set_state(const std::vector<double>& qpos, const std::vector<double>& qvel) {
  if (qpos.size() != static_cast<size_t>(model_->nq) || qvel.size() != static_cast<size_t>(model_->nv))
    throw std::invalid_argument(spec_.name + ": set_state expects " + std::to_string(model_->nq) +
                                " qpos and " + std::to_string(model_->nv) + " qvel values");
  // Fresh data first (time, ctrl, solver warm start): a previous non-finite state must not leak
  // into the next episode through qacc_warmstart. gym's reset does the same before its noise.
  mj_resetData(model_, data_);
  std::copy(qpos.begin(), qpos.end(), data_->qpos);
  std::copy(qvel.begin(), qvel.end(), data_->qvel);
  mj_forward(model_, data_);
  steps_ = 0;
  started_ = true;
}

StepResult MujocoEnv::step(const std::vector<float>& action) {
  if (!started_) throw std::logic_error(spec_.name + ": step called before reset()");
  if (action.size() != static_cast<size_t>(model_->nu))
    throw std::invalid_argument(spec_.name + ": expected " + std::to_string(model_->nu) +
                                " action values, got " + std::to_string(action.size()));
  // Read x the way gym does: for Ant, body xpos is as of the last mj_step's kinematics.
  const double x_before = x_position();
  double sq = 0.0;
  for (int i = 0; i < model_->nu; ++i) {
    data_->ctrl[i] = action[i];  // MuJoCo clamps to ctrlrange; the cost sees the raw action
    sq += static_cast<double>(action[i]) * action[i];
  }
  for (int k = 0; k < spec_.frame_skip; ++k) mj_step(model_, data_);
  const double x_after = x_position();
  ++steps_;

  StepResult r;
  r.observation = observation();
  r.reward = (x_after - x_before) / dt() + spec_.healthy_reward - spec_.ctrl_cost_weight * sq;
  r.terminal = !is_healthy();
  r.timeout = steps_ >= kMaxEpisodeSteps;
  return r;
}

std::vector<double> MujocoEnv::qpos() const { return {data_->qpos, data_->qpos + model_->nq}; }
std::vector<double> MujocoEnv::qvel() const { return {data_->qvel, data_->qvel + model_->nv}; }
std::vector<double> MujocoEnv::init_qpos() const { return {model_->qpos0, model_->qpos0 + model_->nq}; }

std::vector<double> MujocoEnv::state_vector() const {
  std::vector<double> s = qpos();
  s.insert(s.end(), data_->qvel, data_->qvel + model_->nv);
  return s;
}

std::vector<double> MujocoEnv::body_masses() const {
  return {model_->body_mass, model_->body_mass + model_->nbody};
}

double MujocoEnv::body_mass(const std::string& body) const {
  const int id = mj_name2id(model_, mjOBJ_BODY, body.c_str());
  if (id < 0) throw ConfigError(spec_.name + ": no body named '" + body + "'");
  return model_->body_mass[id];
}

}  // namespace iql
