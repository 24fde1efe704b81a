#include "app/cli/run_reporter.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/device/device_choice.h"
#include <optional>

#include "core/train/control_file.h"
#include "core/config/train_settings.h"

namespace iql::cli {

namespace {
RunControl* g_control = nullptr;
void on_signal(int) {
  if (g_control) g_control->request_stop();  // the loop stops at the next step and stores 'stopped'
}

std::string clock_text(double s) {
  char buf[32];
  const long t = static_cast<long>(s);
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

std::string format_return(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", r);
  return buf;
}

// What the progress callbacks print, and what the outcome printer needs from them.
struct Reporter {
  bool tty = isatty(fileno(stderr));
  bool population = false;
  std::vector<TrainConfig> members;
  StepMetrics last_metrics;                  // member 0's
  std::optional<double> last_online_return;  // none until the first online episode ends
  std::chrono::steady_clock::time_point last_line = std::chrono::steady_clock::now() - std::chrono::hours(1);
  std::chrono::steady_clock::time_point last_online_line = last_line;
  const char* cr() const { return tty ? "\r\033[K" : ""; }

  // Progress lines: every update on a terminal, every 5 s (and the last) in a log.
  bool line_due(std::chrono::steady_clock::time_point& last, bool last_step) {
    auto now = std::chrono::steady_clock::now();
    if (!tty && now - last < std::chrono::seconds(5) && !last_step) return false;
    last = now;
    return true;
  }

  void started(const std::string& pid, const std::vector<int64_t>& ids, const std::vector<TrainConfig>& ms) {
    members = ms;
    const TrainConfig& c = ms[0];
    if (!population) {
      std::fprintf(stderr, "[iql] run %lld: %s on %s, env %s, tau %.3g, beta %.3g, %lld steps, seed %llu\n",
                   static_cast<long long>(ids[0]), c.algorithm.c_str(), c.dataset.c_str(), c.env.c_str(), c.expectile,
                   c.temperature, static_cast<long long>(c.steps), static_cast<unsigned long long>(c.seed));
      return;
    }
    std::fprintf(stderr, "[iql] population %s: %zu members of %s on %s, env %s, %lld steps, one batched model\n",
                 pid.c_str(), ms.size(), c.algorithm.c_str(), c.dataset.c_str(), c.env.c_str(),
                 static_cast<long long>(c.steps));
    for (size_t k = 0; k < ms.size(); ++k)
      std::fprintf(stderr, "[iql]   member %zu: run %lld  %s\n", k, static_cast<long long>(ids[k]),
                   member_label(ms, k).c_str());
  }

  void evaluation(int64_t k, const EvalResult& e) {
    if (!population) {
      std::fprintf(stderr, "%s[iql] eval at step %lld: return %.1f +- %.1f", cr(), static_cast<long long>(e.step),
                   e.return_mean, e.return_std);
      if (e.normalized_score) std::fprintf(stderr, ", normalised score %.1f", *e.normalized_score);
      std::fprintf(stderr, " (%.2f s)\n", e.seconds);
      return;
    }
    if (k == 0) std::fprintf(stderr, "%s[iql] eval at step %lld:", cr(), static_cast<long long>(e.step));
    std::fprintf(stderr, " %.1f", e.normalized_score ? *e.normalized_score : e.return_mean);
    if (k + 1 == static_cast<int64_t>(members.size()))
      std::fprintf(stderr, " (%s, members in order)\n", e.normalized_score ? "normalised scores" : "returns");
  }

  void event(int64_t k, const RunEvent& ev) {
    if (population) {
      if (ev.kind == "hyperparameter" || k == 0)
        std::fprintf(stderr, "%s[iql] member %lld: %s at step %lld\n", cr(), static_cast<long long>(k),
                     ev.kind.c_str(), static_cast<long long>(ev.step));
      return;
    }
    if (!ev.detail.empty()) {  // load-time facts: physics evidence, clipped actions
      const char* what = ev.kind == "actions_clipped" ? "warning: dataset actions" : "physics auto";
      std::fprintf(stderr, "%s[iql] %s: %s%s", cr(), what, ev.detail.c_str(), ev.detail.back() == '\n' ? "" : "\n");
      return;
    }
    std::fprintf(stderr, "%s[iql] %s at step %lld\n", cr(), ev.kind.c_str(), static_cast<long long>(ev.step));
  }

  void progress(int64_t step, int64_t total, double sps) {
    if (!line_due(last_line, step == total)) return;
    const double eta = sps > 0 ? (total - step) / sps : 0.0;
    if (population)
      std::fprintf(stderr, "%s[iql] step %lld/%lld %3.0f%% | %.0f steps/s x %zu members = %.0f member-steps/s | ETA %.0f s%s",
                   cr(), static_cast<long long>(step), static_cast<long long>(total), 100.0 * step / total, sps,
                   members.size(), sps * members.size(), eta, tty ? "" : "\n");
    else
      std::fprintf(stderr, "%s[iql] step %lld/%lld %3.0f%% | %.0f steps/s | ETA %s | v_loss %.4g q_loss %.4g actor_loss %.4g%s",
                   cr(), static_cast<long long>(step), static_cast<long long>(total), 100.0 * step / total, sps,
                   clock_text(eta).c_str(), last_metrics.value("v_loss"), last_metrics.value("q_loss"),
                   last_metrics.value("actor_loss"), tty ? "" : "\n");
  }

  void online_episode(const OnlineStepInfo& info) {
    last_online_return = info.episode_return;
    if (!tty) return;
    std::fprintf(stderr, "\r\033[K[iql] online episode done at env step %lld: return %.1f (%lld steps)\n",
                 static_cast<long long>(info.env_steps), info.episode_return, static_cast<long long>(info.episode_length));
  }

  void online_progress(int64_t env_steps, int64_t total, double sps) {
    if (!line_due(last_online_line, env_steps == total)) return;
    std::fprintf(stderr, "%s[iql] online phase: env step %lld/%lld %3.0f%% | %.0f env steps/s | ETA %s | last episode return %s%s",
                 cr(), static_cast<long long>(env_steps), static_cast<long long>(total), 100.0 * env_steps / total, sps,
                 clock_text(sps > 0 ? (total - env_steps) / sps : 0.0).c_str(),
                 last_online_return ? format_return(*last_online_return).c_str() : "none yet", tty ? "" : "\n");
  }

  StoredRunCallbacks callbacks() {
    StoredRunCallbacks cb;
    cb.on_started = [this](const std::string& pid, const std::vector<int64_t>& ids, const std::vector<TrainConfig>& ms) {
      started(pid, ids, ms);
    };
    cb.on_metrics = [this](int64_t k, const StepMetrics& m) {
      if (k == 0) last_metrics = m;
    };
    cb.on_evaluation = [this](int64_t k, const EvalResult& e) { evaluation(k, e); };
    cb.on_event = [this](int64_t k, const RunEvent& ev) { event(k, ev); };
    cb.on_progress = [this](int64_t step, int64_t total, double sps) { progress(step, total, sps); };
    cb.on_online_episode = [this](int64_t, const OnlineStepInfo& info) { online_episode(info); };
    cb.on_online_progress = [this](int64_t s, int64_t total, double sps) { online_progress(s, total, sps); };
    return cb;
  }
};

// The device facts as a JSON object ({} when nothing was trained).
nlohmann::json device_json(const StoredRunOutcome& out) {
  return out.device_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(out.device_json);
}

void print_run(const MemberOutcome& out, const nlohmann::json& device, bool json) {
  if (out.nothing_to_do) {
    if (json)
      std::printf("%s\n", nlohmann::json{{"run_id", out.run_id}, {"status", out.status}, {"steps", out.steps},
                                         {"nothing_to_do", true}, {"db", out.db_path}}.dump(2).c_str());
    else
      std::printf("run %lld is already finished at step %lld: nothing to do (pass --steps N above %lld to train on)\n",
                  static_cast<long long>(out.run_id), static_cast<long long>(out.steps),
                  static_cast<long long>(out.steps));
    return;
  }
  const auto& ev = out.final_evaluation;
  if (json) {
    nlohmann::json j{{"run_id", out.run_id}, {"status", out.status}, {"steps", out.steps},
                     {"steps_per_s", out.steps_per_s}, {"db", out.db_path}, {"checkpoint", out.checkpoint_path},
                     {"device", device}};
    if (ev) {
      j["return_mean"] = ev->return_mean;
      j["return_std"] = ev->return_std;
      if (ev->normalized_score) j["normalized_score"] = *ev->normalized_score;
    }
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("run %lld %s after %lld steps", static_cast<long long>(out.run_id), out.status.c_str(),
              static_cast<long long>(out.steps));
  // A fine-tuning run takes no offline steps here, so it has no offline rate to report.
  if (out.steps_per_s > 0) std::printf(" (%.0f offline steps/s)", out.steps_per_s);
  std::printf("\n");
  if (ev) {
    std::printf("evaluation return: %.1f +- %.1f over %zu episodes", ev->return_mean, ev->return_std, ev->returns.size());
    if (ev->normalized_score) std::printf(", normalised score %.1f", *ev->normalized_score);
    std::printf("\n");
  }
  if (!out.online_dataset_path.empty()) std::printf("online transitions: %s\n", out.online_dataset_path.c_str());
  std::printf("stored in: %s (run %lld)\ncheckpoint: %s\n", out.db_path.c_str(), static_cast<long long>(out.run_id),
              out.checkpoint_path.c_str());
}

void print_population(const StoredRunOutcome& out, const std::vector<TrainConfig>& members, bool json) {
  if (out.nothing_to_do && !json) {
    std::printf("population %s is already at step %lld of %lld: nothing to train\n", out.population_id.c_str(),
                static_cast<long long>(out.steps), static_cast<long long>(out.steps));
    return;
  }
  const double member_rate = out.steps_per_s * out.members.size();
  if (json) {
    nlohmann::json j{{"nothing_to_train", out.nothing_to_do}, {"population_id", out.population_id},
                     {"status", out.status},                  {"steps", out.steps},
                     {"steps_per_s", out.steps_per_s},        {"member_steps_per_s", member_rate},
                     {"db", out.db_path},                     {"device", device_json(out)},
                     {"members", nlohmann::json::array()}};
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
    return;
  }
  std::printf("population %s %s after %lld steps (%.0f steps/s, %.0f member-steps/s)\n", out.population_id.c_str(),
              out.status.c_str(), static_cast<long long>(out.steps), out.steps_per_s, member_rate);
  std::printf("%-6s %-6s %-32s %12s %8s\n", "member", "run", "configuration", "return", "score");
  for (size_t k = 0; k < out.members.size(); ++k) {
    const auto& r = out.members[k];
    std::printf("%-6zu %-6lld %-32s", k, static_cast<long long>(r.run_id),
                k < members.size() ? member_label(members, k).c_str() : "");
    if (r.final_evaluation) {
      std::printf(" %12.1f", r.final_evaluation->return_mean);
      if (r.final_evaluation->normalized_score) std::printf(" %8.1f", *r.final_evaluation->normalized_score);
    }
    std::printf("\n");
  }
  std::printf("stored in: %s (population %s)\n", out.db_path.c_str(), out.population_id.c_str());
}

}  // namespace

int train_and_report(const StoredRunRequest& rq, bool json, const std::string& control_file) {
  // A device that is not here is refused before anything is stored, saying why; else say where it runs.
  for (const auto& m : rq.members) {
    const std::string dev = device::resolve_device(m.device);
    if (&m == &rq.members.front() && !json)
      std::fprintf(stderr, "[iql] device: %s\n", device::device_facts_text(device::device_facts(dev)).c_str());
  }
  RunControl control;
  g_control = &control;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  Reporter rep;
  rep.population = rq.population || !rq.resume_population.empty();
  rep.members = rq.members;
  std::unique_ptr<ControlFileWatcher> watcher;
  if (!control_file.empty())
    watcher = std::make_unique<ControlFileWatcher>(control_file, control, [](const std::string& why) {
      std::fprintf(stderr, "[iql] control file: ignored %s\n", why.c_str());
    });
  const StoredRunOutcome out = run_stored(rq, control, rep.callbacks());
  watcher.reset();
  g_control = nullptr;
  if (rep.tty) std::fprintf(stderr, "\n");
  if (rep.population) {
    print_population(out, rep.members, json);
  } else {
    print_run(out.members.at(0), device_json(out), json);
  }
  return 0;
}

}  // namespace iql::cli
