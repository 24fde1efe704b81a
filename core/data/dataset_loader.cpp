#include "core/data/dataset_loader.h"

#include <hdf5.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "core/data/crash_isolation.h"
#include "core/data/d4rl_hdf5_reader.h"
#include "core/data/minari_reader.h"
#include "core/data/npz_reader.h"
#include "core/util/errors.h"

namespace iql {
namespace {

herr_t find_episode(hid_t, const char* name, const H5L_info_t*, void*) {
  return std::strncmp(name, "episode_", 8) == 0 ? 1 : 0;  // 1 stops the iteration: found
}

// True for a Minari main_data.hdf5: episode groups at the root and no D4RL 'observations'.
bool is_minari_hdf5(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return false;  // let the D4RL reader report the corrupt file
  const bool d4rl = H5Lexists(f, "observations", H5P_DEFAULT) > 0;
  const bool episodes = !d4rl && H5Literate(f, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, find_episode, nullptr) > 0;
  H5Fclose(f);
  return episodes;
}

}  // namespace

const char* format_name(DatasetFormat f) {
  switch (f) {
    case DatasetFormat::D4rlHdf5: return "D4RL HDF5";
    case DatasetFormat::Minari: return "Minari";
    case DatasetFormat::Npz: return "NPZ rollouts";
  }
  return "?";
}

DatasetFormat detect_format(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw DataError(path, "", "does not exist");
  if (S_ISDIR(st.st_mode)) return DatasetFormat::Minari;
  unsigned char head[8] = {0};
  std::ifstream f(path, std::ios::binary);
  if (!f) throw DataError(path, "", "cannot open file");
  f.read(reinterpret_cast<char*>(head), 8);
  const std::streamsize got = f.gcount();
  if (got == 8 && std::memcmp(head, "\x89HDF\r\n\x1a\n", 8) == 0)
    return is_minari_hdf5(path) ? DatasetFormat::Minari : DatasetFormat::D4rlHdf5;
  if (got >= 4 && (std::memcmp(head, "PK\x03\x04", 4) == 0 || std::memcmp(head, "PK\x05\x06", 4) == 0))
    return DatasetFormat::Npz;
  char hex[32] = "";
  for (std::streamsize i = 0; i < std::min<std::streamsize>(got, 4); ++i) std::snprintf(hex + 3 * i, 4, "%02x ", head[i]);
  throw DataError(path, "", std::string("unrecognised dataset format (first bytes: ") + (got ? hex : "empty file ") +
                                "), expected a D4RL HDF5 file, a Minari dataset directory or an .npz rollout archive");
}

namespace {

Dataset read_unguarded(const std::string& path) {
  switch (detect_format(path)) {
    case DatasetFormat::D4rlHdf5: return read_d4rl_hdf5(path);
    case DatasetFormat::Minari: return read_minari(path);
    case DatasetFormat::Npz: return read_npz_rollouts(path);
  }
  throw DataError(path, "", "unknown dataset format");
}

// A directory (Minari) or an HDF5 signature: libhdf5 will parse it, and it can crash on corrupt files.
bool parsed_by_libhdf5(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;  // read_unguarded reports it
  if (S_ISDIR(st.st_mode)) return true;
  unsigned char head[8] = {0};
  std::ifstream f(path, std::ios::binary);
  f.read(reinterpret_cast<char*>(head), 8);
  return f.gcount() == 8 && std::memcmp(head, "\x89HDF\r\n\x1a\n", 8) == 0;
}

}  // namespace

Dataset read_dataset_file(const std::string& path) {
  // Our own parsers (NPZ, the size checks) are fuzzed clean; libhdf5 1.10.8 is not: let a child
  // process meet its crashes first (core/data/crash_isolation.h).
  if (parsed_by_libhdf5(path)) {
    // libhdf5 can also loop forever on a corrupt file (fuzz/known-libhdf5/d4rl-hang-*): a minute, plus
    // a second per 10 MB so that big healthy files always finish.
    std::error_code ec;
    const auto bytes = std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
    const int timeout_s = 60 + static_cast<int>((ec ? 0 : bytes) / 10'000'000) + (bytes == 0 ? 240 : 0);
    check_in_child(path, [&] { (void)read_unguarded(path); }, timeout_s);
  }
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  return read_unguarded(path);
}

}  // namespace iql
