// Parses NumPy .npy arrays (format versions 1.0-3.0) from memory. Torch-free.
// Supported dtypes: little/big-endian float32/float64, signed/unsigned 1-8 byte integers and
// bool ('|b1'); C or Fortran order (Fortran is transposed to row-major for rank <= 2).
// Object arrays ('|O') are pickles: their header is parsed (so callers can skip them by name or
// reject them) but their payload is never read, let alone unpickled.
// Errors throw iql::DataError(file, key, ...).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace iql {

struct NpyArray {
  std::string descr;           // as in the header, e.g. "<f4"
  char kind = 0;               // 'f', 'i', 'u', 'b' or 'O'
  int item_size = 0;           // bytes per element
  std::vector<int64_t> shape;  // () for a scalar
  std::vector<unsigned char> data;  // row-major, native (little) endian; empty for object arrays

  bool is_object() const { return kind == 'O'; }
  int64_t count() const;
  std::string shape_str() const;  // "(11200, 1)", "(56,)"
  double value(size_t i) const;   // element i converted to double
};

// Parses a whole .npy file image. file/key name the source in errors.
NpyArray parse_npy(const unsigned char* bytes, size_t size, const std::string& file, const std::string& key);

}  // namespace iql
