#include "core/data/minari_reader.h"

#include <hdf5.h>

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/data/hdf5_handle.h"
#include "core/data/hdf5_size_check.h"
#include "core/data/size_guard.h"
#include "core/util/atomic_file.h"
#include "core/util/errors.h"

namespace iql {
using h5::H5Id;
using h5::shape_str;
namespace {

namespace fs = std::filesystem;

// One array of an episode, read whole (episodes are small) as float or as 0/1 flags.
struct Arr {
  std::vector<hsize_t> dims;
  std::vector<float> values;
  size_t rows() const { return dims.empty() ? 0 : dims[0]; }
  size_t width() const {
    size_t w = 1;
    for (size_t i = 1; i < dims.size(); ++i) w *= dims[i];
    return w;
  }
};

// `held`: bytes this load already holds (the dataset so far, this episode's earlier arrays); the
// array must fit the memory budget on top of them, and adds its own values to it once read.
Arr read_arr(hid_t group, const std::string& file, const std::string& ep, const char* name, bool flags,
             uint64_t& held) {
  const std::string key = ep + "/" + name;
  if (H5Lexists(group, name, H5P_DEFAULT) <= 0) throw DataError(file, key, "missing dataset");
  H5Id obj(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
  if (obj.ok() && H5Iget_type(obj) == H5I_GROUP)
    throw DataError(file, key, "is a group (a Dict space), expected a Box array; Dict spaces are not supported");
  H5Id ds(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose);
  if (!ds.ok()) throw DataError(file, key, "cannot open dataset (corrupt file?)");
  H5Id space(H5Dget_space(ds), H5Sclose);
  H5Id ftype(H5Dget_type(ds), H5Tclose);
  const int rank = space.ok() ? H5Sget_simple_extent_ndims(space) : -1;
  if (rank < 0 || !ftype.ok()) throw DataError(file, key, "cannot read dataset header (corrupt file?)");
  Arr a;
  a.dims.resize(rank);
  H5Sget_simple_extent_dims(space, a.dims.data(), nullptr);
  const H5T_class_t cls = H5Tget_class(ftype);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT && cls != H5T_ENUM)
    throw DataError(file, key, "has a non-numeric dtype, expected float, integer or bool");
  // before anything is allocated: could the file hold it, would it fit (a double and a float each)?
  H5Id fid(H5Iget_file_id(group), H5Fclose);
  h5::check_storage(fid, ds, file, key, a.dims, sizeof(double) + sizeof(float), held);
  const size_t n = product_sat(std::vector<uint64_t>(a.dims.begin(), a.dims.end()));
  if (a.width() > INT_MAX) throw DataError(file, key, "has shape " + shape_str(a.dims) + ", too wide (corrupt file?)");
  try {
    a.values.resize(n);
  } catch (const std::exception&) {
    throw DataError(file, key, "has shape " + shape_str(a.dims) + ", too large to load (corrupt file?)");
  }
  herr_t rc = 0;
  if (cls == H5T_ENUM) {  // h5py bool: read the raw base integers (no enum->number conversion)
    H5Id native(H5Tget_native_type(ftype, H5T_DIR_ASCEND), H5Tclose);
    const size_t sz = native.ok() ? H5Tget_size(native) : 0;
    if (sz == 0 || sz > sizeof(uint64_t))  // h5py bools are 1-byte enums; the buffer is n * sz
      throw DataError(file, key, "is an enum of " + std::to_string(sz) + "-byte integers, expected a bool (1 byte)");
    std::vector<unsigned char> raw(n * sz);
    if (n) rc = H5Dread(ds, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
    for (size_t i = 0; i < n; ++i) {
      bool set = false;
      for (size_t k = 0; k < sz; ++k) set |= raw[i * sz + k] != 0;
      a.values[i] = set;
    }
  } else if (flags) {
    std::vector<double> v(n);
    if (n) rc = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    for (size_t i = 0; i < n; ++i) a.values[i] = v[i] != 0.0;
  } else {
    std::vector<double> v(n);  // double first, so float64 overflow is seen, not silently Inf
    if (n) rc = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    const size_t w = std::max<size_t>(1, n / std::max<size_t>(1, a.dims.empty() ? 1 : a.dims[0]));
    for (size_t i = 0; i < n && rc >= 0; ++i) {
      if (!std::isfinite(v[i]) || std::fabs(v[i]) > FLT_MAX)
        throw DataError(file, key, std::string(std::isnan(v[i]) ? "NaN" : std::isinf(v[i]) ? "Inf" : "float32 overflow") +
                                       " value at row " + std::to_string(i / w) + ", column " + std::to_string(i % w));
      a.values[i] = float(v[i]);
    }
  }
  if (rc < 0) throw DataError(file, key, "cannot read data (file truncated or corrupt)");
  held = add_sat(held, mul_sat(a.values.size(), sizeof(float)));
  return a;
}

uint64_t capacity_bytes(const Dataset& d) {
  return sizeof(float) * (d.observations.capacity() + d.next_observations.capacity() + d.actions.capacity() +
                          d.rewards.capacity()) +
         d.terminals.capacity() * sizeof(d.terminals[0]) + d.timeouts.capacity() * sizeof(d.timeouts[0]);
}

herr_t collect_episode(hid_t, const char* name, const H5L_info_t*, void* data) {
  unsigned long long id = 0;
  int used = 0;
  if (std::sscanf(name, "episode_%llu%n", &id, &used) == 1 && name[used] == '\0' && std::strlen(name) > 8)
    static_cast<std::vector<std::pair<unsigned long long, std::string>>*>(data)->emplace_back(id, name);
  return 0;
}

void read_metadata_json(const fs::path& json, Dataset* d) {
  std::ifstream f(json);
  if (!f) return;  // metadata.json is optional for reading
  nlohmann::json j;
  try {
    f >> j;
  } catch (const std::exception& e) {
    throw DataError(json.string(), "", std::string("is not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw DataError(json.string(), "", "expected a JSON object at the top level");
  for (auto it = j.begin(); it != j.end(); ++it)
    d->metadata[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

Dataset read_minari(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become DataError, never printed stacks
  std::error_code ec;
  const fs::path p(path);
  fs::path h5, json;
  if (fs::is_directory(p, ec)) {
    if (fs::is_regular_file(p / "data" / "main_data.hdf5", ec)) h5 = p / "data" / "main_data.hdf5";
    else if (fs::is_regular_file(p / "main_data.hdf5", ec)) h5 = p / "main_data.hdf5";
    else throw DataError(path, "", "has no data/main_data.hdf5, expected a Minari dataset directory");
    json = fs::is_regular_file(h5.parent_path() / "metadata.json", ec) ? h5.parent_path() / "metadata.json"
                                                                     : p / "metadata.json";
  } else if (fs::is_regular_file(p, ec)) {
    h5 = p;
    json = p.parent_path() / "metadata.json";
  } else {
    throw DataError(path, "", "does not exist");
  }
  const std::string file = h5.string();
  if (H5Fis_hdf5(file.c_str()) <= 0) throw DataError(file, "", "not an HDF5 file");
  H5Id f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.ok()) throw DataError(file, "", "cannot open HDF5 file (truncated or corrupt)");

  std::vector<std::pair<unsigned long long, std::string>> episodes;
  H5Literate(f, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, collect_episode, &episodes);
  if (episodes.empty()) throw DataError(file, "", "has no episode_* groups, expected a Minari main_data.hdf5");
  std::sort(episodes.begin(), episodes.end());  // numeric: episode_2 before episode_10

  Dataset d;
  d.source = path;
  uint64_t loaded = 0;  // bytes the Dataset holds so far
  for (const auto& episode : episodes) {
    const std::string& ep = episode.second;  // not a structured binding: lambdas below capture it (clang)
    H5Id g(H5Gopen2(f, ep.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.ok()) throw DataError(file, ep, "is not a group, expected an episode group");
    uint64_t held = capacity_bytes(d);  // what the dataset's vectors really hold (growth included)
    const Arr act = read_arr(g, file, ep, "actions", false, held);
    const size_t T = act.rows();
    const std::string Ts = std::to_string(T);
    auto want_col = [&](const Arr& a, const char* name) {
      if (!((a.dims.size() == 1 && a.dims[0] == T) || (a.dims.size() == 2 && a.dims[0] == T && a.dims[1] == 1)))
        throw DataError(file, ep + "/" + name, "has shape " + shape_str(a.dims) + ", expected (T,) = (" + Ts + ",) matching 'actions'");
    };
    const Arr obs = read_arr(g, file, ep, "observations", false, held);
    if (obs.dims.empty() || obs.dims[0] != T + 1)
      throw DataError(file, ep + "/observations", "has shape " + shape_str(obs.dims) + ", expected (T + 1, obs_dim) with T = " + Ts + " from 'actions'");
    const Arr rew = read_arr(g, file, ep, "rewards", false, held);
    want_col(rew, "rewards");
    const Arr term = read_arr(g, file, ep, "terminations", true, held);
    want_col(term, "terminations");
    const Arr trunc = read_arr(g, file, ep, "truncations", true, held);
    want_col(trunc, "truncations");
    if (T == 0) continue;  // a reset with no step adds no transition
    if (d.obs_dim == 0) {
      d.obs_dim = int(obs.width());
      d.act_dim = int(act.width());
    } else if (size_t(d.obs_dim) != obs.width() || size_t(d.act_dim) != act.width()) {
      throw DataError(file, ep + (size_t(d.obs_dim) != obs.width() ? "/observations" : "/actions"),
                      "has shape " + shape_str(size_t(d.obs_dim) != obs.width() ? obs.dims : act.dims) +
                          ", expected obs_dim " + std::to_string(d.obs_dim) + " / act_dim " + std::to_string(d.act_dim) +
                          " as in earlier episodes");
    }
    const size_t od = d.obs_dim;
    loaded = add_sat(loaded, mul_sat(T, add_sat(mul_sat(2 * sizeof(float), od), mul_sat(sizeof(float), d.act_dim) + 6)));
    check_fits_memory(file, ep, "(" + std::to_string(d.rewards.size() + T) + " steps so far)", loaded);
    d.observations.insert(d.observations.end(), obs.values.begin(), obs.values.begin() + T * od);
    d.next_observations.insert(d.next_observations.end(), obs.values.begin() + od, obs.values.end());
    d.actions.insert(d.actions.end(), act.values.begin(), act.values.end());
    d.rewards.insert(d.rewards.end(), rew.values.begin(), rew.values.end());
    for (size_t t = 0; t < T; ++t) {
      d.terminals.push_back(term.values[t] != 0.0f);
      d.timeouts.push_back(trunc.values[t] != 0.0f);
    }
    if (!d.terminals.back() && !d.timeouts.back()) d.timeouts.back() = 1;  // partial episode: explicit boundary
  }
  if (d.rewards.empty()) throw DataError(file, "", "every episode is empty (no steps)");
  read_metadata_json(json, &d);
  d.rebuild_episode_index();
  d.validate();
  return d;
}

namespace {

void write_array(hid_t group, const std::string& file, const std::string& key, const char* name, hid_t ftype,
                 hid_t mtype, const void* data, hsize_t rows, hsize_t width, bool two_d) {
  const hsize_t dims[2] = {rows, width};
  H5Id space(H5Screate_simple(two_d ? 2 : 1, dims, nullptr), H5Sclose);
  H5Id ds(H5Dcreate2(group, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  if (!ds.ok() || (rows && H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0))
    throw DataError(file, key + "/" + name, "cannot write dataset");
}

void write_int_attr(hid_t obj, const char* name, int64_t v) {
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Id a(H5Acreate2(obj, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (a.ok()) H5Awrite(a, H5T_NATIVE_INT64, &v);
}

// Minari stores spaces as JSON strings; a Box bounded by the data's own min/max is always valid.
std::string box_json(const std::vector<float>& v, int dim) {
  std::vector<float> lo(dim, FLT_MAX), hi(dim, -FLT_MAX);
  for (size_t i = 0; i < v.size(); ++i) {
    lo[i % dim] = std::min(lo[i % dim], v[i]);
    hi[i % dim] = std::max(hi[i % dim], v[i]);
  }
  nlohmann::json j{{"type", "Box"}, {"dtype", "float32"}, {"shape", {dim}}, {"low", lo}, {"high", hi}};
  return j.dump();
}

}  // namespace

void write_minari(const Dataset& d, const std::string& dir) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  d.validate();
  const fs::path data = fs::path(dir) / "data";
  std::error_code ec;
  fs::create_directories(data, ec);
  if (ec) throw DataError(dir, "", "cannot create " + data.string() + ": " + ec.message());
  const std::string file = (data / "main_data.hdf5").string(), tmp = unique_temp_path(file);
  const size_t n = d.size(), od = d.obs_dim, ad = d.act_dim;

  // episode ends: flags, or a successor that is not the next row (exact, so nothing is lost)
  std::vector<size_t> ends;
  for (size_t i = 0; i < n; ++i) {
    bool end = i + 1 == n || d.terminals[i] || d.timeouts[i];
    if (!end) end = !std::equal(&d.next_observations[i * od], &d.next_observations[(i + 1) * od], &d.observations[(i + 1) * od]);
    if (end) ends.push_back(i + 1);
  }
  try {
    H5Id f(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!f.ok()) throw DataError(file, "", "cannot create " + tmp);
    // h5py reads this enum {FALSE, TRUE} over int8 as numpy bool
    H5Id boolt(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose);
    const int8_t fv = 0, tv = 1;
    H5Tenum_insert(boolt, "FALSE", &fv);
    H5Tenum_insert(boolt, "TRUE", &tv);
    size_t begin = 0;
    for (size_t e = 0; e < ends.size(); ++e) {
      const size_t T = ends[e] - begin;
      const std::string ep = "episode_" + std::to_string(e);
      H5Id g(H5Gcreate2(f, ep.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
      if (!g.ok()) throw DataError(file, ep, "cannot create group");
      write_int_attr(g, "id", int64_t(e));
      write_int_attr(g, "total_steps", int64_t(T));
      std::vector<float> obs(&d.observations[begin * od], &d.observations[ends[e] * od]);
      obs.insert(obs.end(), &d.next_observations[(ends[e] - 1) * od], &d.next_observations[ends[e] * od]);
      std::vector<int8_t> term(&d.terminals[begin], &d.terminals[ends[e]]), trunc(&d.timeouts[begin], &d.timeouts[ends[e]]);
      if (!term.back() && !trunc.back()) trunc.back() = 1;  // Minari episodes end terminated or truncated
      write_array(g, file, ep, "observations", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, obs.data(), T + 1, od, true);
      write_array(g, file, ep, "actions", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, &d.actions[begin * ad], T, ad, true);
      write_array(g, file, ep, "rewards", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, &d.rewards[begin], T, 1, false);
      write_array(g, file, ep, "terminations", boolt, boolt, term.data(), T, 1, false);
      write_array(g, file, ep, "truncations", boolt, boolt, trunc.data(), T, 1, false);
      begin = ends[e];
    }
    if (H5Fflush(f, H5F_SCOPE_GLOBAL) < 0 || f.close() < 0) throw DataError(file, "", "cannot finish writing (disk full?)");
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), file.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw DataError(file, "", "cannot rename " + tmp + " over it");
  }

  nlohmann::json j;
  for (const auto& [k, v] : d.metadata) j[k] = v;
  if (!j.contains("dataset_id")) j["dataset_id"] = "iql/exported-v0";
  j["total_episodes"] = ends.size();
  j["total_steps"] = n;
  j["data_format"] = "hdf5";
  j["observation_space"] = box_json(d.observations, d.obs_dim);
  j["action_space"] = box_json(d.actions, d.act_dim);
  const std::string json = (data / "metadata.json").string(), json_tmp = unique_temp_path(json);
  {
    std::ofstream out(json_tmp);
    out << j.dump(2) << "\n";
    if (!out.flush()) {
      std::remove(json_tmp.c_str());
      throw DataError(json, "", "cannot write metadata.json");
    }
  }
  if (std::rename(json_tmp.c_str(), json.c_str()) != 0) {
    std::remove(json_tmp.c_str());
    throw DataError(json, "", "cannot rename " + json_tmp + " over it");
  }
}

}  // namespace iql
