// libFuzzer harness: read_npz_rollouts on arbitrary bytes (zip container, deflate, .npy headers),
// and parse_npy on the same bytes as a bare .npy image.
#include <sys/stat.h>

#include "core/data/npy.h"
#include "core/data/npz_reader.h"
#include "core/util/errors.h"
#include "fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  iql::fuzz::limit_budget();
  mkdir(iql::fuzz::scratch_dir().c_str(), 0700);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const iql::NpyArray a = iql::parse_npy(data, size, "input.npy", "x");
    if (!a.is_object())
      for (int64_t i = 0; i < a.count() && i < 64; ++i) (void)a.value(size_t(i));
  } catch (const iql::UserError&) {
  }
  const std::string path = iql::fuzz::scratch_dir() + "/input.npz";
  iql::fuzz::write_file(path, data, size);
  try {
    iql::read_npz_rollouts(path);
  } catch (const iql::UserError&) {
  }
  return 0;
}
