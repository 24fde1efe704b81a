// The `iql` subcommands. Each takes the arguments after its name and returns the exit status.
#pragma once
#include <string>
#include <vector>

namespace iql::cli {

using ArgList = std::vector<std::string>;
int cmd_train(const ArgList& args);
int cmd_eval(const ArgList& args);
int cmd_finetune(const ArgList& args);
int cmd_datasets(const ArgList& args);
int cmd_datasets_generate_antmaze(const ArgList& args);  // cmd_antmaze.cpp
int cmd_datasets_maze_map(const ArgList& args);
int cmd_datasets_check_antmaze_policy(const ArgList& args);
int cmd_runs(const ArgList& args);
int cmd_bench(const ArgList& args);
int cmd_doctor(const ArgList& args);
int cmd_sweep(const ArgList& args);
int cmd_bench_collect(const ArgList& args);  // iql bench collect (in cmd_sweep.cpp)
int cmd_export(const ArgList& args);         // policy export: ONNX, TorchScript (cmd_export.cpp)
int cmd_ope(const ArgList& args);            // offline policy evaluation: FQE, critic signals (cmd_ope.cpp)

}  // namespace iql::cli
