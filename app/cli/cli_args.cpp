#include "app/cli/cli_args.h"

#include <cstdio>
#include <sstream>

#include "core/util/errors.h"

namespace iql::cli {

Args::Args(std::string command, std::string synopsis, std::string description, std::vector<OptionSpec> specs,
           std::vector<std::string> positional_names)
    : command_(std::move(command)),
      synopsis_(std::move(synopsis)),
      description_(std::move(description)),
      specs_(std::move(specs)),
      positional_names_(std::move(positional_names)) {}

const OptionSpec* Args::find(const std::string& name) const {
  for (auto& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

bool Args::parse(const std::vector<std::string>& argv) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf("%s", help().c_str());
      return false;
    }
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), value;
      bool inline_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      const OptionSpec* spec = find(name);
      if (!spec) throw ConfigError("iql " + command_ + ": unknown option --" + name + " (see iql " + command_ + " --help)");
      if (spec->value_name.empty()) {
        if (inline_value) throw ConfigError("iql " + command_ + ": --" + name + " takes no value");
        values_[name] = "1";
      } else {
        if (!inline_value) {
          if (i + 1 >= argv.size()) throw ConfigError("iql " + command_ + ": --" + name + " needs a value " + spec->value_name);
          value = argv[++i];
        }
        values_[name] = value;
      }
    } else {
      positional_.push_back(a);
    }
  }
  if (positional_.size() > positional_names_.size())
    throw ConfigError("iql " + command_ + ": unexpected argument '" + positional_[positional_names_.size()] + "'");
  return true;
}

std::string Args::help() const {
  std::ostringstream os;
  os << "usage: iql " << command_ << " " << synopsis_ << "\n\n" << description_ << "\n\noptions:\n";
  for (auto& s : specs_) {
    std::string left = "  --" + s.name + (s.value_name.empty() ? "" : " " + s.value_name);
    os << left;
    os << std::string(left.size() < 30 ? 30 - left.size() : 1, ' ') << s.help;
    if (!s.default_value.empty()) os << " [default: " << s.default_value << "]";
    os << "\n";
  }
  os << "  --help" << std::string(24, ' ') << "show this help\n";
  return os.str();
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0; }

std::string Args::str(const std::string& name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  if (auto* s = find(name)) return s->default_value;
  return {};
}

double Args::num(const std::string& name) const {
  const std::string v = str(name);
  try {
    size_t used = 0;
    double d = std::stod(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return d;
  } catch (const std::exception&) {
    throw ConfigError("iql " + command_ + ": --" + name + " expects a number, got '" + v + "'");
  }
}

long long Args::integer(const std::string& name) const {
  const std::string v = str(name);
  try {
    size_t used = 0;
    long long d = std::stoll(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return d;
  } catch (const std::exception&) {
    throw ConfigError("iql " + command_ + ": --" + name + " expects an integer, got '" + v + "'");
  }
}

}  // namespace iql::cli
