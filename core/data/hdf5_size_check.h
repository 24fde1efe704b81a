// Checks an HDF5 dataset's declared size against what the file can really hold, before a reader
// allocates for it (see size_guard.h for why). A header can declare 2e9 rows of a chunked dataset
// whose chunks were never written: HDF5 then "reads" fill values for all of them, and the reader
// would allocate tens of GB for a 10 kB file.
#pragma once
#include <hdf5.h>

#include <string>
#include <vector>

namespace iql::h5 {

// Throws DataError(path, key, "declares shape ...") when dataset ds of shape dims
//  - is contiguous or unfiltered-chunked and the file stores fewer bytes than it declares
//    (truncated, or never written), or it declares more than the whole file;
//  - is deflate-compressed and its stored chunks could not inflate to the declared size;
//  - keeps its data outside the file (external storage or a virtual dataset);
//  - has chunks larger than 256 MiB (no writer makes them; HDF5 would allocate one per read);
//  - would need more memory than load_budget_bytes() once converted (out_elem bytes per value), on
//    top of `held` bytes the reader already holds for this load (earlier arrays, the data so far):
//    the budget is for the whole load, not for each array alone.
void check_storage(hid_t file, hid_t ds, const std::string& path, const std::string& key,
                   const std::vector<hsize_t>& dims, size_t out_elem, uint64_t held = 0);

}  // namespace iql::h5
