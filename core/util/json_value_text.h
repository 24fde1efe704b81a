// A stored setting's value as the tables and group labels print it ("tau=0.7", "policy=gaussian"):
// strings bare, floats in %g, anything else as JSON. One function, so the compare view's curves,
// the statistics' group labels and the study report name a configuration the same way.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace iql {

std::string json_value_text(const nlohmann::json& value);

}  // namespace iql
