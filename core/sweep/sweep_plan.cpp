#include "core/sweep/sweep_plan.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "core/config/train_settings.h"
#include "core/util/errors.h"

namespace iql {

using nlohmann::json;

int SweepTask::threads() const {
  int t = 1;
  for (const auto& m : members) t = std::max(t, m.config.threads);
  return t;
}

int SweepPlan::member_count() const {
  int n = 0;
  for (const auto& t : tasks) n += static_cast<int>(t.members.size());
  return n;
}

SweepPlan SweepPlan::make(const SweepSpec& spec, const std::string& sweep_id) {
  SweepPlan p;
  p.sweep_id = sweep_id;
  p.name = spec.name;
  p.members_per_task = spec.members_per_task;
  // open task per pack key, in order of first appearance, so the plan reads like the spec
  std::map<std::string, int> open;
  for (auto& m : spec.expand()) {
    const std::string key = shared_settings_key(m.config);  // what a population's members must share
    auto it = open.find(key);
    if (it == open.end() || static_cast<int>(p.tasks[it->second].members.size()) >= spec.members_per_task) {
      SweepTask t;
      t.index = static_cast<int>(p.tasks.size());
      p.tasks.push_back(t);
      open[key] = t.index;
      it = open.find(key);
    }
    p.tasks[it->second].members.push_back(std::move(m));
  }
  return p;
}

std::string SweepPlan::new_sweep_id(const std::string& name) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  std::random_device rd;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%04x", rd() & 0xffff);
  return name + "-" + buf + "-" + hex;
}

std::string SweepPlan::to_json() const {
  json j{{"sweep_id", sweep_id}, {"name", name}, {"members_per_task", members_per_task}};
  json tasks_j = json::array();
  for (const auto& t : tasks) {
    json members = json::array();
    for (const auto& m : t.members)
      members.push_back({{"member", m.index}, {"point", m.point}, {"config", json::parse(m.config.to_json())}});
    tasks_j.push_back({{"index", t.index}, {"members", members}});
  }
  j["tasks"] = tasks_j;
  return j.dump(1);
}

SweepPlan SweepPlan::from_json(const std::string& text, const std::string& origin) {
  SweepPlan p;
  try {
    const json j = json::parse(text);
    p.sweep_id = j.at("sweep_id").get<std::string>();
    p.name = j.at("name").get<std::string>();
    p.members_per_task = j.at("members_per_task").get<int>();
    for (const auto& t : j.at("tasks")) {
      SweepTask task;
      task.index = t.at("index").get<int>();
      if (task.index != static_cast<int>(p.tasks.size())) throw ConfigError("task indices are not 0..n-1");
      for (const auto& m : t.at("members")) {
        SweepMember sm;
        sm.index = m.at("member").get<int>();
        sm.point = m.at("point").get<std::string>();
        sm.config = TrainConfig::from_json(m.at("config").dump());
        task.members.push_back(std::move(sm));
      }
      p.tasks.push_back(std::move(task));
    }
  } catch (const std::exception& e) {
    throw ConfigError(origin + ": not a sweep plan: " + e.what());
  }
  return p;
}

std::string SweepPlan::describe() const {
  std::ostringstream os;
  os << "sweep " << name << ": " << member_count() << " runs in " << tasks.size() << " tasks (at most "
     << members_per_task << " members per task)\n";
  for (const auto& t : tasks) {
    os << "task " << t.index << " (" << t.members.size() << (t.members.size() == 1 ? " run" : " runs") << ", "
       << t.threads() << (t.threads() == 1 ? " thread" : " threads") << "): ";
    const auto& c = t.members.front().config;
    os << c.algorithm << " on " << c.dataset << " (" << c.env << "), " << c.steps << " steps\n";
    for (const auto& m : t.members) os << "  run " << m.index << ": " << (m.point.empty() ? "(base config)" : m.point) << "\n";
  }
  return os.str();
}

}  // namespace iql
