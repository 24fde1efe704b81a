#include "core/bench/update_bench.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "core/algo/iql.h"
#include "core/train/agent_settings.h"
#include "core/runtime_torch/runtime_info.h"

namespace iql {

namespace {
using Clock = std::chrono::steady_clock;

// The (m, k, n) products of one IQL update, derived from the networks' layer shapes:
// forward  [M, in] x [in, out];  backward dW [in, M] x [M, out], dX [M, out] x [out, in] (not layer 0).
std::vector<std::array<int64_t, 3>> update_gemms(int64_t o, int64_t a, int64_t h, int64_t b) {
  std::vector<std::array<int64_t, 3>> g;
  auto fwd = [&](std::vector<int64_t> dims, int64_t m, int members) {
    for (int e = 0; e < members; ++e)
      for (size_t l = 0; l + 1 < dims.size(); ++l) g.push_back({m, dims[l], dims[l + 1]});
  };
  auto bwd = [&](std::vector<int64_t> dims, int64_t m, int members) {
    for (int e = 0; e < members; ++e)
      for (size_t l = 0; l + 1 < dims.size(); ++l) {
        g.push_back({dims[l], m, dims[l + 1]});
        if (l > 0) g.push_back({m, dims[l + 1], dims[l]});
      }
  };
  std::vector<int64_t> critic{o + a, h, h, 1}, value{o, h, h, 1}, actor{o, h, h, a};
  fwd(critic, b, 2);                       // target critics
  fwd(value, b, 1); bwd(value, b, 1);      // V step
  fwd(value, 2 * b, 1);                    // V_new(s), V_new(s')
  fwd(actor, b, 1); bwd(actor, b, 1);      // actor step
  fwd(critic, b, 2); bwd(critic, b, 2);    // Q step
  return g;
}

// Large square sgemms over all threads: one product split by the BLAS, then one single-threaded
// product per thread inside a parallel region (the BLAS runs single-threaded there).
std::pair<double, double> gemm_peak() {
  const int64_t n = 1024, reps = 8;
  const int threads = at::get_num_threads();
  const double flop = 2.0 * n * n * n;
  std::vector<torch::Tensor> a, b, c;
  for (int t = 0; t < threads; ++t) {
    a.push_back(torch::randn({n, n}));
    b.push_back(torch::randn({n, n}));
    c.push_back(torch::empty({n, n}));
  }
  auto time_it = [&](auto&& body) {
    body();  // warm-up
    auto t0 = Clock::now();
    for (int64_t i = 0; i < reps; ++i) body();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  const double team_s = time_it([&] { at::mm_out(c[0], a[0], b[0]); });
  const double each_s = time_it([&] {
    at::parallel_for(0, threads, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t t = lo; t < hi; ++t) at::mm_out(c[t], a[t], b[t]);
    });
  });
  return {reps * flop / team_s / 1e9, reps * flop * threads / each_s / 1e9};
}
}  // namespace

