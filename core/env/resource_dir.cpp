#include "core/env/resource_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace iql {

namespace fs = std::filesystem;

std::string resolve_resource_dir(const char* env_value, const std::string& exe_path, const std::string& compiled_in) {
  if (env_value && *env_value) return env_value;
  if (!exe_path.empty()) {
    const fs::path installed = fs::path(exe_path).parent_path().parent_path() / "share" / "iql-workbench";
    std::error_code ec;
    if (fs::is_directory(installed / "mjcf", ec)) return installed.string();
  }
  return compiled_in;
}

std::string resource_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);  // resolved: a symlink to the binary still finds its prefix
  return resolve_resource_dir(std::getenv("IQL_RESOURCE_DIR"), ec ? std::string() : exe.string(), IQL_RESOURCE_DIR);
}

}  // namespace iql
