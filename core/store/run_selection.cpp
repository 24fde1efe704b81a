#include "core/store/run_selection.h"

#include <algorithm>
#include <cctype>

#include "core/util/errors.h"

namespace iql {

namespace {
bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}
}  // namespace

RunSelection select_runs(RunStore& store, const std::string& selector) {
  if (selector.empty()) throw ConfigError("no run, population or sweep id given");
  RunSelection sel;
  sel.id = selector;
  if (all_digits(selector) && selector.size() < 19) {
    if (auto r = store.get_run(std::stoll(selector))) {
      sel.kind = "run";
      sel.runs.push_back(*r);
      return sel;
    }
  }
  auto runs = store.list_runs();
  std::sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) { return a.id < b.id; });
  for (const auto& r : runs)
    if (r.population_id == selector) sel.runs.push_back(r);
  if (!sel.runs.empty()) {
    sel.kind = "population";
    std::stable_sort(sel.runs.begin(), sel.runs.end(), [](const RunInfo& a, const RunInfo& b) {
      return a.population_member.value_or(0) < b.population_member.value_or(0);
    });
    return sel;
  }
  const std::string tag = "sweep=" + selector;
  for (const auto& r : runs)
    if (std::find(r.tags.begin(), r.tags.end(), tag) != r.tags.end()) sel.runs.push_back(r);
  if (!sel.runs.empty()) {
    sel.kind = "sweep";
    return sel;
  }
  throw ConfigError("'" + selector + "' is no run id, population id or sweep id in " + store.path() +
                    " (see iql runs list)");
}

}  // namespace iql
