// Requests from another thread (the GUI, a signal handler) to a running training loop. The loop
// checks them between steps; nothing here ever blocks the requesting thread.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
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
  // Applied by the loop at the next step boundary and recorded as an event. In a population the
  // change goes to one member, or to every member when member < 0.
  void request_change(const std::string& name, double value, int64_t member = -1) {
    std::lock_guard<std::mutex> l(m_);
    pending_.push_back({name, value, member});
    has_pending_ = true;
  }
  struct Change {
    std::string name;
    double value = 0.0;
    int64_t member = -1;
  };

  // Loop side.
  bool stop_requested() const { return stop_; }
  bool pause_requested() const { return pause_; }
  std::vector<Change> take_member_changes() {
    if (!has_pending_) return {};
    std::lock_guard<std::mutex> l(m_);
    has_pending_ = false;
    return std::exchange(pending_, {});
  }
  // One-run form: every change, whatever member it named.
  std::vector<std::pair<std::string, double>> take_changes() {
    std::vector<std::pair<std::string, double>> out;
    for (auto& c : take_member_changes()) out.emplace_back(c.name, c.value);
    return out;
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
  std::vector<Change> pending_;
};

}  // namespace iql
