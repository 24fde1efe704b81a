// `iql`: the headless command line of IQL Workbench.
#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include "app/cli/commands.h"
#include "core/runtime/process_setup.h"
#include "core/util/errors.h"

namespace {
const char* kUsage =
    "usage: iql <command> [options]\n\n"
    "Offline RL with Implicit Q-Learning (Kostrikov, Nair, Levine 2022), headless.\n\n"
    "commands:\n"
    "  train      train IQL (or BC) on a dataset, store the run in SQLite, evaluate in the env\n"
    "  finetune   continue a stored offline run online (replay pre-filled with the dataset)\n"
    "  eval       evaluate a checkpoint's policy in an environment\n"
    "  datasets   list | generate | inspect datasets (D4RL HDF5 layout)\n"
    "  runs       list | show | export stored runs\n"
    "  export     a run's policy to ONNX or TorchScript (with a JSON contract); --check FILE\n"
    "  ope        offline policy evaluation (FQE, own critics) of a run or population, vs true scores\n"
    "  sweep      plan | run | status | retry | collect: many runs from one spec, locally or on Slurm\n"
    "  bench      update: time the IQL update step against its GEMM bound\n"
    "  doctor     show torch version, BLAS library and thread count\n\n"
    "Run 'iql <command> --help' for the options of a command. 'iql --version' prints the version.\n";
}

int main(int argc, char** argv) {
  iql::runtime::prepare_process(argc, argv);  // BLAS core and OpenMP waiting, before any BLAS call
  using namespace iql::cli;
  if (argc < 2) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  const std::string cmd = argv[1];
  ArgList rest(argv + 2, argv + argc);
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::printf("%s", kUsage);
    return 0;
  }
  if (cmd == "--version") return cmd_doctor({"--version"});
  static const std::map<std::string, int (*)(const ArgList&)> commands = {
      {"train", cmd_train}, {"eval", cmd_eval}, {"finetune", cmd_finetune},   {"datasets", cmd_datasets},
      {"runs", cmd_runs},   {"bench", cmd_bench}, {"doctor", cmd_doctor},
      {"sweep", cmd_sweep}, {"export", cmd_export}, {"ope", cmd_ope}};
  auto it = commands.find(cmd);
  if (it == commands.end()) {
    std::fprintf(stderr, "iql: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
    return 2;
  }
  try {
    return it->second(rest);
  } catch (const iql::UserError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
