// Live control of a headless run through a text file (`iql train --control FILE`): each line appended
// to FILE is one request, applied at the next step boundary like the GUI's:
//   NAME VALUE [MEMBER]   change a live setting of train_settings.h (key or alias such as tau/beta;
//                         MEMBER: one population member); other names are malformed lines
//   pause | resume | stop
// A thread polls the file twice a second; malformed lines are reported through `on_error` and skipped.
#pragma once
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/train/run_control.h"

namespace iql {

class ControlFileWatcher {
public:
  ControlFileWatcher(std::string path, RunControl& control, std::function<void(const std::string&)> on_error = {});
  ~ControlFileWatcher();  // stops the polling thread
  // Reads whatever was appended since the last call and forwards it (also called by the thread).
  void poll();

private:
  std::string path_;
  RunControl& control_;
  std::function<void(const std::string&)> on_error_;
  long long offset_ = 0;
  std::string partial_;
  std::mutex mutex_;
  std::atomic<bool> quit_{false};
  std::thread thread_;
};

// One control line -> the request it makes on `control`; false (with `why`) when it is malformed.
bool apply_control_line(const std::string& line, RunControl& control, std::string* why);

}  // namespace iql
