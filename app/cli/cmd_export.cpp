// iql export: a stored run's (or a checkpoint's) policy to ONNX or TorchScript, with its JSON sidecar;
// --check loads an export back and compares it with the checkpoint.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/export/policy_export.h"
#include "core/runtime_torch/runtime_info.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {
int check(const Args& a) {
  const std::string file = a.str("check");
  const auto r = exporting::check_export(file, a.integer("observations"));
  if (a.flag("json")) {
    nlohmann::json j{{"file", file},          {"format", r.format},          {"checkpoint", r.checkpoint},
                     {"observations", r.observations}, {"max_difference", r.max_difference},
                     {"max_abs_action", r.max_abs_action}, {"max_abs_mean", r.max_abs_mean},
                     {"max_abs_log_std", r.max_abs_log_std}, {"detail", r.detail}};
    if (r.observations > 0)
      j["seconds_per_forward"] = {{"export_batch_1", r.export_seconds_b1}, {"export_batch_n", r.export_seconds_bn},
                                  {"workbench_batch_1", r.workbench_seconds_b1},
                                  {"workbench_batch_n", r.workbench_seconds_bn}};
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%s: %s export of %s\n%s\n", file.c_str(), r.format.c_str(), r.checkpoint.c_str(), r.detail.c_str());
  if (r.observations > 0) {
    std::printf("largest difference: %.3g (action %.3g, mean %.3g, log_std %.3g)\n", r.max_difference,
                r.max_abs_action, r.max_abs_mean, r.max_abs_log_std);
    std::printf("forward time, batch 1 / batch %lld: export %.1f / %.1f us, workbench %.1f / %.1f us\n",
                static_cast<long long>(r.observations), r.export_seconds_b1 * 1e6, r.export_seconds_bn * 1e6,
                r.workbench_seconds_b1 * 1e6, r.workbench_seconds_bn * 1e6);
  } else {
    std::printf("largest weight difference: %.3g\n", r.max_difference);
  }
  return 0;
}
}  // namespace

int cmd_export(const ArgList& argv) {
  Args a("export", "RUN_ID|CHECKPOINT --format onnx|torchscript --out FILE [--db DB] [--member K] | --check FILE",
         "Exports a run's policy (its latest checkpoint) or a checkpoint file's to ONNX or TorchScript, with a\n"
         "JSON sidecar FILE.json (run, algorithm, env, dataset and hash, dimensions, bounds, config, versions,\n"
         "and the contract: observation [batch, obs] -> action, mean, log_std [batch, act]). --check FILE loads\n"
         "an export back and prints its largest difference from the checkpoint on the run's dataset.",
         {{"format", "F", "onnx or torchscript (default: from the --out extension, .onnx or .pt)", ""},
          {"out", "FILE", "the file to write (FILE.json beside it)", ""},
          {"db", "FILE", "run store (default in the XDG data dir)", ""},
          {"member", "K", "export member K of the run's population (its own run)", ""},
          {"check", "FILE", "load FILE (an export) back and compare it with its checkpoint", ""},
          {"observations", "N", "--check: dataset observations to compare on", "1000"},
          {"threads", "N", "torch intra-op threads", "2"},
          {"json", "", "machine-readable output", ""}},
         {"RUN_ID|CHECKPOINT"});
  if (!a.parse(argv)) return 0;
  set_threads(static_cast<int>(a.integer("threads")));
  if (a.has("check")) return check(a);
  if (a.positional().empty()) throw ConfigError("iql export: missing RUN_ID or CHECKPOINT (or --check FILE)");
  const std::string out = a.str("out");
  if (out.empty()) throw ConfigError("iql export: --out FILE is required");
  const auto format = a.str("format").empty() ? exporting::format_for_path(out)
                                              : exporting::format_from_name(a.str("format"));
  std::optional<int64_t> member;
  if (a.has("member")) member = a.integer("member");
  const auto src = exporting::resolve_export_source(a.positional()[0], a.str("db"), member);
  const auto r = exporting::export_policy_file(src, format, out);
  if (a.flag("json")) {
    nlohmann::json j{{"file", r.file}, {"sidecar", r.sidecar}, {"format", exporting::format_name(format)},
                     {"bytes", r.bytes}, {"step", r.step}, {"seconds", r.seconds}, {"checkpoint", src.checkpoint}};
    if (src.run) j["run_id"] = src.run->id;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s: %s policy of %s (step %lld), %lld bytes in %.3f s; contract in %s\n", r.file.c_str(),
                exporting::format_name(format).c_str(),
                src.run ? ("run " + std::to_string(src.run->id)).c_str() : src.checkpoint.c_str(),
                static_cast<long long>(r.step), static_cast<long long>(r.bytes), r.seconds, r.sidecar.c_str());
  }
  return 0;
}

}  // namespace iql::cli
