// resource_dir(): $IQL_RESOURCE_DIR first, then the installed share/iql-workbench beside the
// executable's prefix (only when it holds mjcf/), then the compiled-in source tree.
#include <QtTest/QtTest>

#include <QDir>
#include <QTemporaryDir>

#include <string>

#include "core/env/resource_dir.h"

class TestResourceDir : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void init();
  void environmentWinsOverInstalled();
  void emptyEnvironmentIsUnset();
  void installedBesideExecutable();
  void installedWithoutModelsIsSkipped();
  void unknownExecutableFallsBackToCompiledIn();
  void buildTreeProgramReadsSourceTree();

private:
  QTemporaryDir prefix_;  // a fake install prefix: bin/ and, where a test says so, share/iql-workbench/mjcf/
  std::string exe_;       // <prefix>/bin/iql
};

void TestResourceDir::init() {
  QVERIFY(prefix_.isValid());
  QDir(prefix_.path()).removeRecursively();
  QVERIFY(QDir().mkpath(prefix_.path() + "/bin"));
  exe_ = (prefix_.path() + "/bin/iql").toStdString();
}

void TestResourceDir::environmentWinsOverInstalled() {
  QVERIFY(QDir().mkpath(prefix_.path() + "/share/iql-workbench/mjcf"));
  QCOMPARE(iql::resolve_resource_dir("/from/env", exe_, "/compiled/in"), std::string("/from/env"));
  // used as given, even where it does not exist, so a wrong value is reported by name
  QCOMPARE(iql::resolve_resource_dir("/nonexistent", exe_, "/compiled/in"), std::string("/nonexistent"));
}

void TestResourceDir::emptyEnvironmentIsUnset() {
  QVERIFY(QDir().mkpath(prefix_.path() + "/share/iql-workbench/mjcf"));
  const std::string installed = (prefix_.path() + "/share/iql-workbench").toStdString();
  QCOMPARE(iql::resolve_resource_dir("", exe_, "/compiled/in"), installed);
  QCOMPARE(iql::resolve_resource_dir(nullptr, exe_, "/compiled/in"), installed);
}

void TestResourceDir::installedBesideExecutable() {
  QVERIFY(QDir().mkpath(prefix_.path() + "/share/iql-workbench/mjcf"));
  // <prefix>/bin/iql -> <prefix>/share/iql-workbench, with no ".." left in the path
  QCOMPARE(iql::resolve_resource_dir(nullptr, exe_, "/compiled/in"),
           (prefix_.path() + "/share/iql-workbench").toStdString());
}

void TestResourceDir::installedWithoutModelsIsSkipped() {
  // a share/iql-workbench that lacks mjcf/ is not ours (or is broken): keep looking
  QVERIFY(QDir().mkpath(prefix_.path() + "/share/iql-workbench/antmaze"));
  QCOMPARE(iql::resolve_resource_dir(nullptr, exe_, "/compiled/in"), std::string("/compiled/in"));
  QCOMPARE(iql::resolve_resource_dir(nullptr, (prefix_.path() + "/elsewhere/iql").toStdString(), "/compiled/in"),
           std::string("/compiled/in"));
}

void TestResourceDir::unknownExecutableFallsBackToCompiledIn() {
  QCOMPARE(iql::resolve_resource_dir(nullptr, "", "/compiled/in"), std::string("/compiled/in"));
}

void TestResourceDir::buildTreeProgramReadsSourceTree() {
  // this test runs from the build tree, which has no share/iql-workbench: the source tree's resources/
  const QByteArray old = qgetenv("IQL_RESOURCE_DIR");
  qunsetenv("IQL_RESOURCE_DIR");
  const std::string unset = iql::resource_dir();
  qputenv("IQL_RESOURCE_DIR", "/from/env");
  const std::string set = iql::resource_dir();
  if (old.isNull()) qunsetenv("IQL_RESOURCE_DIR");
  else qputenv("IQL_RESOURCE_DIR", old);
  QCOMPARE(unset, std::string(IQL_RESOURCE_DIR));
  QVERIFY(QFileInfo(QString::fromStdString(unset) + "/mjcf/hopper.xml").isFile());
  QCOMPARE(set, std::string("/from/env"));
}

QTEST_GUILESS_MAIN(TestResourceDir)
#include "test_resource_dir.moc"
