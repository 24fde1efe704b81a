#include "core/sweep/sweep_spec.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "core/config/train_settings.h"
#include "core/util/errors.h"

namespace iql {

using ojson = nlohmann::ordered_json;

namespace {

std::string value_text(const ojson& v) {
  if (v.is_string()) return std::filesystem::path(v.get<std::string>()).stem().string();
  std::ostringstream os;
  if (v.is_number_float()) os << v.get<double>();
  else os << v.dump();
  return os.str();
}

// One axis of the product: a list of partial configs, each with its label.
struct Axis {
  std::vector<std::pair<ojson, std::string>> values;
};

void need(bool ok, const std::string& origin, const std::string& field, const std::string& want) {
  if (!ok) throw ConfigError(origin + ": '" + field + "': expected " + want);
}

// Every key of `fields` must be a training setting's JSON key; an unknown one names the file, where it
// is and every valid key, so a typo ("temprature") is fixed from the message alone.
void check_setting_keys(const ojson& fields, const std::string& origin, const std::string& where) {
  if (!fields.is_object()) return;  // the shape checks report it
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    bool ok = false;
    for (const auto& s : train_settings()) ok = ok || s.key == it.key();
    if (ok) continue;
    std::string valid;
    for (const auto& s : train_settings()) valid += (valid.empty() ? "" : ", ") + s.key;
    throw ConfigError(origin + ": unknown field '" + where + it.key() + "' (valid fields: " + valid + ")");
  }
}

Axis dataset_axis(const ojson& list, const std::string& origin) {
  need(list.is_array() && !list.empty(), origin, "datasets", "a non-empty list of names or {dataset, env} objects");
  Axis a;
  for (const auto& d : list) {
    if (d.is_string()) {
      a.values.push_back({ojson{{"dataset", d}}, "dataset=" + value_text(d)});
    } else {
      need(d.is_object() && d.contains("dataset"), origin, "datasets", "entries that are a name or an object with \"dataset\"");
      a.values.push_back({d, "dataset=" + value_text(d["dataset"])});
    }
  }
  return a;
}

Axis grid_axis(const std::string& key, const ojson& list, const std::string& origin) {
  need(list.is_array() && !list.empty(), origin, "grid." + key, "a non-empty list of values");
  Axis a;
  for (const auto& v : list) a.values.push_back({ojson{{key, v}}, short_name(key) + "=" + value_text(v)});
  return a;
}

Axis random_axis(const ojson& r, const std::string& origin) {
  need(r.is_object() && r.contains("params") && r["params"].is_object(), origin, "random",
       "an object {\"count\": N, \"seed\": S, \"params\": {field: {uniform|log_uniform|choice: [...]}}}");
  const int count = r.value("count", 1);
  need(count >= 1 && count <= 100000, origin, "random.count", "an integer in [1, 100000]");
  std::mt19937_64 rng(r.value("seed", 0ULL));
  Axis a;
  for (int i = 0; i < count; ++i) {
    ojson draw = ojson::object();
    std::string label;
    for (auto it = r["params"].begin(); it != r["params"].end(); ++it) {
      const std::string field = "random.params." + it.key();
      const ojson& p = it.value();
      need(p.is_object() && p.size() == 1, origin, field, "one of {uniform: [lo, hi]}, {log_uniform: [lo, hi]}, {choice: [...]}");
      const std::string kind = p.begin().key();
      const ojson& arg = p.begin().value();
      ojson v;
      if (kind == "choice") {
        need(arg.is_array() && !arg.empty(), origin, field + ".choice", "a non-empty list");
        v = arg[std::uniform_int_distribution<size_t>(0, arg.size() - 1)(rng)];
      } else if (kind == "uniform" || kind == "log_uniform") {
        need(arg.is_array() && arg.size() == 2 && arg[0].is_number() && arg[1].is_number() && arg[0] <= arg[1], origin,
             field + "." + kind, "[lo, hi] with lo <= hi");
        double lo = arg[0].get<double>(), hi = arg[1].get<double>();
        if (kind == "log_uniform") {
          need(lo > 0, origin, field + ".log_uniform", "positive bounds");
          v = std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
        } else {
          v = std::uniform_real_distribution<double>(lo, hi)(rng);
        }
      } else {
        need(false, origin, field, "uniform, log_uniform or choice (got '" + kind + "')");
      }
      draw[it.key()] = v;
      label += (label.empty() ? "" : " ") + short_name(it.key()) + "=" + value_text(v);
    }
    a.values.push_back({draw, label});
  }
  return a;
}

}  // namespace

