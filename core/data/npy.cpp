#include "core/data/npy.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/util/errors.h"

namespace iql {
namespace {

// Finds 'name' in the header dict and returns the position just after its ':'.
size_t find_key(const std::string& h, const std::string& name) {
  for (const char q : {'\'', '"'}) {
    const size_t at = h.find(q + name + q);
    if (at == std::string::npos) continue;
    const size_t colon = h.find(':', at + name.size() + 2);
    if (colon != std::string::npos) return colon + 1;
  }
  return std::string::npos;
}

size_t skip_ws(const std::string& h, size_t i) {
  while (i < h.size() && std::isspace(static_cast<unsigned char>(h[i]))) ++i;
  return i;
}

}  // namespace

int64_t NpyArray::count() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string NpyArray::shape_str() const {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

double NpyArray::value(size_t i) const {
  const unsigned char* p = &data[i * item_size];
  switch (kind) {
    case 'f':
      if (item_size == 4) { float v; std::memcpy(&v, p, 4); return v; }
      else { double v; std::memcpy(&v, p, 8); return v; }
    case 'b': return *p != 0;
    case 'u': { uint64_t v = 0; std::memcpy(&v, p, item_size); return double(v); }
    case 'i': {
      uint64_t u = 0;
      std::memcpy(&u, p, item_size);  // little-endian host assumed (x86/arm)
      if (item_size < 8 && (u >> (item_size * 8 - 1)) & 1) u |= ~uint64_t(0) << (item_size * 8);
      int64_t v;
      std::memcpy(&v, &u, 8);
      return double(v);
    }
    default: return 0.0;
  }
}

NpyArray parse_npy(const unsigned char* bytes, size_t size, const std::string& file, const std::string& key) {
  auto fail = [&](const std::string& why) -> DataError { return DataError(file, key, why); };
  if (size < 10 || std::memcmp(bytes, "\x93NUMPY", 6) != 0) throw fail("not a .npy array (bad magic)");
  const int major = bytes[6];
  size_t header_len, offset;
  if (major == 1) {
    header_len = bytes[8] | (size_t(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) throw fail("truncated .npy header");
    header_len = bytes[8] | (size_t(bytes[9]) << 8) | (size_t(bytes[10]) << 16) | (size_t(bytes[11]) << 24);
    offset = 12;
  } else {
    throw fail(".npy format version " + std::to_string(major) + " is not supported (expected 1, 2 or 3)");
  }
  if (header_len > size - offset) throw fail("truncated .npy header");
  const std::string h(reinterpret_cast<const char*>(bytes + offset), header_len);
  const size_t data_at = offset + header_len;

  NpyArray a;
  // descr: a quoted string; a list means a structured dtype, which no dataset key uses
  size_t i = find_key(h, "descr");
  if (i == std::string::npos) throw fail(".npy header has no 'descr'");
  i = skip_ws(h, i);
  if (i >= h.size() || (h[i] != '\'' && h[i] != '"')) throw fail("structured dtype is not supported, expected a numeric array");
  const size_t end = h.find(h[i], i + 1);
  if (end == std::string::npos) throw fail("malformed .npy header");
  a.descr = h.substr(i + 1, end - i - 1);
  if (a.descr.size() < 2) throw fail("malformed dtype '" + a.descr + "'");
  const char order = a.descr[0];
  a.kind = a.descr[1];
  a.item_size = std::atoi(a.descr.c_str() + 2);
  const bool known = (a.kind == 'f' && (a.item_size == 4 || a.item_size == 8)) ||
                     ((a.kind == 'i' || a.kind == 'u') && (a.item_size == 1 || a.item_size == 2 || a.item_size == 4 || a.item_size == 8)) ||
                     (a.kind == 'b' && a.item_size == 1) || a.kind == 'O';
  if (!known || (order != '<' && order != '>' && order != '|' && order != '='))
    throw fail("dtype '" + a.descr + "' is not supported, expected float32/float64, integer or bool");

  i = find_key(h, "fortran_order");
  if (i == std::string::npos) throw fail(".npy header has no 'fortran_order'");
  const bool fortran = h.compare(skip_ws(h, i), 4, "True") == 0;

  i = find_key(h, "shape");
  if (i == std::string::npos || (i = skip_ws(h, i)) >= h.size() || h[i] != '(') throw fail(".npy header has no 'shape' tuple");
  const size_t close = h.find(')', i);
  if (close == std::string::npos) throw fail("malformed .npy shape");
  for (size_t p = i + 1; p < close;) {
    p = skip_ws(h, p);
    if (p >= close) break;
    if (!std::isdigit(static_cast<unsigned char>(h[p]))) throw fail("malformed .npy shape");
    int64_t d = 0;
    while (p < close && std::isdigit(static_cast<unsigned char>(h[p]))) {
      d = d * 10 + (h[p++] - '0');
      if (d > (int64_t(1) << 40)) throw fail("implausible .npy shape (corrupt file?)");
    }
    a.shape.push_back(d);
    p = skip_ws(h, p);
    if (p < close && h[p] == ',') ++p;
  }
  if (a.is_object()) return a;  // pickled payload: never read

  // overflow-safe size check against what the entry actually holds
  const size_t avail = size - data_at;
  size_t need = a.item_size;
  for (int64_t d : a.shape) {
    if (d != 0 && need > avail / size_t(d)) throw fail("array of shape " + a.shape_str() + " is truncated (holds " + std::to_string(avail) + " bytes)");
    need *= size_t(d);
  }
  if (need > avail) throw fail("array of shape " + a.shape_str() + " is truncated (holds " + std::to_string(avail) + " of " + std::to_string(need) + " bytes)");
  a.data.assign(bytes + data_at, bytes + data_at + need);
  if (order == '>' && a.item_size > 1)
    for (size_t e = 0; e < need; e += a.item_size) std::reverse(&a.data[e], &a.data[e] + a.item_size);
  if (fortran && a.shape.size() > 2) throw fail("Fortran-ordered arrays of rank > 2 are not supported");
  if (fortran && a.shape.size() == 2) {  // column-major -> row-major
    const size_t r = a.shape[0], c = a.shape[1], s = a.item_size;
    std::vector<unsigned char> t(need);
    for (size_t x = 0; x < r; ++x)
      for (size_t y = 0; y < c; ++y) std::memcpy(&t[(x * c + y) * s], &a.data[(y * r + x) * s], s);
    a.data.swap(t);
  }
  return a;
}

}  // namespace iql