// P members with different tau, beta and seeds as one batched model; then the same P x GEMM list with
// members spread over the intra-op threads (one single-threaded GEMM chain each), as the model runs them.
void bench_population(const UpdateBenchOptions& o, const std::vector<std::array<int64_t, 3>>& shapes,
                      UpdateBenchResult& r) {
  const int64_t P = o.population;
  std::vector<TrainConfig> members;
  std::vector<at::Generator> gens;
  for (int64_t k = 0; k < P; ++k) {
    TrainConfig c;
    c.algorithm = o.algorithm;
    c.hidden = o.hidden;
    c.steps = o.steps * 10;
    c.expectile = 0.5 + 0.4 * static_cast<double>(k % 3) / 2.0;
    c.temperature = 1.0 + static_cast<double>(k % 5);
    c.seed = static_cast<uint64_t>(k);
    members.push_back(c);
    gens.push_back(at::make_generator<at::CPUGeneratorImpl>(c.seed));
  }
  algo::Iql agent(o.obs_dim, o.act_dim, agent_hyperparameters(members), &gens);
  const int64_t pool = 16;
  std::vector<algo::Batch> batches;
  for (int64_t i = 0; i < pool; ++i)
    batches.push_back({torch::randn({P, o.batch, o.obs_dim}), torch::rand({P, o.batch, o.act_dim}) * 2 - 1,
                       torch::randn({P, o.batch}), torch::randn({P, o.batch, o.obs_dim}),
                       (torch::rand({P, o.batch}) < 0.01).to(torch::kFloat)});
  for (int i = 0; i < 20; ++i) agent.update_members(batches[i % pool], i % 10 == 0);
  const int64_t steps = std::max<int64_t>(20, o.steps / P);
  auto t0 = Clock::now();
  for (int64_t i = 0; i < steps; ++i) agent.update_members(batches[i % pool], i % 100 == 0);
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  r.population_steps_per_s = steps / s;
  r.member_steps_per_s = r.population_steps_per_s * P;

  std::vector<std::vector<std::pair<torch::Tensor, torch::Tensor>>> ops(P);
  std::vector<std::vector<torch::Tensor>> outs(P);
  for (int64_t k = 0; k < P; ++k)
    for (auto& sh : shapes) {
      ops[k].emplace_back(torch::randn({sh[0], sh[1]}), torch::randn({sh[1], sh[2]}));
      outs[k].push_back(torch::empty({sh[0], sh[2]}));
    }
  auto gemm_step = [&] {
    at::parallel_for(0, P, 1, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k)
        for (size_t j = 0; j < shapes.size(); ++j) at::mm_out(outs[k][j], ops[k][j].first, ops[k][j].second);
    });
  };
  for (int i = 0; i < 10; ++i) gemm_step();
  const int64_t iters = std::max<int64_t>(50, o.steps / P / 2);
  t0 = Clock::now();
  for (int64_t i = 0; i < iters; ++i) gemm_step();
  const double gs = std::chrono::duration<double>(Clock::now() - t0).count();
  r.population_gemm_member_steps_per_s = iters * P / gs;
  r.population_speedup = r.member_steps_per_s / r.steps_per_s;
  r.population_gemm_fraction = r.member_steps_per_s / r.population_gemm_member_steps_per_s;
}

UpdateBenchResult bench_update(const UpdateBenchOptions& o) {
  set_threads(o.threads);
  torch::manual_seed(0);
  UpdateBenchResult r;
  r.options = o;
  r.runtime = runtime_info_text();

  TrainConfig cfg;
  cfg.algorithm = o.algorithm;
  cfg.hidden = o.hidden;
  cfg.steps = o.steps * 10;
  algo::Iql agent(o.obs_dim, o.act_dim, agent_hyperparameters(cfg));
  const int64_t pool = 64;  // pre-made batches so data movement is not what we time
  std::vector<algo::Batch> batches;
  for (int64_t i = 0; i < pool; ++i) {
    batches.push_back({torch::randn({o.batch, o.obs_dim}), torch::rand({o.batch, o.act_dim}) * 2 - 1,
                       torch::randn({o.batch}), torch::randn({o.batch, o.obs_dim}),
                       (torch::rand({o.batch}) < 0.01).to(torch::kFloat)});
  }
  for (int i = 0; i < 50; ++i) agent.update(batches[i % pool], i % 10 == 0);  // warm-up
  auto t0 = Clock::now();
  for (int64_t i = 0; i < o.steps; ++i) agent.update(batches[i % pool], i % 100 == 0);  // metrics at log cadence
  const double full_s = std::chrono::duration<double>(Clock::now() - t0).count();
  r.steps_per_s = o.steps / full_s;

  auto shapes = update_gemms(o.obs_dim, o.act_dim, o.hidden, o.batch);
  std::vector<std::pair<torch::Tensor, torch::Tensor>> operands;
  std::vector<torch::Tensor> outs;
  int64_t flops = 0;
  for (auto& s : shapes) {
    operands.emplace_back(torch::randn({s[0], s[1]}), torch::randn({s[1], s[2]}));
    outs.push_back(torch::empty({s[0], s[2]}));
    flops += 2 * s[0] * s[1] * s[2];
  }
  r.gemm_flops_per_step = flops;
  auto gemm_step = [&] {
    for (size_t k = 0; k < shapes.size(); ++k) at::mm_out(outs[k], operands[k].first, operands[k].second);
  };
  for (int i = 0; i < 50; ++i) gemm_step();
  const int64_t gemm_iters = std::max<int64_t>(200, o.steps / 2);
  t0 = Clock::now();
  for (int64_t i = 0; i < gemm_iters; ++i) gemm_step();
  const double gemm_s = std::chrono::duration<double>(Clock::now() - t0).count();
  r.gemm_steps_per_s = gemm_iters / gemm_s;
  r.gemm_fraction = r.steps_per_s / r.gemm_steps_per_s;
  r.gflops = flops * r.steps_per_s / 1e9;
  if (o.population > 0) bench_population(o, shapes, r);
  std::tie(r.peak_team_gflops, r.peak_per_thread_gflops) = gemm_peak();
  r.ceiling_member_steps_per_s = std::max(r.peak_team_gflops, r.peak_per_thread_gflops) * 1e9 / flops;
  r.ceiling_speedup = r.ceiling_member_steps_per_s / r.steps_per_s;
  return r;
}

