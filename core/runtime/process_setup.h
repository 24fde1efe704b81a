// Process-wide numeric runtime set-up, done once at the top of main() before any BLAS call:
// - the OpenBLAS kernel core (see blas_core.h), and
// - how idle OpenMP threads wait: libgomp's default spins for ~ms after every parallel region, so two
//   2-thread trainings on 2 cores spin against each other to a crawl; a short spin, then sleep, lets
//   several processes share the cores;
// - SIGXFSZ ignored, so a write past a file-size limit fails with EFBIG (a StorageError naming the file)
//   instead of killing the process.
// Both are environment variables read when the libraries load, so correcting them means executing this
// program once more with them set (never when the user set them, never twice).
#pragma once
#include <string>

namespace iql::runtime {

struct BlasStatus {
  bool is_openblas = false;
  std::string core;            // kernel core in use (openblas_get_corename)
  std::string config;          // openblas_get_config
  bool corrected = false;      // this process was re-executed with OPENBLAS_CORETYPE set
  std::string corrected_from;  // the core OpenBLAS chose by itself before the correction
  bool user_set = false;       // OPENBLAS_CORETYPE came from the user
  std::string reason;          // why nothing was changed, or what was
  std::string omp_wait;        // "GOMP_SPINCOUNT=..." / "OMP_WAIT_POLICY=..." in force
};

// Call first in main(). May not return (re-executes argv with the corrected environment); if the
// re-execution fails the program goes on uncorrected and blas_status() says why.
void prepare_process(int argc, char** argv);
// What the loaded BLAS is and whether it was corrected (valid with or without prepare_process).
BlasStatus blas_status();
// One line: "OpenBLAS core SkylakeX (corrected from Zen)".
std::string blas_status_text();

}  // namespace iql::runtime
