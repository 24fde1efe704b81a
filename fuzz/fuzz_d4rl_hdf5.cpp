// libFuzzer harness: read_d4rl_hdf5 on arbitrary bytes. A DataError is the expected answer to a bad
// file; any other exception, crash, leak or allocation over the limit is a finding.
#include <sys/stat.h>

#include "core/data/d4rl_hdf5_reader.h"
#include "core/util/errors.h"
#include "fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  iql::fuzz::limit_budget();
  mkdir(iql::fuzz::scratch_dir().c_str(), 0700);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = iql::fuzz::scratch_dir() + "/input.hdf5";
  iql::fuzz::write_file(path, data, size);
  try {
    iql::read_d4rl_hdf5(path);
  } catch (const iql::UserError&) {
  }
  return 0;
}
