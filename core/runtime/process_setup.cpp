#include "core/runtime/process_setup.h"

#include <dlfcn.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>

#include "core/runtime/blas_core.h"

namespace iql::runtime {

namespace {
// Spin this many iterations (about a microsecond) before sleeping: keeps one process's back-to-back
// small GEMMs as fast as spinning for milliseconds does, while two 2-thread processes on 2 cores keep
// 145 steps/s between them instead of 15-41 (packaging/bench-throughput.sh).
constexpr const char* kSpinCount = "1000";
constexpr const char* kMarker = "IQL_PROCESS_PREPARED";
constexpr const char* kCorrectedFrom = "IQL_BLAS_CORRECTED_FROM";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

BlasCoreInput probe_blas() {
  BlasCoreInput in;
  using NameFn = char* (*)();
  auto corename = reinterpret_cast<NameFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  auto config = reinterpret_cast<NameFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  in.is_openblas = corename != nullptr;
  if (corename) in.reported_core = corename();
  if (config) in.config = config();
  in.cpu = detect_cpu_features();
  // An empty value is no choice (OpenBLAS itself ignores it and detects the core).
  if (const char* u = std::getenv("OPENBLAS_CORETYPE"); u && *u && !std::getenv(kCorrectedFrom)) in.user_coretype = u;
  return in;
}
}  // namespace

void prepare_process(int argc, char** argv) {
  (void)argc;
  // Past a file-size limit (ulimit -f) a write then fails with EFBIG, reported as a StorageError
  // naming the file, instead of SIGXFSZ killing the process mid-run.
  std::signal(SIGXFSZ, SIG_IGN);
  if (std::getenv(kMarker)) return;  // already prepared (or re-executed once): never loop
  setenv(kMarker, "1", 1);
  bool reexec = false;
  const BlasCoreInput blas = probe_blas();
  const auto decision = decide_blas_core(blas);
  if (!decision.set_coretype.empty()) {
    setenv(kCorrectedFrom, blas.reported_core.c_str(), 1);
    setenv("OPENBLAS_CORETYPE", decision.set_coretype.c_str(), 1);
    reexec = true;
  }
  if (!std::getenv("OMP_WAIT_POLICY") && !std::getenv("GOMP_SPINCOUNT")) {
    setenv("GOMP_SPINCOUNT", kSpinCount, 1);
    reexec = true;
  }
  if (!reexec) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc?): carry on with what the libraries chose at load time.
  unsetenv(kCorrectedFrom);
}

BlasStatus blas_status() {
  BlasStatus s;
  auto in = probe_blas();
  s.is_openblas = in.is_openblas;
  s.core = in.reported_core;
  s.config = in.config;
  const std::string from = env(kCorrectedFrom);
  s.corrected = !from.empty() && in.is_openblas;
  s.corrected_from = from;
  s.user_set = in.user_coretype.has_value();
  if (s.corrected) s.reason = "OpenBLAS chose " + from + "; corrected to " + s.core + " for this CPU";
  else s.reason = decide_blas_core(in).reason;
  if (!env("OMP_WAIT_POLICY").empty()) s.omp_wait = "OMP_WAIT_POLICY=" + env("OMP_WAIT_POLICY");
  else if (!env("GOMP_SPINCOUNT").empty()) s.omp_wait = "GOMP_SPINCOUNT=" + env("GOMP_SPINCOUNT");
  else s.omp_wait = "libgomp default (spins ~ms: processes sharing cores slow each other)";
  return s;
}

std::string blas_status_text() {
  auto s = blas_status();
  if (!s.is_openblas) return "BLAS is not OpenBLAS (core unknown)";
  std::string t = "OpenBLAS core " + s.core;
  if (s.corrected) t += " (corrected from " + s.corrected_from + ")";
  else if (s.user_set) t += " (OPENBLAS_CORETYPE set by user)";
  else {
    auto d = decide_blas_core(probe_blas());
    if (!d.set_coretype.empty()) t += " (UNCORRECTED: CPU supports " + d.set_coretype + ")";
  }
  return t;
}

}  // namespace iql::runtime
