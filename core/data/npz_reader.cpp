#include "core/data/npz_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>

#include "core/data/npy.h"
#include "core/data/size_guard.h"
#include "core/util/errors.h"

namespace iql {
namespace {

using Bytes = std::vector<unsigned char>;

uint64_t le(const Bytes& b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + i];
  return v;
}

struct ZipEntry {
  std::string name;
  uint16_t flags = 0, method = 0;
  uint32_t crc = 0;
  uint64_t csize = 0, usize = 0, local = 0;
};

std::string array_name(const std::string& entry) {
  return entry.size() > 4 && entry.compare(entry.size() - 4, 4, ".npy") == 0 ? entry.substr(0, entry.size() - 4) : entry;
}

// Without an end-of-central-directory record the file was cut short: walk the local headers
// from the start to name the entry where it ends.
[[noreturn]] void diagnose_truncation(const Bytes& z, const std::string& path) {
  size_t at = 0;
  std::string last;
  while (at + 30 <= z.size() && le(z, at, 4) == 0x04034b50) {
    const size_t nlen = le(z, at + 26, 2), elen = le(z, at + 28, 2);
    if (at + 30 + nlen > z.size()) break;
    last = std::string(reinterpret_cast<const char*>(&z[at + 30]), nlen);
    uint64_t csize = le(z, at + 18, 4);
    if (csize == 0xFFFFFFFFu && at + 30 + nlen + elen <= z.size()) {  // zip64 local extra
      for (size_t e = at + 30 + nlen; e + 4 <= at + 30 + nlen + elen;) {
        const size_t id = le(z, e, 2), len = le(z, e + 2, 2);
        if (id == 1 && len >= 16 && e + 20 <= z.size()) csize = le(z, e + 12, 8);
        e += 4 + len;
      }
    }
    const uint64_t end = at + 30 + nlen + elen + csize;
    if ((le(z, at + 6, 2) & 8) && csize == 0) break;  // sizes only in a data descriptor
    if (end > z.size())
      throw DataError(path, array_name(last), "zip entry '" + last + "' is truncated: it needs bytes up to " +
                                                  std::to_string(end) + " but the file has " + std::to_string(z.size()));
    at = end;
  }
  if (last.empty()) throw DataError(path, "", "not a zip/npz archive (no end-of-central-directory record)");
  throw DataError(path, array_name(last), "zip central directory is missing (file truncated after or inside entry '" + last + "')");
}

std::vector<ZipEntry> central_directory(const Bytes& z, const std::string& path) {
  if (z.size() < 22) diagnose_truncation(z, path);
  size_t eocd = std::string::npos;
  for (size_t i = z.size() - 22 + 1; i-- > 0 && z.size() - i <= 22 + 65535;)
    if (le(z, i, 4) == 0x06054b50) { eocd = i; break; }
  if (eocd == std::string::npos) diagnose_truncation(z, path);
  uint64_t count = le(z, eocd + 10, 2), cd_size = le(z, eocd + 12, 4), cd_off = le(z, eocd + 16, 4);
  if ((count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) && eocd >= 20 &&
      le(z, eocd - 20, 4) == 0x07064b50) {  // zip64 end record via its locator
    const uint64_t z64 = le(z, eocd - 20 + 8, 8);
    if (z64 + 56 > z.size() || le(z, z64, 4) != 0x06064b50) throw DataError(path, "", "corrupt zip64 end record");
    count = le(z, z64 + 32, 8);
    cd_size = le(z, z64 + 40, 8);
    cd_off = le(z, z64 + 48, 8);
  }
  if (cd_off > z.size() || cd_size > z.size() - cd_off) diagnose_truncation(z, path);
  std::vector<ZipEntry> out;
  size_t at = cd_off;
  for (uint64_t k = 0; k < count; ++k) {
    if (at + 46 > z.size() || le(z, at, 4) != 0x02014b50) throw DataError(path, "", "corrupt zip central directory");
    ZipEntry e;
    e.flags = le(z, at + 8, 2);
    e.method = le(z, at + 10, 2);
    e.crc = le(z, at + 16, 4);
    e.csize = le(z, at + 20, 4);
    e.usize = le(z, at + 24, 4);
    const size_t nlen = le(z, at + 28, 2), elen = le(z, at + 30, 2), clen = le(z, at + 32, 2);
    e.local = le(z, at + 42, 4);
    if (at + 46 + nlen + elen + clen > z.size()) throw DataError(path, "", "corrupt zip central directory");
    e.name.assign(reinterpret_cast<const char*>(&z[at + 46]), nlen);
    // zip64 extra: only the fields saturated at 0xFFFFFFFF are present, in this order
    for (size_t x = at + 46 + nlen; x + 4 <= at + 46 + nlen + elen;) {
      const size_t id = le(z, x, 2), len = le(z, x + 2, 2);
      if (id == 1) {
        size_t f = x + 4;
        for (uint64_t* v : {&e.usize, &e.csize, &e.local})
          if (*v == 0xFFFFFFFFu && f + 8 <= x + 4 + len) { *v = le(z, f, 8); f += 8; }
      }
      x += 4 + len;
    }
    out.push_back(e);
    at += 46 + nlen + elen + clen;
  }
  return out;
}

Bytes extract(const Bytes& z, const ZipEntry& e, const std::string& path) {
  const std::string key = array_name(e.name);
  auto fail = [&](const std::string& why) { return DataError(path, key, "zip entry '" + e.name + "' " + why); };
  if (e.flags & 1) throw fail("is encrypted");
  if (e.local + 30 > z.size() || le(z, e.local, 4) != 0x04034b50) throw fail("has a corrupt local header");
  const uint64_t data = e.local + 30 + le(z, e.local + 26, 2) + le(z, e.local + 28, 2);
  if (data > z.size() || e.csize > z.size() - data) throw fail("is truncated");
  // deflate cannot expand more than ~1032x: a bigger claim is a corrupt header, not a real size
  if (e.usize > max_inflated_bytes(e.csize))
    throw fail("claims " + human_bytes(e.usize) + " uncompressed from " + human_bytes(e.csize) + " (corrupt zip)");
  check_fits_memory(path, key, "(uncompressed entry '" + e.name + "')", e.usize);
  Bytes out;
  if (e.method == 0) {
    if (e.csize != e.usize) throw fail("is stored with inconsistent sizes (corrupt zip)");
    out.assign(z.begin() + data, z.begin() + data + e.csize);
  } else if (e.method == 8) {
    out.resize(e.usize);
    z_stream s{};
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) throw fail("cannot start zlib");
    const unsigned char* in = &z[data];
    unsigned char* dst = out.data();
    uint64_t in_left = e.csize, out_left = e.usize;
    unsigned char dummy;
    s.next_out = e.usize ? dst : &dummy;  // a valid pointer even for an empty entry
    int rc = Z_OK;
    for (;;) {  // zlib counters are uInt: hand over at most 1 GiB at a time
      if (s.avail_in == 0 && in_left) {
        s.next_in = const_cast<unsigned char*>(in);
        s.avail_in = uInt(std::min<uint64_t>(in_left, 1u << 30));
        in += s.avail_in;
        in_left -= s.avail_in;
      }
      if (s.avail_out == 0 && out_left) {
        s.avail_out = uInt(std::min<uint64_t>(out_left, 1u << 30));
        out_left -= s.avail_out;
      }
      rc = inflate(&s, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) break;
      const bool can_feed = (s.avail_in == 0 && in_left) || (s.avail_out == 0 && out_left);
      if (rc != Z_OK && !(rc == Z_BUF_ERROR && can_feed)) break;  // truncated, corrupt or too long
    }
    const uint64_t produced = s.total_out;
    inflateEnd(&s);
    if (rc != Z_STREAM_END || produced != e.usize) throw fail("has corrupt or truncated deflate data");
  } else {
    throw fail("uses compression method " + std::to_string(e.method) + ", expected stored (0) or deflate (8)");
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  for (uint64_t off = 0; off < out.size(); off += 1u << 30)
    crc = crc32(crc, out.data() + off, uInt(std::min<uint64_t>(out.size() - off, 1u << 30)));
  if (crc != e.crc) throw fail("fails its CRC check (corrupt zip)");
  return out;
}

class Npz {
public:
  explicit Npz(const std::string& path) : path_(path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw DataError(path, "", "cannot open file");
    f.seekg(0, std::ios::end);
    const std::streamoff size = f.tellg();
    if (size < 0) throw DataError(path, "", "cannot read file size");
    check_fits_memory(path, "", "(whole archive)", uint64_t(size));
    z_.resize(size_t(size));
    f.seekg(0);
    if (!z_.empty() && !f.read(reinterpret_cast<char*>(z_.data()), std::streamsize(z_.size())))
      throw DataError(path, "", "cannot read file");
    for (ZipEntry& e : central_directory(z_, path)) entries_[array_name(e.name)] = e;
  }

