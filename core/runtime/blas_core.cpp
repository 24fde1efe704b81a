#include "core/runtime/blas_core.h"

#include <algorithm>
#include <cctype>

namespace iql::runtime {

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
}  // namespace

int blas_core_tier(const std::string& core) {
  const std::string c = lower(core);
  if (c == "skylakex" || c == "cooperlake" || c == "sapphirerapids") return 3;
  if (c == "haswell" || c == "zen" || c == "skylake") return 2;
  if (c == "sandybridge" || c == "bulldozer" || c == "piledriver" || c == "steamroller" || c == "excavator")
    return 1;
  return 0;  // Prescott, Core2, Nehalem, Generic, ... and anything unknown
}

std::string best_core_for(const CpuFeatures& cpu) {
  if (cpu.avx512f) return "SkylakeX";
  if (cpu.avx2 && cpu.fma) return "Haswell";
  return "";
}

BlasCoreDecision decide_blas_core(const BlasCoreInput& in) {
  if (!in.is_openblas) return {"", "not OpenBLAS: nothing to correct"};
  if (in.user_coretype) return {"", "OPENBLAS_CORETYPE=" + *in.user_coretype + " set by the user: respected"};
  // Only a DYNAMIC_ARCH build chooses kernels at load time; a fixed build ignores the variable.
  if (!in.config.empty() && in.config.find("DYNAMIC_ARCH") == std::string::npos)
    return {"", "OpenBLAS built for one CPU (no DYNAMIC_ARCH): the core cannot be changed"};
  const std::string best = best_core_for(in.cpu);
  if (best.empty()) return {"", "CPU has neither AVX-512F nor AVX2+FMA: " + in.reported_core + " kept"};
  if (blas_core_tier(in.reported_core) >= blas_core_tier(best))
    return {"", in.reported_core + " already matches the CPU"};
  return {best, "OpenBLAS chose " + in.reported_core + " but the CPU supports " + best};
}

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
#endif
  return f;
}

}  // namespace iql::runtime
