// Live control through a text file: each appended line becomes a request on the RunControl (one
// member or all), malformed lines are reported and skipped, lines present before the run are ignored.
#include <QtTest/QtTest>

#include <fstream>

#include "core/train/control_file.h"

using namespace iql;

class TestControlFile : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void linesBecomeRequests() {
    RunControl c;
    std::string why;
    QVERIFY(apply_control_line("beta 5", c, &why));
    QVERIFY(apply_control_line("tau 0.9 2", c, &why));
    QVERIFY(apply_control_line("actor_lr 1e-4", c, &why));
    QVERIFY(apply_control_line("   # a comment", c, &why));
    QVERIFY(apply_control_line("", c, &why));
    auto ch = c.take_member_changes();
    QCOMPARE(ch.size(), size_t(3));
    QCOMPARE(ch[0].name, std::string("temperature"));
    QCOMPARE(ch[0].value, 5.0);
    QCOMPARE(ch[0].member, int64_t(-1));
    QCOMPARE(ch[1].name, std::string("expectile"));
    QCOMPARE(ch[1].member, int64_t(2));
    QCOMPARE(ch[2].value, 1e-4);
    QVERIFY(!apply_control_line("beta", c, &why));
    QVERIFY(why.find("NAME VALUE") != std::string::npos);
    QVERIFY(!apply_control_line("beta 3 -1", c, &why));
    QVERIFY(apply_control_line("pause", c, &why));
    QVERIFY(c.pause_requested());
    QVERIFY(apply_control_line("resume", c, &why));
    QVERIFY(!c.pause_requested());
    QVERIFY(apply_control_line("stop", c, &why));
    QVERIFY(c.stop_requested());
  }

  void watcherReadsOnlyAppendedLines() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("control").toStdString();
    { std::ofstream(path) << "beta 1\n"; }  // before the run: not a request
    RunControl c;
    std::vector<std::string> errors;
    ControlFileWatcher w(path, c, [&](const std::string& e) { errors.push_back(e); });
    { std::ofstream(path, std::ios::app) << "beta 7 1\nnonsense\ntau 0.6"; }  // last line incomplete
    w.poll();
    auto ch = c.take_member_changes();
    QCOMPARE(ch.size(), size_t(1));
    QCOMPARE(ch[0].value, 7.0);
    QCOMPARE(ch[0].member, int64_t(1));
    QCOMPARE(errors.size(), size_t(1));
    { std::ofstream(path, std::ios::app) << "\n"; }  // completes "tau 0.6"
    w.poll();
    ch = c.take_member_changes();
    QCOMPARE(ch.size(), size_t(1));
    QCOMPARE(ch[0].name, std::string("expectile"));
  }
};

QTEST_GUILESS_MAIN(TestControlFile)
#include "test_control_file.moc"
