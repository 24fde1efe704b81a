// Which runs a command over "a run, a population or a sweep" means: the one selector every such command
// takes (iql runs final-eval, iql ope), resolved against one store. Qt-free and torch-free.
#pragma once
#include <string>
#include <vector>

#include "core/store/run_store.h"

namespace iql {

struct RunSelection {
  std::string kind;  // "run", "population" or "sweep"
  std::string id;    // the selector as given
  std::vector<RunInfo> runs;  // a population's by member index, a sweep's by run id
};

// selector: a run id (an integer naming a run in the store), else a population id (runs sharing
// population_id), else a sweep id (runs tagged "sweep=ID" by iql sweep). Throws ConfigError naming the
// selector and the store when it matches nothing.
RunSelection select_runs(RunStore& store, const std::string& selector);

}  // namespace iql
