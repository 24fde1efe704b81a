// Who writes a run, precisely enough to tell, from any process, whether that writer still lives.
// A pid alone is not enough: pids are reused, and a store on a shared filesystem is read from other
// hosts whose pids mean nothing here. So a writer is (host name, boot id, pid, process start time in
// clock ticks since boot, /proc/<pid>/stat field 22). Only a writer on this host and this boot can be
// declared dead; one on another host is never judged.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace iql {

struct WriterIdentity {
  std::string host;     // gethostname()
  std::string boot_id;  // /proc/sys/kernel/random/boot_id; empty where unavailable
  std::int64_t pid = 0;
  std::optional<std::int64_t> start_ticks;  // /proc/<pid>/stat field 22; empty where unavailable

  // The calling process (computed once, cached).
  static const WriterIdentity& current();
};

// Start time (field 22 of /proc/<pid>/stat) of a live process, or nullopt when there is no such
// process (or no /proc). Parses past the command name, which may hold spaces and ')'.
std::optional<std::int64_t> process_start_ticks(std::int64_t pid);

// What is known about a recorded writer from this process.
enum class WriterState {
  alive,       // this host, and the same process is running
  gone,        // this host, and the process is gone (no such pid, another start time, or a reboot)
  elsewhere,   // another host (or an unknown one): never judged
};

// `host` empty means a row written before hosts were recorded (schema 1): judged by pid alone, as
// those versions did. A pid <= 0 on this host counts as gone.
WriterState writer_state(const std::string& host, const std::string& boot_id, std::int64_t pid,
                         const std::optional<std::int64_t>& start_ticks);

}  // namespace iql
