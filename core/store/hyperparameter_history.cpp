#include "core/store/hyperparameter_history.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace iql {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kKind = "hyperparameter";
constexpr const char* kNameless = "?";

nlohmann::json object_of(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

std::string name_of(const nlohmann::json& payload) {
  const auto it = payload.find("name");
  return it != payload.end() && it->is_string() && !it->get<std::string>().empty() ? it->get<std::string>()
                                                                                   : kNameless;
}

double number_or_nan(const nlohmann::json& object, const std::string& key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : kNaN;
}
}  // namespace

bool HyperparameterHistory::tuned() const {
  if (unreadable_change) return true;
  // NaN start (the config lacks the key) differs from every value: any change counts.
  return std::any_of(changes.begin(), changes.end(), [&](const auto& c) { return !(c.second == start); });
}

HyperparameterHistory hyperparameter_history(const std::string& config_json, const std::vector<EventRecord>& events,
                                             const std::string& name) {
  HyperparameterHistory h;
  h.name = name;
  h.start = h.final = number_or_nan(object_of(config_json), name);
  for (const auto& e : events) {
    if (e.kind != kKind) continue;
    const nlohmann::json p = object_of(e.payload_json);
    if (name_of(p) != name) continue;
    const double value = number_or_nan(p, "new");
    if (std::isnan(value)) {
      h.unreadable_change = true;
      continue;
    }
    h.changes.emplace_back(e.step, value);
    h.final = value;
  }
  return h;
}

std::vector<HyperparameterHistory> hyperparameter_histories(const std::string& config_json,
                                                            const std::vector<EventRecord>& events, bool tuned_only) {
  std::vector<std::string> names;
  for (const auto& e : events) {
    if (e.kind != kKind) continue;
    const std::string name = name_of(object_of(e.payload_json));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::vector<HyperparameterHistory> out;
  for (const auto& name : names) {
    HyperparameterHistory h = hyperparameter_history(config_json, events, name);
    if (!tuned_only || h.tuned()) out.push_back(std::move(h));
  }
  return out;
}

bool tuned_mid_run(const std::string& config_json, const std::vector<EventRecord>& events) {
  return !hyperparameter_histories(config_json, events, true).empty();
}

}  // namespace iql
