#include "core/runtime/blas_library.h"

#include <fstream>

namespace iql::runtime {

std::string blas_library_name(const std::string& path) {
  auto has = [&](const char* s) { return path.find(s) != std::string::npos; };
  if (has("openblas-openmp")) return "openblas-openmp";
  if (has("openblas-pthread")) return "openblas-pthread";
  if (has("openblas")) return "openblas";
  if (has("blis")) return "blis";
  if (has("atlas")) return "atlas";
  if (has("mkl")) return "mkl";
  if (!path.empty()) return "reference (slow: install libopenblas0-openmp)";
  return "unknown";
}

BlasLibrary loaded_blas_library() {
  BlasLibrary b;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    auto pos = line.find('/');
    if (pos == std::string::npos) continue;
    std::string path = line.substr(pos);
    if (path.find("libblas") != std::string::npos || path.find("libopenblas") != std::string::npos) {
      b.path = path;
      break;
    }
  }
  b.name = blas_library_name(b.path);
  return b;
}

}  // namespace iql::runtime
