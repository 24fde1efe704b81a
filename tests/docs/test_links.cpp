// Every relative link and image in README.md and docs/**/*.md must resolve to an existing file or
// folder, and a link's #anchor must name a heading of the page it points to (GitHub's heading ids).
// External links (http:, https:, mailto:) are not fetched. Links inside code are not links.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

QString readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The prose of a Markdown page, line by line: fenced and indented code blocks emptied, inline code
// spans blanked.
QStringList proseLines(const QString& text) {
  QStringList out;
  bool fenced = false;
  static const QRegularExpression inlineCode("`[^`]*`");
  for (QString line : text.split('\n')) {
    const QString trimmed = line.trimmed();
    if (trimmed.startsWith(QLatin1String("```")) || trimmed.startsWith(QLatin1String("~~~"))) {
      fenced = !fenced;
      out << QString();  // one entry per line, so messages give the file's line numbers
      continue;
    }
    const bool code = fenced || line.startsWith(QLatin1String("    ")) || line.startsWith('\t');
    out << (code ? QString() : line.replace(inlineCode, QStringLiteral("code")));
  }
  return out;
}

// GitHub's id of a heading: lower case, characters other than letters, digits, spaces, '-' and '_'
// dropped, spaces turned into '-'; the n-th repeat of an id gets "-n".
QString slug(const QString& heading) {
  QString s;
  for (QChar c : heading.toLower())
    if (c.isLetterOrNumber() || c == '-' || c == '_') s += c;
    else if (c == ' ') s += '-';
  return s;
}

QSet<QString> anchorsOf(const QString& markdown) {
  QSet<QString> ids;
  QMap<QString, int> seen;
  bool fenced = false;
  static const QRegularExpression heading("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  for (const QString& line : markdown.split('\n')) {
    if (line.trimmed().startsWith(QLatin1String("```"))) fenced = !fenced;
    if (fenced) continue;
    const auto m = heading.match(line);
    if (!m.hasMatch()) continue;
    const QString id = slug(m.captured(1));
    const int n = seen[id]++;
    ids.insert(n == 0 ? id : id + "-" + QString::number(n));
  }
  return ids;
}

// "file.md:12: target (why)" for every link of `page` that does not resolve.
QStringList brokenLinks(const QString& page) {
  QStringList broken;
  static const QRegularExpression mdLink("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  static const QRegularExpression htmlLink("<(?:img|a)\\b[^>]*\\b(?:src|href)=\"([^\"]+)\"");
  static const QRegularExpression external("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  const QFileInfo pageInfo(page);
  const QStringList lines = proseLines(readAll(page));
  for (int i = 0; i < lines.size(); ++i) {
    for (const auto* re : {&mdLink, &htmlLink}) {
      for (auto it = re->globalMatch(lines[i]); it.hasNext();) {
        const QString target = it.next().captured(1);
        if (external.match(target).hasMatch()) continue;
        const int hash = target.indexOf('#');
        const QString path = hash < 0 ? target : target.left(hash);
        const QString anchor = hash < 0 ? QString() : target.mid(hash + 1);
        const QString resolved = path.isEmpty() ? pageInfo.absoluteFilePath()
                                                : QDir::cleanPath(pageInfo.absoluteDir().filePath(path));
        const QString where = QStringLiteral("%1:%2: %3").arg(page).arg(i + 1).arg(target);
        if (!QFileInfo::exists(resolved)) {
          broken << where + " (no such file)";
        } else if (!anchor.isEmpty() && resolved.endsWith(QLatin1String(".md")) &&
                   !anchorsOf(readAll(resolved)).contains(anchor)) {
          broken << where + " (no heading with that id)";
        }
      }
    }
  }
  return broken;
}

}  // namespace

class TestLinks : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void headingIdsFollowGitHub() {
    QCOMPARE(slug("The `iql` command line"), QStringLiteral("the-iql-command-line"));
    QCOMPARE(slug("Hostile files, concurrent writers, fuzzing and sanitizers"),
             QStringLiteral("hostile-files-concurrent-writers-fuzzing-and-sanitizers"));
    QCOMPARE(slug("AntMaze (D4RL -v2)"), QStringLiteral("antmaze-d4rl--v2"));
    QCOMPARE(slug("iql runs list"), QStringLiteral("iql-runs-list"));
    QCOMPARE(anchorsOf("# A\n## Speed\n```\n# not a heading\n```\n## Speed\n"),
             (QSet<QString>{"a", "speed", "speed-1"}));
  }

  // The checker itself can fail: a page with one good and three bad links and a link in code.
  void brokenLinksAreFound() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile other(dir.filePath("other.md"));
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.write("# Other page\n## Its part\n");
    other.close();
    QFile page(dir.filePath("page.md"));
    QVERIFY(page.open(QIODevice::WriteOnly));
    page.write("# Page\nSee [other](other.md#its-part), [gone](gone.md), ![pic](images/x.png),\n"
               "[bad anchor](other.md#nope), [web](https://example.org/x.md), `[code](no.md)`.\n"
               "\n    [indented code](no.md)\n");
    page.close();
    const QStringList broken = brokenLinks(dir.filePath("page.md"));
    QCOMPARE(broken.size(), 3);
    QVERIFY(broken[0].contains("gone.md (no such file)"));
    QVERIFY(broken[1].contains("images/x.png (no such file)"));
    QVERIFY(broken[2].contains("other.md#nope (no heading with that id)"));
  }

  void everyLinkInReadmeAndDocsResolves() {
    const QDir source(QStringLiteral(IQL_SOURCE_DIR));
    QStringList pages{source.filePath("README.md")};
    for (QDirIterator it(source.filePath("docs"), {"*.md"}, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
      pages << it.next();
    QVERIFY2(pages.size() >= 5, "README.md and the docs/ pages were not found");
    QStringList broken;
    for (const QString& page : pages) broken << brokenLinks(page);
    QVERIFY2(broken.isEmpty(), qPrintable("broken links:\n  " + broken.join("\n  ")));
  }
};

QTEST_GUILESS_MAIN(TestLinks)
#include "test_links.moc"
