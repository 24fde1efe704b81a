// The CLI's one reporter over the stored-run loop (core/train/stored_run): runs a request with Ctrl-C
// and an optional control file wired to its RunControl, prints progress on stderr (a single run's
// losses and online phase, or a population's members), and prints the outcome on stdout (text or JSON).
#pragma once
#include <string>

#include "core/train/stored_run/stored_run.h"

namespace iql::cli {

int train_and_report(const StoredRunRequest& request, bool json, const std::string& control_file = "");

}  // namespace iql::cli
