// Typed errors users can cause. Each names where the problem is (file, key) and what was expected,
// so the CLI can print it and the GUI can show it without guessing.
#pragma once
#include <stdexcept>
#include <string>

namespace iql {

// Base for every error a user can cause (bad file, bad argument, mismatch).
class UserError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A dataset file is missing a key, has the wrong shape/dtype, holds NaN/Inf, or is corrupt.
class DataError : public UserError {
public:
  DataError(std::string file, std::string key, const std::string& problem)
      : UserError(file + ": " + (key.empty() ? std::string() : "'" + key + "': ") + problem),
        file_(std::move(file)), key_(std::move(key)) {}
  const std::string& file() const { return file_; }
  const std::string& key() const { return key_; }

private:
  std::string file_;
  std::string key_;
};

// Bad configuration value or command-line argument.
class ConfigError : public UserError {
public:
  using UserError::UserError;
};

// The run store could not be opened or written.
class StoreError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace iql