  bool has(const std::string& key) const { return entries_.count(key) != 0; }
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& kv : entries_) out.push_back(kv.first);
    return out;
  }
  // Any array, object arrays included (header only).
  NpyArray raw(const std::string& key) const {
    const Bytes bytes = extract(z_, entries_.at(key), path_);
    return parse_npy(bytes.data(), bytes.size(), path_, key);
  }

  // A numeric array; what = the expected shape, for the error message.
  NpyArray get(const std::string& key, const std::string& what) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) throw DataError(path_, key, "missing array, expected " + what);
    const Bytes raw = extract(z_, it->second, path_);
    NpyArray a = parse_npy(raw.data(), raw.size(), path_, key);
    if (a.is_object()) throw DataError(path_, key, "is an object (pickled) array, expected numeric " + what);
    return a;
  }

private:
  std::string path_;
  Bytes z_;
  std::map<std::string, ZipEntry> entries_;
};

// Row-major floats; NaN/Inf/float32 overflow throw naming row and column.
std::vector<float> floats(const NpyArray& a, const std::string& path, const std::string& key, size_t width) {
  std::vector<float> out(a.count());
  if (a.kind == 'f' && a.item_size == 4) std::memcpy(out.data(), a.data.data(), out.size() * 4);
  for (size_t i = 0; i < out.size(); ++i) {
    const double v = a.kind == 'f' && a.item_size == 4 ? out[i] : a.value(i);
    if (!std::isfinite(v) || std::fabs(v) > FLT_MAX)
      throw DataError(path, key, std::string(std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : "float32 overflow") +
                                     " value at row " + std::to_string(i / width) + ", column " + std::to_string(i % width));
    out[i] = float(v);
  }
  return out;
}

