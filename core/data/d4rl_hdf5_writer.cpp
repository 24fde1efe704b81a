#include "core/data/d4rl_hdf5_writer.h"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/data/crash_isolation.h"
#include "core/data/hdf5_handle.h"
#include "core/util/atomic_file.h"
#include "core/util/errors.h"
#include "core/util/storage_error.h"

namespace iql {
using h5::H5Id;
using h5::shape_str;
namespace {

// Writes one (rows,) or (rows, width) array, chunked (~256 KiB chunks) and gzip-4 compressed.
void write_array(hid_t file, const std::string& path, const char* key, hid_t file_type, hid_t mem_type,
                 const void* data, hsize_t rows, hsize_t width, bool two_d, size_t elem_size) {
  const hsize_t dims[2] = {rows, width};
  const int rank = two_d ? 2 : 1;
  H5Id space(H5Screate_simple(rank, dims, nullptr), H5Sclose);
  H5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  const hsize_t chunk_rows = std::max<hsize_t>(1, std::min<hsize_t>(rows, (256 * 1024) / (width * elem_size)));
  const hsize_t chunk[2] = {chunk_rows, width};
  if (rows > 0) {
    H5Pset_chunk(dcpl, rank, chunk);
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) H5Pset_deflate(dcpl, 4);
  }
  H5Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl, 1);  // "infos/qpos" creates the infos group
  H5Id ds(H5Dcreate2(file, key, file_type, space, lcpl, dcpl, H5P_DEFAULT), H5Dclose);
  if (!ds.ok() || (rows > 0 && H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0))
    throw DataError(path, key, "cannot write dataset");
}

void write_string(hid_t file, const std::string& path, const std::string& key, const std::string& value) {
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl, 1);  // keys like "policy/name" become nested groups
  const std::string name = "metadata/" + key;
  H5Id ds(H5Dcreate2(file, name.c_str(), type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  const char* s = value.c_str();
  if (!ds.ok() || H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s) < 0)
    throw DataError(path, name, "cannot write metadata string");
}

// The whole file built in memory (HDF5's core driver, no backing store): HDF5 never touches the
// disk, so a full disk cannot leave it holding a half-closed file (its exit handler then crashed the
// process); the bytes go to disk through write_file_atomically, which reports the errno.
std::string file_image(const Dataset& d, const std::string& path, const std::vector<ExtraArray>& extras) {
  H5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!fapl.ok() || H5Pset_fapl_core(fapl, 1 << 20, 0) < 0)
    throw DataError(path, "", "cannot set up an in-memory HDF5 file (HDF5: " + h5::last_error() + ")");
  const std::string name = unique_temp_path(path);  // in memory only: no two writers share a name
  H5Id file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose);
  if (!file.ok()) throw DataError(path, "", "cannot create an in-memory HDF5 file (HDF5: " + h5::last_error() + ")");
  const hsize_t n = d.size();
  const auto F = H5T_IEEE_F32LE, MF = H5T_NATIVE_FLOAT, U8 = H5T_STD_U8LE, MU8 = H5T_NATIVE_UINT8;
  write_array(file, path, "observations", F, MF, d.observations.data(), n, d.obs_dim, true, 4);
  write_array(file, path, "actions", F, MF, d.actions.data(), n, d.act_dim, true, 4);
  write_array(file, path, "rewards", F, MF, d.rewards.data(), n, 1, false, 4);
  write_array(file, path, "next_observations", F, MF, d.next_observations.data(), n, d.obs_dim, true, 4);
  write_array(file, path, "terminals", U8, MU8, d.terminals.data(), n, 1, false, 1);
  write_array(file, path, "timeouts", U8, MU8, d.timeouts.data(), n, 1, false, 1);
  for (const ExtraArray& e : extras)
    write_array(file, path, e.key.c_str(), F, MF, e.values.data(), n, e.width, true, 4);
  if (!d.metadata.empty()) {
    H5Id group(H5Gcreate2(file, "metadata", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    if (!group.ok()) throw DataError(path, "metadata", "cannot create group");
  }
  for (const auto& [key, value] : d.metadata) write_string(file, path, key, value);
  if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) throw DataError(path, "", "cannot finish the HDF5 file");
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  std::string image(size > 0 ? size_t(size) : 0, '\0');
  if (size <= 0 || H5Fget_file_image(file, image.data(), image.size()) != size || file.close() < 0)
    throw DataError(path, "", "cannot finish the HDF5 file (HDF5: " + h5::last_error() + ")");
  return image;
}

}  // namespace

void write_d4rl_hdf5(const Dataset& d, const std::string& path) { write_d4rl_hdf5(d, path, {}); }

void write_d4rl_hdf5(const Dataset& d, const std::string& path, const std::vector<ExtraArray>& extras) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // failures become DataError, never printed stacks
  d.validate();  // refuse to write inconsistent or non-finite data
  for (const ExtraArray& e : extras)
    if (e.width <= 0 || e.values.size() != static_cast<size_t>(d.size()) * e.width)
      throw DataError(path, e.key, "has " + std::to_string(e.values.size()) + " values, expected (" +
                                       std::to_string(d.size()) + ", " + std::to_string(e.width) + ")");
  // Writing into a missing folder is a mistake in the path, not something to create.
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
    throw DataError(path, "", "cannot write: its folder " + folder.string() + " does not exist");
  std::string image;
  {
    std::lock_guard<std::mutex> lock(hdf5_mutex());  // see crash_isolation.h
    image = file_image(d, path, extras);
  }
  // private temporary file, fsync, rename: concurrent writers never collide, readers never see half
  write_file_atomically(path, image, "dataset file");
}

}  // namespace iql
