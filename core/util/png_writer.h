// Writes an 8-bit RGB PNG with zlib (no image library needed in core). Throws DataError(path, ...)
// when the file cannot be written.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace iql {

// rgb: width * height * 3 bytes, row-major from the top row.
void write_png_rgb(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb);

}  // namespace iql
