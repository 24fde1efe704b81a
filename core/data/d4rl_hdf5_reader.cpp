#include "core/data/d4rl_hdf5_reader.h"

#include <hdf5.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <vector>

#include "core/util/errors.h"

namespace iql {
namespace {

// Closes an HDF5 id on scope exit, so every throw path releases the file.
class H5Id {
public:
  H5Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~H5Id() { if (id_ >= 0) close_(id_); }
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  operator hid_t() const { return id_; }
  bool ok() const { return id_ >= 0; }

private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// A numeric array read from the file, converted to double (so float64 NaN/overflow is seen).
struct Array {
  std::vector<hsize_t> dims;
  std::vector<double> data;
};

std::string shape_str(const std::vector<hsize_t>& dims) {
  std::string s = "(";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

bool has_dataset(hid_t file, const char* key) {
  if (H5Lexists(file, key, H5P_DEFAULT) <= 0) return false;
  H5Id obj(H5Oopen(file, key, H5P_DEFAULT), H5Oclose);
  return obj.ok() && H5Iget_type(obj) == H5I_DATASET;
}

// Reads enum (h5py bool) or any integer/float dataset as double.
Array read_numeric(hid_t file, const std::string& path, const char* key) {
  if (!has_dataset(file, key)) throw DataError(path, key, "missing dataset");
  H5Id ds(H5Dopen2(file, key, H5P_DEFAULT), H5Dclose);
  if (!ds.ok()) throw DataError(path, key, "cannot open dataset (corrupt file?)");
  H5Id space(H5Dget_space(ds), H5Sclose);
  H5Id ftype(H5Dget_type(ds), H5Tclose);
  if (!space.ok() || !ftype.ok()) throw DataError(path, key, "cannot read dataset header (corrupt file?)");
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) throw DataError(path, key, "cannot read dataspace (corrupt file?)");
  Array a;
  a.dims.resize(rank);
  H5Sget_simple_extent_dims(space, a.dims.data(), nullptr);
  size_t n = 1;
  for (hsize_t d : a.dims) n *= d;
  try {
    a.data.resize(n);
  } catch (const std::exception&) {  // a corrupt header can claim absurd sizes
    throw DataError(path, key, "has shape " + shape_str(a.dims) + ", too large to load (corrupt file?)");
  }

  const H5T_class_t cls = H5Tget_class(ftype);
  herr_t rc = 0;
  if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
    if (n) rc = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.data.data());
  } else if (cls == H5T_ENUM) {
    // HDF5 has no enum->number conversion: read the raw base integers, then widen them.
    H5Id base(H5Tget_super(ftype), H5Tclose);
    H5Id mem(H5Tget_native_type(base, H5T_DIR_ASCEND), H5Tclose);
    const size_t sz = H5Tget_size(mem);
    const bool is_signed = H5Tget_sign(mem) == H5T_SGN_2;
    if (sz > 8) throw DataError(path, key, "unsupported enum base type, expected bool or integer");
    std::vector<unsigned char> raw(n * sz);
    // read with a native copy of the file enum (same members), i.e. a plain byte copy
    H5Id native(H5Tget_native_type(ftype, H5T_DIR_ASCEND), H5Tclose);
    if (n) rc = H5Dread(ds, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
    for (size_t i = 0; i < n && rc >= 0; ++i) {
      int64_t v = 0;
      uint64_t u = 0;
      std::memcpy(&u, &raw[i * sz], sz);  // little-endian host assumed (x86/arm)
      if (is_signed && sz < 8 && (u >> (sz * 8 - 1)) & 1) u |= ~uint64_t(0) << (sz * 8);
      std::memcpy(&v, &u, 8);
      a.data[i] = static_cast<double>(v);
    }
  } else {
    throw DataError(path, key, "has a non-numeric dtype, expected float32, float64, integer or bool");
  }
  if (rc < 0) throw DataError(path, key, "cannot read data (file truncated or corrupt)");
  return a;
}

// Converts to float, failing on NaN/Inf/overflow and naming the file row.
std::vector<float> to_float(const Array& a, const std::string& path, const char* key, size_t width) {
  std::vector<float> out(a.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) {
    const double v = a.data[i];
    if (!std::isfinite(v) || std::fabs(v) > FLT_MAX) {
      throw DataError(path, key, std::string(std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : "float32 overflow") +
                                     " value at row " + std::to_string(i / width) + ", column " +
                                     std::to_string(i % width));
    }
    out[i] = static_cast<float>(v);
  }
  return out;
}

// Accepts (N,) or (N, 1) for per-row scalars.
void check_column(const Array& a, const std::string& path, const char* key, hsize_t n) {
  const bool ok = (a.dims.size() == 1 && a.dims[0] == n) || (a.dims.size() == 2 && a.dims[0] == n && a.dims[1] == 1);
  if (!ok)
    throw DataError(path, key, "has shape " + shape_str(a.dims) + ", expected (N,) or (N, 1) with N = " +
                                   std::to_string(n) + " matching 'observations'");
}

std::vector<uint8_t> to_flags(const Array& a) {
  std::vector<uint8_t> out(a.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) out[i] = a.data[i] != 0.0;  // NaN != 0 too: treat as set
  return out;
}

// ---- metadata (best effort: anything unreadable is skipped, never an error) ----

std::string format_number(double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Reads a scalar string/number (or a short numeric vector) from an attribute or dataset.
bool read_value(hid_t obj, bool is_attr, std::string* out) {
  H5Id type(is_attr ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose);
  H5Id space(is_attr ? H5Aget_space(obj) : H5Dget_space(obj), H5Sclose);
  if (!type.ok() || !space.ok()) return false;
  const hssize_t npoints = H5Sget_simple_extent_npoints(space);
  auto read = [&](hid_t mem, void* buf) {
    return (is_attr ? H5Aread(obj, mem, buf) : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf)) >= 0;
  };
  const H5T_class_t cls = H5Tget_class(type);
  if (cls == H5T_STRING) {
    if (npoints != 1) return false;
    H5Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_cset(mem, H5Tget_cset(type));
    if (H5Tis_variable_str(type) > 0) {
      H5Tset_size(mem, H5T_VARIABLE);
      char* s = nullptr;
      if (!read(mem, &s)) return false;
      *out = s ? s : "";
      H5free_memory(s);
    } else {
      const size_t sz = H5Tget_size(type);
      H5Tset_size(mem, sz + 1);  // room for the terminating NUL
      H5Tset_strpad(mem, H5T_STR_NULLTERM);
      std::vector<char> buf(sz + 1, '\0');
      if (!read(mem, buf.data())) return false;
      *out = buf.data();
    }
    return true;
  }
  if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && npoints >= 1 && npoints <= 16) {
    std::vector<double> v(npoints);
    if (!read(H5T_NATIVE_DOUBLE, v.data())) return false;
    if (npoints == 1) { *out = format_number(v[0]); return true; }
    *out = "[";
    for (size_t i = 0; i < v.size(); ++i) *out += (i ? ", " : "") + format_number(v[i]);
    *out += "]";
    return true;
  }
  return false;  // large arrays (e.g. D4RL's metadata/policy weights) and compound types are skipped
}

herr_t attr_cb(hid_t loc, const char* name, const H5A_info_t*, void* data) {
  H5Id attr(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose);
  std::string v;
  if (attr.ok() && read_value(attr, true, &v)) (*static_cast<std::map<std::string, std::string>*>(data))[name] = v;
  return 0;
}

struct VisitCtx {
  hid_t group;
  std::map<std::string, std::string>* meta;
};

herr_t link_cb(hid_t, const char* name, const H5L_info_t*, void* data) {
  auto* ctx = static_cast<VisitCtx*>(data);
  H5Id obj(H5Oopen(ctx->group, name, H5P_DEFAULT), H5Oclose);
  if (!obj.ok() || H5Iget_type(obj) != H5I_DATASET) return 0;
  std::string v;
  if (read_value(obj, false, &v)) (*ctx->meta)[name] = v;
  return 0;
}

void read_metadata(hid_t file, std::map<std::string, std::string>* meta) {
  hsize_t idx = 0;
  H5Aiterate2(file, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, attr_cb, meta);  // root attributes
  if (H5Lexists(file, "metadata", H5P_DEFAULT) <= 0) return;
  H5Id group(H5Oopen(file, "metadata", H5P_DEFAULT), H5Oclose);
  if (!group.ok() || H5Iget_type(group) != H5I_GROUP) return;
  idx = 0;
  H5Aiterate2(group, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, attr_cb, meta);
  VisitCtx ctx{group, meta};  // datasets under metadata/ win over attributes of the same name
  H5Lvisit(group, H5_INDEX_NAME, H5_ITER_NATIVE, link_cb, &ctx);
}

}  // namespace