SweepSpec SweepSpec::parse(const std::string& text, const std::string& origin) {
  ojson j;
  try {
    j = ojson::parse(text);
  } catch (const std::exception& e) {
    throw ConfigError(origin + ": not valid JSON: " + e.what());
  }
  need(j.is_object(), origin, "(top level)", "a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const char* known[] = {"name", "base", "datasets", "grid", "random", "seeds", "members_per_task"};
    bool ok = false;
    for (auto k : known) ok = ok || it.key() == k;
    if (!ok) throw ConfigError(origin + ": unknown field '" + it.key() +
                               "' (valid fields: name, base, datasets, grid, random, seeds, members_per_task)");
  }
  SweepSpec s;
  if (j.contains("name")) {
    need(j["name"].is_string() && !j["name"].get<std::string>().empty(), origin, "name", "a non-empty string");
    s.name = j["name"].get<std::string>();
    for (char c : s.name)
      need(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.', origin, "name",
           "letters, digits, '-', '_' or '.' only (it names jobs and folders)");
  }
  if (j.contains("members_per_task")) {
    need(j["members_per_task"].is_number_integer() && j["members_per_task"].get<int>() >= 1, origin, "members_per_task",
         "a positive integer");
    s.members_per_task = j["members_per_task"].get<int>();
  }
  if (j.contains("base")) need(j["base"].is_object(), origin, "base", "an object of TrainConfig fields");
  if (j.contains("grid")) need(j["grid"].is_object(), origin, "grid", "an object {field: [values]}");
  if (j.contains("seeds")) need(j["seeds"].is_array() && !j["seeds"].empty(), origin, "seeds", "a non-empty list of integers");
  if (j.contains("base")) check_setting_keys(j["base"], origin, "base.");
  if (j.contains("grid")) check_setting_keys(j["grid"], origin, "grid.");
  if (j.contains("random") && j["random"].is_object() && j["random"].contains("params"))
    check_setting_keys(j["random"]["params"], origin, "random.params.");
  if (j.contains("datasets") && j["datasets"].is_array())
    for (const auto& d : j["datasets"]) check_setting_keys(d, origin, "datasets[].");
  s.json = j.dump(2);
  s.expand();  // validates every expanded config now, naming the spec
  return s;
}

SweepSpec SweepSpec::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot read the sweep spec");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

std::vector<SweepMember> SweepSpec::expand() const {
  const ojson j = ojson::parse(json);
  const std::string origin = "sweep spec '" + name + "'";
  std::vector<Axis> axes;
  if (j.contains("datasets")) axes.push_back(dataset_axis(j["datasets"], origin));
  if (j.contains("grid"))
    for (auto it = j["grid"].begin(); it != j["grid"].end(); ++it) axes.push_back(grid_axis(it.key(), it.value(), origin));
  if (j.contains("random")) axes.push_back(random_axis(j["random"], origin));
  if (j.contains("seeds")) axes.push_back(grid_axis("seed", j["seeds"], origin));

  const ojson base = j.value("base", ojson::object());
  std::vector<SweepMember> out;
  std::vector<size_t> pos(axes.size(), 0);
  for (;;) {
    ojson cfg = ojson::parse(TrainConfig().to_json());
    for (auto it = base.begin(); it != base.end(); ++it) cfg[it.key()] = it.value();
    std::string point;
    for (size_t a = 0; a < axes.size(); ++a) {
      const auto& [part, label] = axes[a].values[pos[a]];
      for (auto it = part.begin(); it != part.end(); ++it) cfg[it.key()] = it.value();
      point += (point.empty() ? "" : " ") + label;
    }
    SweepMember m;
    m.index = static_cast<int>(out.size());
    m.point = point;
    try {
      m.config = TrainConfig::from_json(cfg.dump());
      m.config.validate();
    } catch (const ConfigError& e) {
      throw ConfigError(origin + (point.empty() ? "" : " at " + point) + ": " + e.what());
    }
    out.push_back(std::move(m));
    // odometer: the last axis (seeds) varies fastest
    size_t a = axes.size();
    while (a > 0) {
      --a;
      if (++pos[a] < axes[a].values.size()) break;
      pos[a] = 0;
      if (a == 0) return out;
    }
    if (axes.empty()) return out;
  }
}

}  // namespace iql
