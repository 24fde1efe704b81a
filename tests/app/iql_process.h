// Runs the built `iql` CLI as a real process for the app tests, with XDG_DATA_HOME pointed at the
// test's own folder so nothing touches the user's data. A run past timeout_ms gives code -1 and
// "timeout" as its stderr.
#pragma once
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace iql::test {

struct IqlResult {
  int code;
  QString out, err;
};

inline IqlResult run_iql(const QStringList& args, const QString& home, int timeout_ms) {
  QProcess p;
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("XDG_DATA_HOME", home);
  p.setProcessEnvironment(env);
  p.start(IQL_CLI_PATH, args);
  if (!p.waitForFinished(timeout_ms)) return {-1, {}, "timeout"};
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace iql::test
