#include "core/util/comma_list.h"

#include <sstream>

namespace iql {

std::vector<std::string> split_comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace iql
