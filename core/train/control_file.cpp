#include "core/train/control_file.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "core/config/train_settings.h"

namespace iql {

bool apply_control_line(const std::string& line, RunControl& control, std::string* why) {
  std::istringstream in(line);
  std::string word;
  if (!(in >> word) || word[0] == '#') return true;  // blank or comment
  if (word == "pause") return control.request_pause(), true;
  if (word == "resume") return control.request_resume(), true;
  if (word == "stop") return control.request_stop(), true;
  double value = 0;
  if (!(in >> value)) {
    if (why) *why = "'" + line + "': expected NAME VALUE [MEMBER], pause, resume or stop";
    return false;
  }
  const TrainSetting* setting = find_setting(word);  // a key or an alias (tau, beta)
  if (!setting || !setting->live) {
    std::string live;
    for (const auto& name : live_hyperparameters()) live += (live.empty() ? "" : ", ") + name;
    if (why) *why = "'" + line + "': " + word + " is not a live hyperparameter (" + live + ")";
    return false;
  }
  long long member = -1;
  if (in >> member) {
    if (member < 0) {
      if (why) *why = "'" + line + "': MEMBER must be >= 0";
      return false;
    }
  }
  control.request_change(setting->key, value, member);
  return true;
}

ControlFileWatcher::ControlFileWatcher(std::string path, RunControl& control,
                                       std::function<void(const std::string&)> on_error)
    : path_(std::move(path)), control_(control), on_error_(std::move(on_error)) {
  {
    std::ifstream f(path_, std::ios::binary | std::ios::ate);
    if (f) offset_ = f.tellg();  // only lines written after the run started count
  }
  thread_ = std::thread([this] {
    while (!quit_) {
      poll();
      for (int i = 0; i < 5 && !quit_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
}

ControlFileWatcher::~ControlFileWatcher() {
  quit_ = true;
  if (thread_.joinable()) thread_.join();
}

void ControlFileWatcher::poll() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ifstream f(path_, std::ios::binary);
  if (!f) return;
  f.seekg(0, std::ios::end);
  const long long size = f.tellg();
  if (size < offset_) offset_ = 0;  // truncated or replaced: start over
  if (size == offset_) return;
  f.seekg(offset_);
  std::string chunk(static_cast<size_t>(size - offset_), '\0');
  f.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  offset_ = size;
  partial_ += chunk;
  size_t nl;
  while ((nl = partial_.find('\n')) != std::string::npos) {
    const std::string line = partial_.substr(0, nl);
    partial_.erase(0, nl + 1);
    std::string why;
    if (!apply_control_line(line, control_, &why) && on_error_) on_error_(why);
  }
}

}  // namespace iql
