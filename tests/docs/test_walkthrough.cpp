// The README's five-minute walkthrough must work as written: this test runs every command of the
// fenced blocks that follow a `<!-- walkthrough -->` comment, in order, as one bash script, at small
// sizes (scaledDown: 300 steps, evaluations every 100 steps of 2 episodes) in a fresh home and data
// folder, and fails naming the command when one exits non-zero. The workbench command saves one
// screenshot on Qt's offscreen platform and quits instead of waiting for clicks.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

// The commands of the walkthrough: the non-empty, non-comment lines of every fenced block that
// directly follows a `<!-- walkthrough -->` comment, in the README's order.
QStringList walkthroughCommands(const QString& readme) {
  QStringList commands;
  const QLatin1String marker("<!-- walkthrough -->");
  for (int at = readme.indexOf(marker); at >= 0; at = readme.indexOf(marker, at + marker.size())) {
    const int open = readme.indexOf(QLatin1String("```"), at);
    const int bodyStart = readme.indexOf('\n', open) + 1;
    const int close = readme.indexOf(QLatin1String("\n```"), bodyStart - 1);
    if (open < 0 || bodyStart <= 0 || close < 0) break;
    for (const QString& line : readme.mid(bodyStart, qMax(0, close - bodyStart)).split('\n')) {
      const QString t = line.trimmed();
      if (!t.isEmpty() && !t.startsWith('#')) commands << t;
    }
  }
  return commands;
}

// A walkthrough command at test size: training steps, evaluation interval and episodes scaled down.
QString scaledDown(QString command) {
  command.replace(QRegularExpression("--steps \\d+"), "--steps 300");
  command.replace(QRegularExpression("--eval-interval \\d+"), "--eval-interval 100");
  if (command.contains("--eval-episodes"))
    command.replace(QRegularExpression("--eval-episodes \\d+"), "--eval-episodes 2");
  else
    command.replace(QRegularExpression("\\biql train "), "iql train --eval-episodes 2 ");
  return command;
}

}  // namespace

class TestWalkthrough : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void scalingTouchesOnlySizes() {
    QCOMPARE(scaledDown("iql train --dataset pendulum-medium --steps 10000 --eval-interval 1000 --beta 3"),
             QStringLiteral("iql train --eval-episodes 2 --dataset pendulum-medium --steps 300 --eval-interval 100 --beta 3"));
    QCOMPARE(scaledDown("iql train --eval-episodes 10 --steps 5"), QStringLiteral("iql train --eval-episodes 2 --steps 300"));
    QCOMPARE(scaledDown("iql runs list --db walk.db"), QStringLiteral("iql runs list --db walk.db"));
    QCOMPARE(walkthroughCommands("x\n<!-- walkthrough -->\n```sh\n# a comment\niql a\n\n  iql b  \n```\niql c\n"
                                 "<!-- walkthrough -->\n\n```sh\niql d\n```\n```sh\niql e\n```\n"),
             (QStringList{"iql a", "iql b", "iql d"}));
  }

  void everyWalkthroughCommandSucceeds() {
    QFile readme(QStringLiteral(IQL_SOURCE_DIR "/README.md"));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    const QStringList commands = walkthroughCommands(QString::fromUtf8(readme.readAll()));
    QVERIFY2(commands.size() >= 4, "README.md has no walkthrough blocks (```sh after <!-- walkthrough -->)");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString appDir = QFileInfo(QStringLiteral(IQL_CLI_PATH)).absolutePath();
    const QString shot = dir.filePath("walkthrough-window.png");
    bool workbench = false;
    QString script = "set -euo pipefail\n"
                     "trap 'echo \"walkthrough command failed: $BASH_COMMAND\" >&2' ERR\n";
    for (QString c : commands) {
      c.replace("$PWD/build-release/app", appDir).replace("./build-release/app", appDir);
      if (c.contains("iql-workbench")) {
#ifdef IQL_WORKBENCH_PATH
        QVERIFY2(QFileInfo::exists(QStringLiteral(IQL_WORKBENCH_PATH)), "build iql-workbench first (a full build does)");
        c += " --screenshot " + shot;
        workbench = true;
#else
        qWarning("no GUI in this build: skipping '%s'", qPrintable(c));
        continue;
#endif
      }
      c = scaledDown(c);
      script += "echo '+ " + QString(c).replace('\'', "'\\''") + "'\n" + c + "\n";
    }

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* var : {"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"})
      env.insert(var, dir.filePath(QString(var).toLower()));
    env.insert("QT_QPA_PLATFORM", "offscreen");
    QProcess bash;
    bash.setProcessEnvironment(env);
    bash.setWorkingDirectory(dir.path());
    bash.setProcessChannelMode(QProcess::MergedChannels);
    bash.start("bash", {"-c", script});
    QVERIFY(bash.waitForFinished(900000));
    const QString out = QString::fromUtf8(bash.readAll());
    if (bash.exitStatus() != QProcess::NormalExit || bash.exitCode() != 0) {
      fprintf(stderr, "%s\n", qPrintable(out));  // the whole transcript; QFAIL's message is cut short
      const int failed = out.lastIndexOf("walkthrough command failed: ");
      QFAIL(qPrintable(failed >= 0 ? out.mid(failed).section('\n', 0, 0)
                                   : QStringLiteral("the walkthrough script ended with exit code %1").arg(bash.exitCode())));
    }
    if (workbench) QVERIFY2(QFileInfo(shot).size() > 0, "the workbench command saved no window picture");
  }
};

QTEST_GUILESS_MAIN(TestWalkthrough)
#include "test_walkthrough.moc"
