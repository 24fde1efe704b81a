#include "core/data/d4rl_hdf5_reader.h"

#include <hdf5.h>

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>
#include <vector>

#include "core/data/hdf5_handle.h"
#include "core/data/hdf5_size_check.h"
#include "core/data/size_guard.h"
#include "core/util/errors.h"

namespace iql {
using h5::H5Id;
using h5::shape_str;
namespace {

bool has_dataset(hid_t file, const char* key) {
  if (H5Lexists(file, key, H5P_DEFAULT) <= 0) return false;
  H5Id obj(H5Oopen(file, key, H5P_DEFAULT), H5Oclose);
  return obj.ok() && H5Iget_type(obj) == H5I_DATASET;
}

std::string bad_value(double v, size_t i, size_t width) {
  return std::string(std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : "float32 overflow") + " value at row " +
         std::to_string(i / width) + ", column " + std::to_string(i % width);
}

// One numeric dataset, opened and checked but not yet read. Reading goes straight into the
// Dataset's float/uint8 vectors (float32 and integers in one H5Dread; float64 in row blocks of a
// few MiB so NaN/overflow can be seen), so a 2M-row file never holds a whole-array double copy.
class Numeric {
public:
  Numeric(hid_t file, const std::string& path, const char* key)
      : path_(path), key_(key), ds_(open(file, path, key), H5Dclose), space_(H5Dget_space(ds_), H5Sclose),
        ftype_(H5Dget_type(ds_), H5Tclose) {
    if (!space_.ok() || !ftype_.ok()) throw DataError(path, key, "cannot read dataset header (corrupt file?)");
    const int rank = H5Sget_simple_extent_ndims(space_);
    if (rank < 0) throw DataError(path, key, "cannot read dataspace (corrupt file?)");
    dims.resize(rank);
    H5Sget_simple_extent_dims(space_, dims.data(), nullptr);
    cls_ = H5Tget_class(ftype_);
    if (cls_ != H5T_INTEGER && cls_ != H5T_FLOAT && cls_ != H5T_ENUM)
      throw DataError(path, key, "has a non-numeric dtype, expected float32, float64, integer or bool");
    // before anything is allocated: could the file hold it, would it fit in memory?
    h5::check_storage(file, ds_, path, key, dims, sizeof(float));
    count = product_sat(std::vector<uint64_t>(dims.begin(), dims.end()));
  }

  std::vector<hsize_t> dims;
  size_t count = 0;