Dataset read_d4rl_hdf5(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become DataError, never printed stacks
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw DataError(path, "", "file does not exist");
  if (S_ISDIR(st.st_mode)) throw DataError(path, "", "is a directory, expected an HDF5 file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw DataError(path, "", "not an HDF5 file");
  H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.ok()) throw DataError(path, "", "cannot open HDF5 file (truncated or corrupt)");

  Dataset d;
  d.source = path;
  const Array obs = read_numeric(file, path, "observations");
  if (obs.dims.size() != 2 || obs.dims[0] == 0 || obs.dims[1] == 0)
    throw DataError(path, "observations", "has shape " + shape_str(obs.dims) +
                                              ", expected (N, obs_dim) with N > 0 and obs_dim > 0");
  const hsize_t n = obs.dims[0];
  const std::string match = " with N = " + std::to_string(n) + " matching 'observations'";
  d.obs_dim = static_cast<int>(obs.dims[1]);
  std::vector<float> observations = to_float(obs, path, "observations", d.obs_dim);

  const Array act = read_numeric(file, path, "actions");
  if (act.dims.empty() || act.dims.size() > 2 || act.dims[0] != n || (act.dims.size() == 2 && act.dims[1] == 0))
    throw DataError(path, "actions", "has shape " + shape_str(act.dims) + ", expected (N, act_dim)" + match);
  d.act_dim = act.dims.size() == 2 ? static_cast<int>(act.dims[1]) : 1;
  std::vector<float> actions = to_float(act, path, "actions", d.act_dim);

  const Array rew = read_numeric(file, path, "rewards");
  check_column(rew, path, "rewards", n);
  std::vector<float> rewards = to_float(rew, path, "rewards", 1);

  const Array term = read_numeric(file, path, "terminals");
  check_column(term, path, "terminals", n);
  std::vector<uint8_t> terminals = to_flags(term);

  std::vector<uint8_t> timeouts(n, 0);
  if (has_dataset(file, "timeouts")) {
    const Array to = read_numeric(file, path, "timeouts");
    check_column(to, path, "timeouts", n);
    timeouts = to_flags(to);
  }

  read_metadata(file, &d.metadata);
  const size_t od = d.obs_dim, ad = d.act_dim;
  if (has_dataset(file, "next_observations")) {
    const Array nxt = read_numeric(file, path, "next_observations");
    if (nxt.dims.size() != 2 || nxt.dims[0] != n || nxt.dims[1] != od)
      throw DataError(path, "next_observations", "has shape " + shape_str(nxt.dims) + ", expected (N, " +
                                                     std::to_string(od) + ")" + match);
    d.next_observations = to_float(nxt, path, "next_observations", od);
    d.observations = std::move(observations);
    d.actions = std::move(actions);
    d.rewards = std::move(rewards);
    d.terminals = std::move(terminals);
    d.timeouts = std::move(timeouts);
  } else {
    // d4rl.qlearning_dataset: row i uses observations[i+1] as next; a timed-out row has no true
    // successor in the file, so it is dropped. The kept row before it is marked as a timeout so
    // the episode boundary stays explicit (bootstrapping continues, as for any time limit).
    if (n < 2) throw DataError(path, "observations", "needs N >= 2 rows to rebuild missing 'next_observations'");
    size_t dropped = 0;
    for (size_t i = 0; i + 1 < n; ++i) {
      if (timeouts[i]) {
        ++dropped;
        if (!d.timeouts.empty() && !d.terminals.back()) d.timeouts.back() = 1;
        continue;
      }
      d.observations.insert(d.observations.end(), &observations[i * od], &observations[(i + 1) * od]);
      d.next_observations.insert(d.next_observations.end(), &observations[(i + 1) * od], &observations[(i + 2) * od]);
      d.actions.insert(d.actions.end(), &actions[i * ad], &actions[(i + 1) * ad]);
      d.rewards.push_back(rewards[i]);
      d.terminals.push_back(terminals[i]);
      d.timeouts.push_back(0);
    }
    if (d.rewards.empty())
      throw DataError(path, "timeouts", "every row is a timeout; nothing left after rebuilding 'next_observations'");
    d.metadata["next_observations"] = "reconstructed as observations[i+1] (d4rl.qlearning_dataset); dropped " +
                                      std::to_string(dropped + 1) + " of " + std::to_string(n) + " rows";
  }
  d.rebuild_episode_index();
  d.validate();
  return d;
}

}  // namespace iql
