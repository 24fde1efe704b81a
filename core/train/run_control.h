// Requests from another thread (the GUI, a signal handler) to a running training loop. The loop
// checks them between steps; nothing here ever blocks the requesting thread.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace iql {

class RunControl {
public:
  void request_pause() { pause_ = true; }
  void request_resume() {
    { std::lock_guard<std::mutex> l(m_); pause_ = false; }
    cv_.notify_all();
  }
  void request_stop() {
    { std::lock_guard<std::mutex> l(m_); stop_ = true; }
    cv_.notify_all();
  }
  // Applied by the loop at the next step boundary and recorded as an event.
  void request_change(const std::string& name, double value) {
    std::lock_guard<std::mutex> l(m_);
    pending_.emplace_back(name, value);
    has_pending_ = true;
  }

  // Loop side.
  bool stop_requested() const { return stop_; }
  bool pause_requested() const { return pause_; }
  std::vector<std::pair<std::string, double>> take_changes() {
    if (!has_pending_) return {};
    std::lock_guard<std::mutex> l(m_);
    has_pending_ = false;
    return std::exchange(pending_, {});
  }
  // Blocks the loop while paused; returns when resumed or stopped.
  void wait_while_paused() {
    std::unique_lock<std::mutex> l(m_);
    cv_.wait(l, [&] { return !pause_ || stop_; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  std::atomic<bool> pause_{false}, stop_{false}, has_pending_{false};
  std::vector<std::pair<std::string, double>> pending_;
};

}  // namespace iql
