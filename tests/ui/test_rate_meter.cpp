// RateMeter: the status bar's steps/s comes from a recent window and ignores paused time; the
// numbers are checked against rates computed by hand from the samples.
#include <QtTest/QtTest>

#include "ui/status/rate_meter.h"

using namespace iqlui;

class TestRateMeter : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void recentWindowOnly() {
    RateMeter m(5000);
    QVERIFY(!m.hasRate());
    // 40 steps/s for 10 s, then 110 steps/s for 6 s: the window (5 s) sees only the second speed.
    qint64 step = 0;
    for (qint64 t = 0; t <= 10000; t += 500) m.add(t, step = t / 1000 * 40 + (t % 1000) * 40 / 1000);
    QVERIFY(qAbs(m.stepsPerSecond() - 40.0) < 1e-9);
    const qint64 base = step;
    for (qint64 t = 10500; t <= 16000; t += 500) m.add(t, base + (t - 10000) * 110 / 1000);
    QVERIFY2(qAbs(m.stepsPerSecond() - 110.0) < 1e-9, qPrintable(QString::number(m.stepsPerSecond())));
    // ETA from the recent rate: (total - last step) / 110.
    const qint64 last = base + 6000 * 110 / 1000;
    QVERIFY(qAbs(m.etaSeconds(last + 1100) - 10.0) < 1e-9);
  }

  void pausedTimeNeverCounts() {
    RateMeter m(5000);
    m.add(0, 0);
    m.add(1000, 100);
    m.add(2000, 200);
    QCOMPARE(m.stepsPerSecond(), 100.0);
    m.clear();  // paused at step 200 for 60 s: the GUI clears the meter
    QVERIFY(!m.hasRate());
    QCOMPARE(m.etaSeconds(1000), -1.0);
    m.add(62000, 200);  // resumed
    m.add(63000, 300);
    QCOMPARE(m.stepsPerSecond(), 100.0);  // averaged from the start it would be 300 / 63 = 4.8
  }

  void newRunRestarts() {
    RateMeter m;
    m.add(0, 5000);
    m.add(1000, 5100);
    m.add(2000, 10);  // steps went back: another run or phase
    QVERIFY(!m.hasRate());
  }
};

QTEST_MAIN(TestRateMeter)
#include "test_rate_meter.moc"
