// A sweep spec with a field that does not exist: the error names the spec file, the field (with
// where it sits: top level, base, grid, random.params, a dataset entry) and lists every valid field,
// so the user fixes a typo from the message alone.
#include <QtTest/QtTest>

#include <QTemporaryDir>
#include <fstream>

#include "core/config/train_settings.h"
#include "core/sweep/sweep_spec.h"
#include "core/util/errors.h"

using namespace iql;

class TestSweepSpecErrors : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  // The message SweepSpec::load gives for a spec file holding `json` ("" when it loads).
  QString loadError(const char* json) {
    const QString path = dir_.filePath("spec.json");
    std::ofstream(path.toStdString()) << json;
    try {
      SweepSpec::load(path.toStdString());
    } catch (const ConfigError& e) {
      return QString::fromUtf8(e.what());
    }
    return {};
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void unknownSettingListsEveryValidSetting_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("base") << R"({"base":{"steps":300,"temprature":3}})" << "base.temprature";
    QTest::newRow("grid") << R"({"grid":{"expectile":[0.5],"bogus":[1,2]}})" << "grid.bogus";
    QTest::newRow("random") << R"({"random":{"count":2,"params":{"lr":{"choice":[1e-3]}}}})" << "random.params.lr";
    QTest::newRow("dataset entry") << R"({"datasets":[{"dataset":"pendulum-medium","envv":"pendulum"}]})"
                                   << "datasets[].envv";
  }
  void unknownSettingListsEveryValidSetting() {
    QFETCH(QString, json);
    QFETCH(QString, field);
    const QString msg = loadError(json.toUtf8().constData());
    QVERIFY2(!msg.isEmpty(), "the spec loaded");
    QVERIFY2(msg.startsWith(dir_.filePath("spec.json") + ": "), qPrintable(msg));
    QVERIFY2(msg.contains("unknown field '" + field + "'"), qPrintable(msg));
    QVERIFY2(msg.contains("valid fields: "), qPrintable(msg));
    const QString list = msg.mid(msg.indexOf("valid fields: "));
    QVERIFY(train_settings().size() > 20);
    for (const auto& s : train_settings())
      QVERIFY2(list.contains(QString::fromStdString(s.key)), qPrintable(QString::fromStdString(s.key) + " missing: " + msg));
  }

  void unknownTopLevelFieldListsTheSpecFields() {
    const QString msg = loadError(R"({"name":"a","seed":[0,1]})");
    QVERIFY2(msg.startsWith(dir_.filePath("spec.json") + ": unknown field 'seed'"), qPrintable(msg));
    for (const char* k : {"name", "base", "datasets", "grid", "random", "seeds", "members_per_task"})
      QVERIFY2(msg.mid(msg.indexOf("valid fields: ")).contains(k), qPrintable(msg));
  }

  void knownSettingsStillLoad() {
    QCOMPARE(loadError(R"({"base":{"steps":300,"temperature":3},"grid":{"expectile":[0.5,0.7]},
      "datasets":[{"dataset":"pendulum-medium","env":"pendulum"}],
      "random":{"count":2,"params":{"actor_lr":{"log_uniform":[1e-4,1e-3]}}}})"), QString());
  }
};

QTEST_GUILESS_MAIN(TestSweepSpecErrors)
#include "test_sweep_spec_errors.moc"
