// Actions recorded outside the environment's bounds are counted and clipped to them, as the official
// IQL clips dataset actions; the report gives the fraction of rows changed.
#include <QtTest/QtTest>

#include "core/data/preprocess.h"

using namespace iql;

class TestActionClip : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void countsAndClipsRows() {
    Dataset d;
    d.obs_dim = 1;
    d.act_dim = 2;
    // 5 rows; rows 1 and 3 have a value outside [-1, 1] (row 3 in both dims), row 4 sits exactly on it.
    d.actions = {0.5f, -0.2f, 2.12f, 0.0f, 0.3f, 0.1f, -1.5f, 1.01f, 1.0f, -1.0f};
    d.observations.assign(5, 0.0f);
    d.next_observations.assign(5, 0.0f);
    d.rewards.assign(5, 0.0f);
    d.terminals.assign(5, 0);
    d.timeouts.assign(5, 0);
    const ActionClipReport counted = count_actions_outside(d, 1.0f);
    QCOMPARE(counted.rows, int64_t(5));
    QCOMPARE(counted.rows_clipped, int64_t(2));
    QCOMPARE(counted.fraction(), 0.4);
    QVERIFY(qAbs(counted.max_abs - 2.12) < 1e-6);
    QCOMPARE(d.actions[2], 2.12f);  // counting changes nothing

    const ActionClipReport clipped = clip_actions_to_bound(d, 1.0f);
    QCOMPARE(clipped.rows_clipped, int64_t(2));
    QCOMPARE(d.actions, (std::vector<float>{0.5f, -0.2f, 1.0f, 0.0f, 0.3f, 0.1f, -1.0f, 1.0f, 1.0f, -1.0f}));
    QCOMPARE(count_actions_outside(d, 1.0f).rows_clipped, int64_t(0));
    const QString text = QString::fromStdString(clipped.to_text());
    QVERIFY2(text.startsWith("40% of rows (2 of 5)"), qPrintable(text));
    QVERIFY(QString::fromStdString(clipped.to_json()).contains("\"rows_clipped\":2"));
  }

  void boundsOtherThanOne() {
    Dataset d;
    d.obs_dim = 1;
    d.act_dim = 1;
    d.actions = {1.9f, 2.0f, -2.5f, 0.0f};  // pendulum: bound 2
    d.rewards.assign(4, 0.0f);
    const ActionClipReport r = clip_actions_to_bound(d, 2.0f);
    QCOMPARE(r.rows_clipped, int64_t(1));
    QCOMPARE(r.fraction(), 0.25);
    QCOMPARE(d.actions[2], -2.0f);
  }
};

QTEST_MAIN(TestActionClip)
#include "test_action_clip.moc"