  // Values as float; NaN/Inf/float32 overflow throw naming row and column (width = row length).
  std::vector<float> floats(size_t width) {
    if (cls_ == H5T_ENUM) {  // bool used as a number: 0/1
      const std::vector<uint8_t> f = flags();
      return std::vector<float>(f.begin(), f.end());
    }
    std::vector<float> out = alloc<float>();
    if (cls_ == H5T_FLOAT && H5Tget_size(ftype_) > 4) {
      read_blocks(H5T_NATIVE_DOUBLE, sizeof(double), [&](const void* buf, size_t first, size_t n) {
        const double* v = static_cast<const double*>(buf);
        for (size_t i = 0; i < n; ++i) {
          if (!std::isfinite(v[i]) || std::fabs(v[i]) > FLT_MAX) throw DataError(path_, key_, bad_value(v[i], first + i, width));
          out[first + i] = static_cast<float>(v[i]);
        }
      });
    } else {
      if (count && H5Dread(ds_, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) fail_read();
      for (size_t i = 0; i < out.size(); ++i)
        if (!std::isfinite(out[i])) throw DataError(path_, key_, bad_value(out[i], i, width));
    }
    return out;
  }

  // Values as 0/1 (nonzero, NaN included, = set).
  std::vector<uint8_t> flags() {
    std::vector<uint8_t> out = alloc<uint8_t>();
    if (cls_ == H5T_ENUM) {
      // HDF5 has no enum->number conversion: read the raw base integers with a native copy of the
      // file enum (same members, i.e. a plain byte copy), then test them for nonzero.
      H5Id base(H5Tget_super(ftype_), H5Tclose);
      H5Id mem(H5Tget_native_type(base, H5T_DIR_ASCEND), H5Tclose);
      const size_t sz = H5Tget_size(mem);
      if (sz > 8) throw DataError(path_, key_, "unsupported enum base type, expected bool or integer");
      H5Id native(H5Tget_native_type(ftype_, H5T_DIR_ASCEND), H5Tclose);
      read_blocks(native, sz, [&](const void* buf, size_t first, size_t n) {
        const unsigned char* b = static_cast<const unsigned char*>(buf);
        for (size_t i = 0; i < n; ++i) {
          bool set = false;
          for (size_t k = 0; k < sz; ++k) set |= b[i * sz + k] != 0;
          out[first + i] = set;
        }
      });
    } else {
      read_blocks(H5T_NATIVE_DOUBLE, sizeof(double), [&](const void* buf, size_t first, size_t n) {
        const double* v = static_cast<const double*>(buf);
        for (size_t i = 0; i < n; ++i) out[first + i] = v[i] != 0.0;
      });
    }
    return out;
  }

private:
  static hid_t open(hid_t file, const std::string& path, const char* key) {
    if (!has_dataset(file, key)) throw DataError(path, key, "missing dataset");
    const hid_t ds = H5Dopen2(file, key, H5P_DEFAULT);
    if (ds < 0) throw DataError(path, key, "cannot open dataset (corrupt file?)");
    return ds;
  }

  template <class T>
  std::vector<T> alloc() {
    try {
      return std::vector<T>(count);
    } catch (const std::exception&) {  // a corrupt header can claim absurd sizes
      throw DataError(path_, key_, "has shape " + shape_str(dims) + ", too large to load (corrupt file?)");
    }
  }

  [[noreturn]] void fail_read() { throw DataError(path_, key_, "cannot read data (file truncated or corrupt)"); }

  // Reads whole rows (dim 0) in blocks of about 4 MiB, aligned to the chunk rows so each
  // compressed chunk is inflated once; fn(buffer, first element, element count).
  template <class Fn>
  void read_blocks(hid_t mem_type, size_t elem, Fn fn) {
    if (count == 0) return;
    if (dims.empty()) {  // scalar
      std::vector<unsigned char> buf(elem);
      if (H5Dread(ds_, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0) fail_read();
      fn(buf.data(), 0, 1);
      return;
    }
    const hsize_t rows = dims[0], width = count / rows;
    hsize_t block = std::max<hsize_t>(1, (4u << 20) / (width * elem));
    H5Id dcpl(H5Dget_create_plist(ds_), H5Pclose);
    if (dcpl.ok() && H5Pget_layout(dcpl) == H5D_CHUNKED) {
      std::vector<hsize_t> chunk(dims.size());
      if (H5Pget_chunk(dcpl, int(chunk.size()), chunk.data()) == int(chunk.size()) && chunk[0] > 0)
        block = (block + chunk[0] - 1) / chunk[0] * chunk[0];  // chunks are <= 256 MiB (check_storage)
    }
    block = std::min(block, rows);
    std::vector<unsigned char> buf(block * width * elem);
    std::vector<hsize_t> start(dims.size(), 0), cnt = dims;
    for (hsize_t r = 0; r < rows; r += block) {
      const hsize_t n = std::min(block, rows - r);
      start[0] = r;
      cnt[0] = n;
      const hsize_t mem_n = n * width;
      H5Id mspace(H5Screate_simple(1, &mem_n, nullptr), H5Sclose);
      H5Id fspace(H5Scopy(space_), H5Sclose);
      if (!mspace.ok() || !fspace.ok() ||
          H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr) < 0 ||
          H5Dread(ds_, mem_type, mspace, fspace, H5P_DEFAULT, buf.data()) < 0)
        fail_read();
      fn(buf.data(), size_t(r * width), size_t(mem_n));
    }
  }

  std::string path_;
  const char* key_;
  H5Id ds_, space_, ftype_;
  H5T_class_t cls_ = H5T_NO_CLASS;
};

// Accepts (N,) or (N, 1) for per-row scalars.
void check_column(const std::vector<hsize_t>& dims, const std::string& path, const char* key, hsize_t n) {
  const bool ok = (dims.size() == 1 && dims[0] == n) || (dims.size() == 2 && dims[0] == n && dims[1] == 1);
  if (!ok)
    throw DataError(path, key, "has shape " + shape_str(dims) + ", expected (N,) or (N, 1) with N = " +
                                   std::to_string(n) + " matching 'observations'");
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
      if (sz == 0 || sz > (1u << 20)) return false;  // a corrupt size field, not a real 4 GB string
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
  Numeric obs(file, path, "observations");
  if (obs.dims.size() != 2 || obs.dims[0] == 0 || obs.dims[1] == 0 || obs.dims[1] > INT_MAX)
    throw DataError(path, "observations", "has shape " + shape_str(obs.dims) +
                                              ", expected (N, obs_dim) with N > 0 and obs_dim > 0");
  const hsize_t n = obs.dims[0];
  const std::string match = " with N = " + std::to_string(n) + " matching 'observations'";
  d.obs_dim = static_cast<int>(obs.dims[1]);
  const size_t od = d.obs_dim;
  // Shapes are all checked before any array is read, so a bad file fails fast.
  Numeric act(file, path, "actions");
  if (act.dims.empty() || act.dims.size() > 2 || act.dims[0] != n || (act.dims.size() == 2 && (act.dims[1] == 0 || act.dims[1] > INT_MAX)))
    throw DataError(path, "actions", "has shape " + shape_str(act.dims) + ", expected (N, act_dim)" + match);
  d.act_dim = act.dims.size() == 2 ? static_cast<int>(act.dims[1]) : 1;
  const size_t ad = d.act_dim;
  Numeric rew(file, path, "rewards");
  check_column(rew.dims, path, "rewards", n);
  Numeric term(file, path, "terminals");
  check_column(term.dims, path, "terminals", n);
  std::unique_ptr<Numeric> to, nxt;
  if (has_dataset(file, "timeouts")) {
    to = std::make_unique<Numeric>(file, path, "timeouts");
    check_column(to->dims, path, "timeouts", n);
  }
  if (has_dataset(file, "next_observations")) {
    nxt = std::make_unique<Numeric>(file, path, "next_observations");
    if (nxt->dims.size() != 2 || nxt->dims[0] != n || nxt->dims[1] != od)
      throw DataError(path, "next_observations", "has shape " + shape_str(nxt->dims) + ", expected (N, " +
                                                     std::to_string(od) + ")" + match);
  }

  // All arrays together, as loaded (next_observations read or rebuilt), must fit in memory too.
  uint64_t total = mul_sat(n, add_sat(mul_sat(2 * sizeof(float), od), add_sat(mul_sat(sizeof(float), ad), 6)));
  check_fits_memory(path, "observations", shape_str(obs.dims) + " with actions " + shape_str(act.dims), total);

  d.observations = obs.floats(od);
  d.actions = act.floats(ad);
  d.rewards = rew.floats(1);
  d.terminals = term.flags();
  d.timeouts = to ? to->flags() : std::vector<uint8_t>(n, 0);
  read_metadata(file, &d.metadata);
  if (nxt) {
    d.next_observations = nxt->floats(od);
  } else {
    // d4rl.qlearning_dataset: row i uses observations[i+1] as next; a timed-out row has no true
    // successor in the file, so it is dropped. The kept row before it is marked as a timeout so
    // the episode boundary stays explicit (bootstrapping continues, as for any time limit).
    // Rows are compacted in place (kept index k <= i), so no second full copy is made.
    if (n < 2) throw DataError(path, "observations", "needs N >= 2 rows to rebuild missing 'next_observations'");
    std::vector<float>& o = d.observations;
    std::vector<float>& a = d.actions;
    std::vector<float> next;
    next.reserve((n - 1) * od);
    size_t k = 0, dropped = 0;
    for (size_t i = 0; i + 1 < n; ++i) {
      if (d.timeouts[i]) {
        ++dropped;
        if (k > 0 && !d.terminals[k - 1]) d.timeouts[k - 1] = 1;
        continue;
      }
      next.insert(next.end(), &o[(i + 1) * od], &o[(i + 2) * od]);
      std::copy(&o[i * od], &o[(i + 1) * od], &o[k * od]);
      std::copy(&a[i * ad], &a[(i + 1) * ad], &a[k * ad]);
      d.rewards[k] = d.rewards[i];
      d.terminals[k] = d.terminals[i];
      d.timeouts[k] = 0;
      ++k;
    }
    if (k == 0)
      throw DataError(path, "timeouts", "every row is a timeout; nothing left after rebuilding 'next_observations'");
    o.resize(k * od);
    a.resize(k * ad);
    d.rewards.resize(k);
    d.terminals.resize(k);
    d.timeouts.resize(k);
    d.next_observations = std::move(next);
    d.metadata["next_observations"] = "reconstructed as observations[i+1] (d4rl.qlearning_dataset); dropped " +
                                      std::to_string(dropped + 1) + " of " + std::to_string(n) + " rows";
  }
  d.rebuild_episode_index();
  d.validate();
  return d;
}

}  // namespace iql
