// The `iql` command line takes every setting of the settings table without a list of its own: `iql
// train --help` shows each flag and alias, `iql sweep plan` turns each flag into the config value the
// table stores, and `iql train` parses all of them (the run then fails on the made-up dataset).
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/config/train_settings.h"
#include "tests/config/setting_alternatives.h"
#include "tests/app/iql_process.h"

namespace {
iql::test::IqlResult run_iql(const QStringList& args, const QString& home) {
  return iql::test::run_iql(args, home, 120000);
}

// Every setting's flag with a non-default value (a switch alone).
QStringList every_setting_flag() {
  QStringList args;
  for (const auto& s : iql::train_settings()) {
    args << QString::fromStdString("--" + s.flag);
    if (!s.is_switch()) args << QString::fromStdString(iql::test::alternative(s));
  }
  return args;
}
}  // namespace

class TestSettingFlags : public QObject {
  Q_OBJECT
  QTemporaryDir home_;

private Q_SLOTS:
  void helpShowsEverySetting() {
    const auto r = run_iql({"train", "--help"}, home_.path());
    QCOMPARE(r.code, 0);
    for (const auto& s : iql::train_settings()) {
      QVERIFY2(r.out.contains(QString::fromStdString("  --" + s.flag + " ")), s.flag.c_str());
      for (const auto& a : s.aliases) QVERIFY2(r.out.contains(QString::fromStdString("  --" + a + " ")), a.c_str());
    }
  }

  void sweepFlagsBecomeStoredValues() {
    const auto r = run_iql(QStringList{"sweep", "plan", "--json"} + every_setting_flag(), home_.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto tasks = QJsonDocument::fromJson(r.out.toUtf8()).object()["tasks"].toArray();
    QCOMPARE(tasks.size(), 1);
    const auto members = tasks[0].toObject()["members"].toArray();
    QCOMPARE(members.size(), 1);
    const QJsonObject config = members[0].toObject()["config"].toObject();
    for (const auto& s : iql::train_settings()) {
      const iql::TrainConfig want = iql::test::changed(s);
      const QJsonValue got = config[QString::fromStdString(s.key)];
      if (s.is_numeric()) QCOMPARE(got.toDouble(), iql::setting_number(s, want));
      else if (got.isBool()) QCOMPARE(std::string(got.toBool() ? "true" : "false"), iql::setting_text(s, want));
      else QCOMPARE(got.toString().toStdString(), iql::setting_text(s, want));
    }
  }

  void trainParsesEverySetting() {
    const QString db = home_.filePath("runs.db");
    const auto r = run_iql(QStringList{"train", "--db", db} + every_setting_flag(), home_.path());
    QCOMPARE(r.code, 2);  // the made-up dataset or environment stops it, after every flag was read
    QVERIFY2(!r.err.contains("unknown option") && !r.err.contains(" expects ") && !r.err.contains("needs a value"),
             qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestSettingFlags)
#include "test_setting_flags.moc"
