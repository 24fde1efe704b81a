// iql runs stats and iql runs final-eval (cmd_runs_stats.cpp), dispatched from cmd_runs.cpp.
#pragma once
#include "app/cli/commands.h"

namespace iql::cli {

int cmd_runs_stats(const ArgList& args);       // aggregate statistics with bootstrap intervals
int cmd_runs_final_eval(const ArgList& args);  // play last checkpoints for many episodes, store them

}  // namespace iql::cli
