// SHA-256 (FIPS 180-4), small and dependency-free so the store needs no OpenSSL.
// Used to fingerprint checkpoint files.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace iql {

class Sha256 {
public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(const std::string& s) { update(s.data(), s.size()); }
  // Finishes the hash; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();
  std::string hex_digest();

  static std::string hex(const std::string& message);
  // Throws StoreError if the file cannot be read.
  static std::string hex_file(const std::string& path);

private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t buf_len_ = 0;
  std::uint64_t total_bytes_ = 0;
};

}  // namespace iql
