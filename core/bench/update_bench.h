// `iql bench update`: times the full IQL update step, and the same step's matrix multiplications
// alone (the GEMM bound), on synthetic data of the given shape; with a population, also P members as one
// batched model and their GEMMs alone, so the aggregate rate is compared within one run.
#pragma once
#include <cstdint>
#include <string>

namespace iql {

struct UpdateBenchOptions {
  int obs_dim = 17;
  int act_dim = 6;
  int batch = 256;
  int hidden = 256;
  int threads = 2;
  int64_t steps = 2000;  // timed steps (after warm-up)
  std::string algorithm = "iql";
  int population = 0;  // > 0: also time a population of this many members, side by side
};

struct UpdateBenchResult {
  UpdateBenchOptions options;
  std::string runtime;          // torch/BLAS/threads line
  double steps_per_s = 0;       // full update
  double gemm_steps_per_s = 0;  // GEMMs of one update alone
  double gemm_fraction = 0;     // time in GEMMs / time of the full update
  double gflops = 0;            // GEMM FLOPs per second achieved inside the full update
  int64_t gemm_flops_per_step = 0;
  // Population (when options.population > 0), timed in the same run as the single configuration.
  double population_steps_per_s = 0;         // population steps (every member stepped once)
  double member_steps_per_s = 0;             // population_steps_per_s x P
  double population_gemm_member_steps_per_s = 0;  // the P members' GEMMs alone, spread over the threads
  double population_speedup = 0;             // member_steps_per_s / steps_per_s
  double population_gemm_fraction = 0;       // member_steps_per_s / population_gemm_member_steps_per_s
  // The CPU's own sgemm rate on large square products, all threads busy: one product split over the
  // threads, and one single-threaded product per thread at once (how population members run). No
  // update can beat its GEMM FLOPs at the better of the two, so this caps any population speed-up.
  double peak_team_gflops = 0;
  double peak_per_thread_gflops = 0;
  double ceiling_member_steps_per_s = 0;  // max(peaks) / GEMM FLOPs per member-step
  double ceiling_speedup = 0;             // ceiling_member_steps_per_s / steps_per_s
  std::string to_json() const;
  std::string to_text() const;
};

UpdateBenchResult bench_update(const UpdateBenchOptions& o);

}  // namespace iql
