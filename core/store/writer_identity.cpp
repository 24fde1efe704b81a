#include "core/store/writer_identity.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <fstream>
#include <sstream>

namespace iql {
namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  if (f) std::getline(f, line);
  return line;
}

std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

bool pid_exists(std::int64_t pid) {
  if (pid <= 0) return false;  // kill(0 or -1, ...) would address groups, never do that
  return kill(pid_t(pid), 0) == 0 || errno != ESRCH;  // EPERM: exists, as another user
}

}  // namespace

const WriterIdentity& WriterIdentity::current() {
  static const WriterIdentity self = [] {
    WriterIdentity w;
    w.host = host_name();
    w.boot_id = read_first_line("/proc/sys/kernel/random/boot_id");
    w.pid = std::int64_t(getpid());
    w.start_ticks = process_start_ticks(w.pid);
    return w;
  }();
  // fork() gives the child a new pid: never report the parent's identity from a child.
  if (self.pid != std::int64_t(getpid())) {
    thread_local WriterIdentity child;
    child.host = self.host;
    child.boot_id = self.boot_id;
    child.pid = std::int64_t(getpid());
    child.start_ticks = process_start_ticks(child.pid);
    return child;
  }
  return self;
}

std::optional<std::int64_t> process_start_ticks(std::int64_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  if (!f) return std::nullopt;
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  const auto close = s.rfind(')');  // comm is "(name)" and the name may contain ") "
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(s.substr(close + 1));
  std::string field;
  // After ')' come fields 3, 4, ...; starttime is field 22, the 20th token.
  for (int i = 3; i <= 22; ++i)
    if (!(rest >> field)) return std::nullopt;
  try {
    return std::stoll(field);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

WriterState writer_state(const std::string& host, const std::string& boot_id, std::int64_t pid,
                         const std::optional<std::int64_t>& start_ticks) {
  const auto& me = WriterIdentity::current();
  if (host.empty()) return pid_exists(pid) ? WriterState::alive : WriterState::gone;  // legacy row
  if (host != me.host) return WriterState::elsewhere;
  if (pid <= 0) return WriterState::gone;
  // Same host, another boot: every process of that boot is gone.
  if (!boot_id.empty() && !me.boot_id.empty() && boot_id != me.boot_id) return WriterState::gone;
  if (pid == me.pid)  // this very process, unless an earlier one had our pid
    return !start_ticks || !me.start_ticks || *start_ticks == *me.start_ticks ? WriterState::alive : WriterState::gone;
  if (!start_ticks) return pid_exists(pid) ? WriterState::alive : WriterState::gone;
  const auto now = process_start_ticks(pid);
  if (!now) return pid_exists(pid) ? WriterState::alive : WriterState::gone;  // no /proc entry readable
  return *now == *start_ticks ? WriterState::alive : WriterState::gone;      // a reused pid is another process
}

}  // namespace iql
