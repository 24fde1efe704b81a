// libFuzzer harness: format detection by content (HDF5 signature + Minari episode groups, zip
// signature, anything else refused) on arbitrary bytes; then the reader it picks, so the
// dispatch is fuzzed end to end.
#include <sys/stat.h>

#include "core/data/dataset_loader.h"
#include "core/util/errors.h"
#include "fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  iql::fuzz::limit_budget();
  mkdir(iql::fuzz::scratch_dir().c_str(), 0700);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = iql::fuzz::scratch_dir() + "/input.bin";
  iql::fuzz::write_file(path, data, size);
  try {
    (void)iql::format_name(iql::detect_format(path));
    iql::read_dataset_file(path);
  } catch (const iql::UserError&) {
  }
  return 0;
}
