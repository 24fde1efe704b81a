// iql runs report: the study report as a PDF (core/report/study_report.h).
#include <cstdio>

#include "app/cli/cli_args.h"
#include "core/report/study_report.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"

namespace iql::cli {

namespace {
// A word as a POSIX shell reads it back: bare when safe, else in single quotes.
std::string shell_word(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%") ==
                        std::string::npos)
    return s;
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}
}  // namespace

int cmd_runs_report(const std::vector<std::string>& rest) {
  const stats::BootstrapSettings defaults;
  Args a("runs report", "--out FILE.pdf [--db FILE[,FILE...]] [--group-by algorithm|config] [--eval last|best|final]",
         "Writes a study report (PDF): the run set and its configurations, learning curves with bands, the\n"
         "aggregate table (mean, median, IQM, optimality gap with 95% stratified-bootstrap intervals),\n"
         "performance profiles, probability of improvement, the tau x beta heat map where the runs form a grid,\n"
         "and estimate-vs-truth scatters where runs have offline (OPE) estimates. Every page names its runs and\n"
         "this command.",
         {{"db", "FILE[,FILE...]", "run stores (default in the XDG data dir)", ""},
          {"out", "FILE.pdf", "the PDF to write", ""},
          {"group-by", "algorithm|config", "groups of the statistics", "algorithm"},
          {"eval", "last|best|final", "which evaluation scores a run", "last"},
          {"resamples", "N", "bootstrap resamples", std::to_string(defaults.resamples)},
          {"seed", "N", "bootstrap seed", std::to_string(defaults.seed)}});
  if (!a.parse(rest)) return 0;
  if (a.str("out").empty()) throw ConfigError("iql runs report: --out FILE.pdf is required");
  report::StudyReportOptions o;
  o.stores = split_comma_list(a.str("db"));
  if (o.stores.empty()) o.stores.push_back(RunStore::default_path());
  o.group_by = stats::parse_group_by(a.str("group-by"));
  o.eval = stats::parse_eval_choice(a.str("eval"));
  o.bootstrap.resamples = int(a.integer("resamples"));
  o.bootstrap.seed = std::uint64_t(a.integer("seed"));
  if (o.bootstrap.resamples < 1) throw ConfigError("iql runs report: --resamples must be at least 1");
  o.command = "iql runs report";
  for (const auto& word : rest) o.command += " " + shell_word(word);
  const auto result = report::write_study_report(o, a.str("out"));
  std::printf("wrote %s (%d pages)\n", a.str("out").c_str(), result.pages);
  return 0;
}

}  // namespace iql::cli
