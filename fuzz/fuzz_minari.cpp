// libFuzzer harness: read_minari on a dataset directory whose data/main_data.hdf5 is the input.
// When the input holds the separator line "\n#metadata.json\n", what follows it becomes
// data/metadata.json, so the JSON path is fuzzed too.
#include <sys/stat.h>

#include <cstring>

#include "core/data/minari_reader.h"
#include "core/util/errors.h"
#include "fuzz/fuzz_input_file.h"

namespace {
const char kSep[] = "\n#metadata.json\n";
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  iql::fuzz::limit_budget();
  mkdir(iql::fuzz::scratch_dir().c_str(), 0700);
  mkdir((iql::fuzz::scratch_dir() + "/minari").c_str(), 0700);
  mkdir((iql::fuzz::scratch_dir() + "/minari/data").c_str(), 0700);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string dir = iql::fuzz::scratch_dir() + "/minari";
  const uint8_t* sep = static_cast<const uint8_t*>(memmem(data, size, kSep, sizeof kSep - 1));
  const size_t h5 = sep ? size_t(sep - data) : size;
  iql::fuzz::write_file(dir + "/data/main_data.hdf5", data, h5);
  const std::string json = dir + "/data/metadata.json";
  if (sep) iql::fuzz::write_file(json, sep + sizeof kSep - 1, size - h5 - (sizeof kSep - 1));
  else unlink(json.c_str());
  try {
    iql::read_minari(dir);
  } catch (const iql::UserError&) {
  }
  return 0;
}
