#include "core/data/crash_isolation.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "core/util/errors.h"

namespace iql {
namespace {

// Child -> parent message: a tag byte, then fields separated by '\0'.
//   'D' file key problem   a DataError (rethrown with the same file and key)
//   'U' message            any other error (rethrown as a DataError on the file)
void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

[[noreturn]] void child_main(int fd, const std::function<void()>& read) {
  // A fault must kill the child quietly, whatever handlers the parent installed (Qt, ASan).
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) signal(sig, SIG_DFL);
  int code = 0;
  try {
    read();
  } catch (const DataError& e) {
    std::string what = e.what();
    std::string prefix = e.file() + ": " + (e.key().empty() ? std::string() : "'" + e.key() + "': ");
    if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
    write_all(fd, std::string("D") + e.file() + '\0' + e.key() + '\0' + what);
    code = 3;
  } catch (const std::exception& e) {
    write_all(fd, std::string("U") + e.what());
    code = 4;
  } catch (...) {
    write_all(fd, "Uunknown error");
    code = 4;
  }
  _exit(code);  // no atexit handlers, no stdio flush of the parent's buffers, no leak check
}

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return std::string("SIG") + (name ? name : std::to_string(sig));
}

}  // namespace

std::mutex& hdf5_mutex() {
  static std::mutex m;
  return m;
}

void check_in_child(const std::string& file, const std::function<void()>& read, int timeout_s) {
  if (const char* off = std::getenv("IQL_NO_CRASH_ISOLATION"); off && *off == '1') {
    read();
    return;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw DataError(file, "", std::string("cannot check it: pipe: ") + std::strerror(errno));
  pid_t pid;
  {
    std::lock_guard<std::mutex> lock(hdf5_mutex());  // nobody inside libhdf5 while we fork
    pid = fork();
  }
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw DataError(file, "", std::string("cannot check it: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    child_main(fds[1], read);
  }
  close(fds[1]);
  std::string msg;
  bool timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (;;) {  // read the child's message until it closes the pipe (exits) or the deadline passes
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    msg.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    throw DataError(file, "", "reading it did not finish within " + std::to_string(timeout_s) +
                                  " s (a corrupt file can make libhdf5 loop); stopped");
  if (WIFSIGNALED(status))
    throw DataError(file, "", "the HDF5 library crashed (" + signal_text(WTERMSIG(status)) +
                                  ") while reading this file: it is corrupt or was not written by an HDF5 "
                                  "library (this process was protected by reading it in a child process first)");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  if (!msg.empty() && msg[0] == 'D') {
    const size_t a = msg.find('\0', 1), b = a == std::string::npos ? a : msg.find('\0', a + 1);
    if (b != std::string::npos) throw DataError(msg.substr(1, a - 1), msg.substr(a + 1, b - a - 1), msg.substr(b + 1));
  }
  if (!msg.empty() && msg[0] == 'U') throw DataError(file, "", msg.substr(1));
  throw DataError(file, "", "reading it failed in the checking process (exit status " +
                                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                                "): the file is corrupt");
}

}  // namespace iql
