// iql train --population: P configurations trained as one batched model, each stored as its own run.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/train/control_file.h"
#include "core/train/population_run.h"

namespace iql::cli {

namespace {
RunControl* g_population_control = nullptr;
void on_population_sigint(int) {
  if (g_population_control) g_population_control->request_stop();
}

// "tau 0.7 beta 3 seed 1": the fields that differ between members, for one member.
std::string varied_text(const std::vector<TrainConfig>& ms, size_t k) {
  std::string s;
  auto add = [&](const char* name, double TrainConfig::*f) {
    for (const auto& m : ms)
      if (m.*f != ms[0].*f) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%s %g", s.empty() ? "" : " ", name, ms[k].*f);
        s += buf;
        return;
      }
  };
  add("tau", &TrainConfig::expectile);
  add("beta", &TrainConfig::temperature);
  add("gamma", &TrainConfig::discount);
  add("polyak", &TrainConfig::polyak);
  add("actor_lr", &TrainConfig::actor_lr);
  add("value_lr", &TrainConfig::value_lr);
  add("critic_lr", &TrainConfig::critic_lr);
  add("max_weight", &TrainConfig::max_weight);
  add("dropout", &TrainConfig::dropout);
  for (const auto& m : ms)
    if (m.seed != ms[0].seed) {
      s += (s.empty() ? "seed " : " seed ") + std::to_string(ms[k].seed);
      break;
    }
  return s.empty() ? "(identical)" : s;
}
}  // namespace

int run_population_and_report(const std::vector<TrainConfig>& members_in, const PopulationOptions& opt, bool json,
                              const std::string& control_file) {
  RunControl control;
  g_population_control = &control;
  std::signal(SIGINT, on_population_sigint);
  std::signal(SIGTERM, on_population_sigint);
  const bool tty = isatty(fileno(stderr));
  std::vector<TrainConfig> members = members_in;
  std::vector<int64_t> ids;
  PopulationCallbacks cb;
  cb.on_started = [&](const std::string& pid, const std::vector<int64_t>& run_ids, const std::vector<TrainConfig>& ms) {
    members = ms;
    ids = run_ids;
    std::fprintf(stderr, "[iql] population %s: %zu members of %s on %s, env %s, %lld steps, one batched model\n",
                 pid.c_str(), ms.size(), ms[0].algorithm.c_str(), ms[0].dataset.c_str(), ms[0].env.c_str(),
                 static_cast<long long>(ms[0].steps));
    for (size_t k = 0; k < ms.size(); ++k)
      std::fprintf(stderr, "[iql]   member %zu: run %lld  %s\n", k, static_cast<long long>(run_ids[k]),
                   varied_text(ms, k).c_str());
  };
  cb.on_evaluation = [&](int64_t k, const EvalResult& e) {
    if (k == 0) std::fprintf(stderr, "%s[iql] eval at step %lld:", tty ? "\r\033[K" : "", static_cast<long long>(e.step));
    if (e.normalized_score) std::fprintf(stderr, " %.1f", *e.normalized_score);
    else std::fprintf(stderr, " %.1f", e.return_mean);
    if (k + 1 == static_cast<int64_t>(members.size()))
      std::fprintf(stderr, " (%s, members in order)\n", e.normalized_score ? "normalised scores" : "returns");
  };
  cb.on_event = [&](int64_t k, const RunEvent& ev) {
    if (ev.kind == "hyperparameter" || k == 0)
      std::fprintf(stderr, "%s[iql] member %lld: %s at step %lld\n", tty ? "\r\033[K" : "", static_cast<long long>(k),
                   ev.kind.c_str(), static_cast<long long>(ev.step));
  };
  auto last_line = std::chrono::steady_clock::now() - std::chrono::hours(1);
  cb.on_progress = [&](int64_t step, int64_t total, double sps) {
    auto now = std::chrono::steady_clock::now();
    if (!tty && now - last_line < std::chrono::seconds(5) && step != total) return;
    last_line = now;
    const double eta = sps > 0 ? (total - step) / sps : 0.0;
    std::fprintf(stderr, "%s[iql] step %lld/%lld %3.0f%% | %.0f steps/s x %zu members = %.0f member-steps/s | ETA %.0f s%s",
                 tty ? "\r\033[K" : "", static_cast<long long>(step), static_cast<long long>(total),
                 100.0 * step / total, sps, members.size(), sps * members.size(), eta, tty ? "" : "\n");
  };
  std::unique_ptr<ControlFileWatcher> watcher;
  if (!control_file.empty())
    watcher = std::make_unique<ControlFileWatcher>(control_file, control, [](const std::string& why) {
      std::fprintf(stderr, "[iql] control file: ignored %s\n", why.c_str());
    });
  auto out = run_population(members_in, opt, control, cb);
  watcher.reset();
  g_population_control = nullptr;
  if (tty) std::fprintf(stderr, "\n");

  if (out.nothing_to_train && !json) {
    std::printf("population %s is already at step %lld of %lld: nothing to train\n", out.population_id.c_str(),
                static_cast<long long>(out.steps), static_cast<long long>(out.steps));
    return 0;
  }
  if (json) {
    nlohmann::json j{{"nothing_to_train", out.nothing_to_train}, {"population_id", out.population_id}, {"status", out.status},  {"steps", out.steps},
                     {"steps_per_s", out.steps_per_s},     {"member_steps_per_s", out.steps_per_s * out.members.size()},
                     {"db", out.db_path},                  {"members", nlohmann::json::array()}};
    for (size_t k = 0; k < out.members.size(); ++k) {
      const auto& r = out.members[k];
      nlohmann::json m{{"member", k}, {"run_id", r.run_id}, {"checkpoint", r.checkpoint_path}};
      if (k < members.size()) {
        m["expectile"] = members[k].expectile;
        m["temperature"] = members[k].temperature;
        m["seed"] = members[k].seed;
      }
      if (r.final_evaluation) {
        m["return_mean"] = r.final_evaluation->return_mean;
        if (r.final_evaluation->normalized_score) m["normalized_score"] = *r.final_evaluation->normalized_score;
      }
      j["members"].push_back(m);
    }
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("population %s %s after %lld steps (%.0f steps/s, %.0f member-steps/s)\n", out.population_id.c_str(),
              out.status.c_str(), static_cast<long long>(out.steps), out.steps_per_s,
              out.steps_per_s * out.members.size());
  std::printf("%-6s %-6s %-32s %12s %8s\n", "member", "run", "configuration", "return", "score");
  for (size_t k = 0; k < out.members.size(); ++k) {
    const auto& r = out.members[k];
    std::printf("%-6zu %-6lld %-32s", k, static_cast<long long>(r.run_id),
                k < members.size() ? varied_text(members, k).c_str() : "");
    if (r.final_evaluation) {
      std::printf(" %12.1f", r.final_evaluation->return_mean);
      if (r.final_evaluation->normalized_score) std::printf(" %8.1f", *r.final_evaluation->normalized_score);
    }
    std::printf("\n");
  }
  std::printf("stored in: %s (population %s)\n", out.db_path.c_str(), out.population_id.c_str());
  return 0;
}

}  // namespace iql::cli
