#include "core/data/hdf5_size_check.h"

#include <algorithm>

#include "core/data/hdf5_handle.h"
#include "core/data/size_guard.h"
#include "core/util/errors.h"

namespace iql::h5 {

namespace {
constexpr uint64_t kMaxChunkBytes = uint64_t(256) << 20;
}

void check_storage(hid_t file, hid_t ds, const std::string& path, const std::string& key,
                   const std::vector<hsize_t>& dims, size_t out_elem, uint64_t held) {
  const std::vector<uint64_t> d64(dims.begin(), dims.end());
  const uint64_t count = product_sat(d64);
  if (count == 0) return;
  const std::string shape = shape_str(dims);
  H5Id type(H5Dget_type(ds), H5Tclose);
  const size_t elem = type.ok() ? H5Tget_size(type) : 0;
  if (elem == 0) throw DataError(path, key, "cannot read its element type (corrupt file?)");
  const uint64_t declared = mul_sat(count, elem);
  auto refuse = [&](const std::string& why) {
    throw DataError(path, key, "declares shape " + shape + " (" + human_bytes(declared) + ") but " + why);
  };

  H5Id dcpl(H5Dget_create_plist(ds), H5Pclose);
  if (!dcpl.ok()) throw DataError(path, key, "cannot read its storage layout (corrupt file?)");
  if (H5Pget_external_count(dcpl) > 0) refuse("keeps its data in external files, expected data inside this file");
  const H5D_layout_t layout = H5Pget_layout(dcpl);
  if (layout == H5D_VIRTUAL) refuse("is a virtual dataset mapped from other files, expected data inside this file");
  hsize_t file_size = 0;
  if (H5Fget_filesize(file, &file_size) < 0) throw DataError(path, "", "cannot read the file size");
  const uint64_t stored = H5Dget_storage_size(ds);

  bool bounded_by_storage = layout == H5D_CONTIGUOUS || layout == H5D_COMPACT;
  bool inflate_bounded = false;
  if (layout == H5D_CHUNKED) {
    std::vector<hsize_t> chunk(dims.size(), 0);
    if (H5Pget_chunk(dcpl, int(chunk.size()), chunk.data()) != int(chunk.size()))
      throw DataError(path, key, "cannot read its chunk shape (corrupt file?)");
    const uint64_t chunk_bytes = mul_sat(product_sat(std::vector<uint64_t>(chunk.begin(), chunk.end())), elem);
    if (chunk_bytes > kMaxChunkBytes)
      refuse("has chunks of " + shape_str(chunk) + " (" + human_bytes(chunk_bytes) + " each), larger than " +
             human_bytes(kMaxChunkBytes) + "; no writer makes such chunks (corrupt file?)");
    const int nfilters = H5Pget_nfilters(dcpl);
    if (nfilters == 0) bounded_by_storage = true;
    inflate_bounded = nfilters > 0;
    for (int i = 0; i < nfilters; ++i) {  // ratio bound known only for deflate (+ shuffle/checksum)
      unsigned flags = 0, cd[8];
      size_t ncd = 8;
      const H5Z_filter_t f = H5Pget_filter2(dcpl, unsigned(i), &flags, &ncd, cd, 0, nullptr, nullptr);
      if (f != H5Z_FILTER_DEFLATE && f != H5Z_FILTER_SHUFFLE && f != H5Z_FILTER_FLETCHER32) inflate_bounded = false;
    }
  }
  if (bounded_by_storage && (stored < declared || declared > file_size))
    refuse("only " + human_bytes(std::min<uint64_t>(stored, file_size)) + " of it are stored in the " +
           human_bytes(file_size) + " file (never written, truncated or corrupt)");
  if (inflate_bounded && declared > max_inflated_bytes(stored))
    refuse("its compressed data is only " + human_bytes(stored) + ", which cannot inflate to that (never written or corrupt)");
  check_fits_memory(path, key, shape, add_sat(held, mul_sat(count, out_elem)));
}

}  // namespace iql::h5
