// `iql bench update`: times the full IQL update step, and the same step's matrix multiplications
// alone (the GEMM bound), on synthetic data of the given shape.
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
};

struct UpdateBenchResult {
  UpdateBenchOptions options;
  std::string runtime;          // torch/BLAS/threads line
  double steps_per_s = 0;       // full update
  double gemm_steps_per_s = 0;  // GEMMs of one update alone
  double gemm_fraction = 0;     // time in GEMMs / time of the full update
  double gflops = 0;            // GEMM FLOPs per second achieved inside the full update
  int64_t gemm_flops_per_step = 0;
  std::string to_json() const;
  std::string to_text() const;
};

UpdateBenchResult bench_update(const UpdateBenchOptions& o);

}  // namespace iql
