// Which OpenBLAS kernel set ("core") this process should run with. Debian 12's OpenBLAS 0.3.21 does
// not know CPUs newer than it and silently falls back to old SSE3 kernels (4x slower GEMMs); its
// OPENBLAS_CORETYPE variable overrides the choice, but is read only when the library loads. The
// decision is a pure function of what the CPU offers and what OpenBLAS reports, so it can be tested.
#pragma once
#include <optional>
#include <string>

namespace iql::runtime {

struct CpuFeatures {
  bool avx512f = false;
  bool avx2 = false;
  bool fma = false;
};

struct BlasCoreInput {
  bool is_openblas = false;            // openblas_get_corename found in the loaded BLAS
  std::string reported_core;           // openblas_get_corename(), e.g. "Prescott", "Haswell"
  std::string config;                  // openblas_get_config(), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
  CpuFeatures cpu;
  std::optional<std::string> user_coretype;  // OPENBLAS_CORETYPE as set by the user (never overridden)
};

struct BlasCoreDecision {
  std::string set_coretype;  // value for OPENBLAS_CORETYPE, empty: leave the library as it is
  std::string reason;        // one line for doctor / logs
};

// Kernel tier of an OpenBLAS core name: 3 AVX-512, 2 AVX2+FMA, 1 AVX, 0 older or unknown.
int blas_core_tier(const std::string& core);
// The best core this CPU can run: "SkylakeX" (AVX-512F), "Haswell" (AVX2+FMA), or "" (leave it).
std::string best_core_for(const CpuFeatures& cpu);
BlasCoreDecision decide_blas_core(const BlasCoreInput& in);

// This machine's features (cpuid via the compiler's builtins, which also check OS support).
CpuFeatures detect_cpu_features();

}  // namespace iql::runtime
