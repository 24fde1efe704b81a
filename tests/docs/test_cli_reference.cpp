// docs/reference/cli.md is generated from the program (packaging/gen-cli-reference.sh runs
// `iql --help` and every command's and subcommand's --help). This test regenerates it from the built
// iql into a temporary file and fails when the committed file differs, naming each command whose
// section changed and the one command that regenerates it, so the reference cannot drift.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

QString readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// "## iql runs list" -> its text, for every section of a generated reference.
QMap<QString, QString> sections(const QString& text) {
  QMap<QString, QString> out;
  QString current = QStringLiteral("(preamble)");
  QStringList lines = text.split('\n');
  if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();  // the file's final newline
  for (const QString& line : lines) {
    if (line.startsWith(QLatin1String("## "))) current = line.mid(3);
    out[current] += line + '\n';
  }
  return out;
}

}  // namespace

class TestCliReference : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void sectionsSplitAtCommandHeadings() {
    const auto s = sections("# Command reference\nintro\n## iql\nusage\n## iql runs list\nlist usage\n");
    QCOMPARE(s.keys(), (QStringList{"(preamble)", "iql", "iql runs list"}));
    QCOMPARE(s.value("iql runs list"), QStringLiteral("## iql runs list\nlist usage\n"));
  }

  void committedReferenceMatchesTheProgram() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString source = QStringLiteral(IQL_SOURCE_DIR);
    const QString generated = tmp.filePath("cli.md");
    QProcess gen;
    gen.setProcessChannelMode(QProcess::MergedChannels);
    gen.start("bash", {source + "/packaging/gen-cli-reference.sh", QStringLiteral(IQL_CLI_PATH), generated});
    QVERIFY(gen.waitForFinished(600000));
    QVERIFY2(gen.exitCode() == 0, gen.readAll().constData());

    const QString fresh = readAll(generated);
    const QString committed = readAll(source + "/docs/reference/cli.md");
    QVERIFY2(fresh.contains("## iql train\n"), "the generated reference has no 'iql train' section");
    if (fresh == committed) return;
    const auto now = sections(fresh), then = sections(committed);
    QStringList differ;
    for (auto it = now.begin(); it != now.end(); ++it)
      if (!then.contains(it.key())) differ << "new: " + it.key();
      else if (then.value(it.key()) != it.value()) differ << "changed: " + it.key();
    for (auto it = then.begin(); it != then.end(); ++it)
      if (!now.contains(it.key())) differ << "gone: " + it.key();
    QFAIL(qPrintable("docs/reference/cli.md differs from the built iql's --help (" + differ.join("; ") +
                     "). Regenerate it: bash packaging/gen-cli-reference.sh " + QStringLiteral(IQL_CLI_PATH)));
  }
};

QTEST_GUILESS_MAIN(TestCliReference)
#include "test_cli_reference.moc"