int64_t row_width(const NpyArray& a) {
  int64_t w = 1;
  for (size_t i = 1; i < a.shape.size(); ++i) w *= a.shape[i];
  return w;
}

}  // namespace

Dataset read_npz_rollouts(const std::string& path) {
  const Npz z(path);
  const NpyArray term = z.get("terminal", "shape (n_episodes,) of bool");
  if (term.shape.size() != 1 || term.shape[0] == 0)
    throw DataError(path, "terminal", "has shape " + term.shape_str() + ", expected (n_episodes,) with n_episodes > 0");
  const int64_t E = term.shape[0];
  const std::string Es = std::to_string(E);

  const NpyArray acts = z.get("acts", "shape (sum T_e, act_dim)");
  if (acts.shape.empty() || acts.shape[0] < E || row_width(acts) == 0)
    throw DataError(path, "acts", "has shape " + acts.shape_str() + ", expected (sum T_e, act_dim) with at least one step per episode (" + Es + " episodes in 'terminal')");
  const int64_t A = acts.shape[0];
  const std::string As = std::to_string(A);

  const NpyArray idx = z.get("indices", "shape (" + std::to_string(E - 1) + ",) of episode starts");
  const bool split_points = idx.shape.size() == 1 && idx.shape[0] == E - 1;
  const bool with_zero = idx.shape.size() == 1 && idx.shape[0] == E && idx.count() > 0 && idx.value(0) == 0.0;
  if (idx.kind == 'f' || (!split_points && !with_zero))
    throw DataError(path, "indices", "has shape " + idx.shape_str() + " dtype " + idx.descr + ", expected integer (" +
                                         std::to_string(E - 1) + ",) split points matching " + Es + " episodes in 'terminal'");
  std::vector<int64_t> starts{0};
  for (int64_t i = with_zero ? 1 : 0; i < idx.count(); ++i) {
    const double v = idx.value(i);
    if (v <= double(starts.back()) || v >= double(A))
      throw DataError(path, "indices", "value " + std::to_string(int64_t(v)) + " at position " + std::to_string(i) +
                                           " is not increasing within (0, " + As + "), expected episode starts into 'acts'");
    starts.push_back(int64_t(v));
  }
  starts.push_back(A);

  const NpyArray obs = z.get("obs", "shape (" + std::to_string(A + E) + ", obs_dim) = (sum(T_e + 1), obs_dim)");
  if (obs.shape.empty() || obs.shape[0] != A + E || row_width(obs) == 0)
    throw DataError(path, "obs", "has shape " + obs.shape_str() + ", expected (" + std::to_string(A + E) +
                                     ", obs_dim) = (sum(T_e + 1), obs_dim) for " + As + " steps in 'acts' and " + Es + " episodes");
  const NpyArray rews = z.get("rews", "shape (" + As + ",)");
  if (!((rews.shape.size() == 1 && rews.shape[0] == A) || (rews.shape.size() == 2 && rews.shape[0] == A && rews.shape[1] == 1)))
    throw DataError(path, "rews", "has shape " + rews.shape_str() + ", expected (" + As + ",) or (" + As + ", 1) matching 'acts'");

  Dataset d;
  d.source = path;
  d.obs_dim = int(row_width(obs));
  d.act_dim = int(row_width(acts));
  const size_t od = d.obs_dim;
  const std::vector<float> o = floats(obs, path, "obs", od);
  d.actions = floats(acts, path, "acts", d.act_dim);
  d.rewards = floats(rews, path, "rews", 1);

  // time-limit inference (see header): the longest length, if several flagged episodes share it
  int64_t longest = 0, at_longest = 0;
  for (int64_t e = 0; e < E; ++e) longest = std::max(longest, starts[e + 1] - starts[e]);
  for (int64_t e = 0; e < E; ++e) at_longest += term.value(e) != 0.0 && starts[e + 1] - starts[e] == longest;
  const bool limit = at_longest >= 2 && at_longest * 5 >= E;
  if (limit)
    d.metadata["npz_time_limit"] = std::to_string(longest) + " (inferred: " + std::to_string(at_longest) + " of " + Es +
                                   " episodes end at this length; their terminal flag is read as a time-limit truncation)";

  d.observations.resize(A * od);
  d.next_observations.resize(A * od);
  d.terminals.assign(A, 0);
  d.timeouts.assign(A, 0);
  for (int64_t e = 0; e < E; ++e) {
    const int64_t s = starts[e], T = starts[e + 1] - s;
    const float* src = &o[(s + e) * od];  // episode e's obs rows are shifted by e final observations
    std::copy(src, src + T * od, &d.observations[s * od]);
    std::copy(src + od, src + (T + 1) * od, &d.next_observations[s * od]);
    const bool terminal = term.value(e) != 0.0 && !(limit && T == longest);
    (terminal ? d.terminals : d.timeouts)[s + T - 1] = 1;
  }
  d.metadata["format"] = "npz rollouts (imitation layout)";
  d.rebuild_episode_index();
  d.validate();
  return d;
}

std::map<std::string, NpyArray> read_npz_arrays(const std::string& path) {
  const Npz z(path);
  std::map<std::string, NpyArray> out;
  for (const std::string& key : z.keys()) {
    NpyArray a = z.raw(key);
    if (!a.is_object()) out.emplace(key, std::move(a));
  }
  return out;
}

}  // namespace iql
