// A small declarative option parser for the `iql` subcommands: each command declares its options
// (with help text), so --help is generated and unknown or malformed options are rejected clearly.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/util/comma_list.h"  // split_comma_list, for the commands' comma-separated values

namespace iql::cli {

struct OptionSpec {
  std::string name;        // without leading dashes
  std::string value_name;  // empty: a boolean flag
  std::string help;
  std::string default_value;
};

class Args {
public:
  Args(std::string command, std::string synopsis, std::string description, std::vector<OptionSpec> specs,
       std::vector<std::string> positional_names = {});
  // Parses argv after the subcommand. Throws ConfigError with a clear message on bad input.
  // Returns false when --help was given (help already printed).
  bool parse(const std::vector<std::string>& argv);
  std::string help() const;

  bool has(const std::string& name) const;
  bool flag(const std::string& name) const { return has(name); }
  std::string str(const std::string& name) const;
  double num(const std::string& name) const;
  long long integer(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Every option given: name -> value ("1" for a flag without value).
  const std::map<std::string, std::string>& given() const { return values_; }

private:
  const OptionSpec* find(const std::string& name) const;
  std::string command_, synopsis_, description_;
  std::vector<OptionSpec> specs_;
  std::vector<std::string> positional_names_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace iql::cli
