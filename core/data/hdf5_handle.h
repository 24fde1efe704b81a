// Small HDF5 helpers shared by the D4RL and Minari readers/writers.
#pragma once
#include <hdf5.h>

#include <string>
#include <vector>

namespace iql::h5 {

// Closes an HDF5 id on scope exit, so every throw path releases the file.
class H5Id {
public:
  H5Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~H5Id() {
    if (id_ >= 0) close_(id_);
  }
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  operator hid_t() const { return id_; }
  bool ok() const { return id_ >= 0; }
  // Closes now (writers check the result: a failed close can mean unflushed data).
  herr_t close() {
    herr_t rc = id_ >= 0 ? close_(id_) : 0;
    id_ = -1;
    return rc;
  }

private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// "(N, d)" / "(N,)" as numpy prints shapes, for error messages.
inline std::string shape_str(const std::vector<hsize_t>& dims) {
  std::string s = "(";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

// The innermost entry of HDF5's error stack for the last failure (it carries the system error), so an
// error message can say why a create or write failed instead of guessing. Empty when the stack is.
inline std::string last_error() {
  std::string out;
  auto walk = [](unsigned n, const H5E_error2_t* e, void* data) -> herr_t {
    auto* s = static_cast<std::string*>(data);
    if (n == 0) *s += std::string(s->empty() ? "" : "; ") + e->func_name + ": " + (e->desc ? e->desc : "");
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk, &out);
  return out;
}

}  // namespace iql::h5