std::string UpdateBenchResult::to_json() const {
  nlohmann::json j{{"obs", options.obs_dim},        {"act", options.act_dim},
                   {"batch", options.batch},        {"hidden", options.hidden},
                   {"threads", options.threads},    {"steps", options.steps},
                   {"algorithm", options.algorithm}, {"runtime", runtime},
                   {"steps_per_s", steps_per_s},    {"gemm_steps_per_s", gemm_steps_per_s},
                   {"ratio_full_to_gemm", gemm_fraction}, {"gemm_gflop_per_step", gemm_flops_per_step / 1e9},
                   {"achieved_gflops", gflops},
                   {"peak_gflops_one_product", peak_team_gflops},
                   {"peak_gflops_product_per_thread", peak_per_thread_gflops},
                   {"ceiling_member_steps_per_s", ceiling_member_steps_per_s},
                   {"ceiling_speedup_vs_single", ceiling_speedup}};
  if (options.population > 0) {
    j["population"] = options.population;
    j["population_steps_per_s"] = population_steps_per_s;
    j["member_steps_per_s"] = member_steps_per_s;
    j["population_gemm_member_steps_per_s"] = population_gemm_member_steps_per_s;
    j["population_speedup_vs_single"] = population_speedup;
    j["population_ratio_full_to_gemm"] = population_gemm_fraction;
  }
  return j.dump(2);
}

std::string UpdateBenchResult::to_text() const {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(1);
  os << "runtime:        " << runtime << "\n"
     << "shape:          obs " << options.obs_dim << ", act " << options.act_dim << ", batch " << options.batch
     << ", hidden " << options.hidden << ", " << options.algorithm << "\n"
     << "full update:    " << steps_per_s << " steps/s (" << gflops << " GFLOP/s in its GEMMs)\n"
     << "GEMMs alone:    " << gemm_steps_per_s << " steps/s (" << gemm_flops_per_step / 1e6 << " MFLOP per step)\n";
  os.precision(2);
  os << "full / GEMM:    " << gemm_fraction << "\n";
  if (options.population > 0) {
    os.precision(1);
    os << "population:     " << options.population << " members, " << population_steps_per_s << " steps/s = "
       << member_steps_per_s << " member-steps/s\n"
       << "  GEMMs alone:  " << population_gemm_member_steps_per_s << " member-steps/s (members over the threads)\n";
    os.precision(2);
    os << "  full / GEMM:  " << population_gemm_fraction << "\n"
       << "  vs single:    " << population_speedup << "x the single configuration's steps/s (same run)\n";
  }
  os.precision(1);
  os << "CPU sgemm peak: " << peak_team_gflops << " GFLOP/s (1024^3, one product over " << options.threads
     << " threads), " << peak_per_thread_gflops << " (one product per thread)\n"
     << "ceiling:        " << ceiling_member_steps_per_s << " member-steps/s at that peak = ";
  os.precision(2);
  os << ceiling_speedup << "x the single configuration: no population can exceed this on this CPU\n";
  return os.str();
}

}  // namespace iql
