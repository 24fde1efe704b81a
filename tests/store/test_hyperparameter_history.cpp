// The one "tuned mid-run" rule (core/store/hyperparameter_history.h) on event lists written here by
// hand: a run is tuned when some applied change set a hyperparameter to a value other than its start.
// 3 -> 4.6 -> 9.74 and 3 -> 5 -> 3 are tuned, a change to the value it already had is not, other event
// kinds (pause, a rejected change) are not, any live hyperparameter counts (not only tau and beta), and
// an event whose value cannot be read counts as a change.
#include <QtTest/QtTest>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/store/hyperparameter_history.h"

using namespace iql;

namespace {
const std::string kConfig = R"({"expectile":0.7,"temperature":3,"actor_lr":0.0003,"seed":1})";

EventRecord record(int64_t step, const std::string& kind, const std::string& payload) {
  EventRecord e;
  e.step = step;
  e.kind = kind;
  e.payload_json = payload;
  return e;
}
EventRecord change(int64_t step, const std::string& name, double old_value, double new_value) {
  char buf[160];
  std::snprintf(buf, sizeof buf, R"({"name":"%s","old":%.17g,"new":%.17g})", name.c_str(), old_value, new_value);
  return record(step, "hyperparameter", buf);
}
}  // namespace

class TestHyperparameterHistory : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void untouchedRunIsNotTuned() {
    QVERIFY(!tuned_mid_run(kConfig, {}));
    const std::vector<EventRecord> others = {record(10, "pause", "{}"), record(20, "resume", "{}"),
                                             record(30, "hyperparameter_rejected",
                                                   R"({"name":"temperature","old":3,"new":-1})")};
    QVERIFY(!tuned_mid_run(kConfig, others));
    const auto h = hyperparameter_history(kConfig, others, "temperature");
    QCOMPARE(h.start, 3.0);
    QCOMPARE(h.final, 3.0);
    QVERIFY(h.changes.empty());
    QVERIFY(!h.tuned());
    QVERIFY(hyperparameter_histories(kConfig, others).empty());
  }

  void changedValueIsTuned() {
    const std::vector<EventRecord> ev = {change(100, "temperature", 3, 4.6), record(200, "pause", "{}"),
                                         change(250, "temperature", 4.6, 9.74)};
    QVERIFY(tuned_mid_run(kConfig, ev));
    const auto beta = hyperparameter_history(kConfig, ev, "temperature");
    QCOMPARE(beta.start, 3.0);
    QCOMPARE(beta.final, 9.74);
    QCOMPARE(beta.changes, (std::vector<std::pair<int64_t, double>>{{100, 4.6}, {250, 9.74}}));
    QVERIFY(beta.tuned());
    const auto tau = hyperparameter_history(kConfig, ev, "expectile");
    QCOMPARE(tau.start, 0.7);
    QVERIFY(!tau.tuned());
  }

  void backToStartIsStillTuned() {
    // it trained at beta 5 from step 100 to 200: not a seed of "beta 3", though it ends there
    const std::vector<EventRecord> ev = {change(100, "temperature", 3, 5), change(200, "temperature", 5, 3)};
    const auto beta = hyperparameter_history(kConfig, ev, "temperature");
    QCOMPARE(beta.final, beta.start);
    QVERIFY(beta.tuned());
    QVERIFY(tuned_mid_run(kConfig, ev));
  }

  void settingTheSameValueIsNotTuned() {
    const std::vector<EventRecord> ev = {change(100, "temperature", 3, 3), change(150, "expectile", 0.7, 0.7)};
    QCOMPARE(hyperparameter_history(kConfig, ev, "temperature").changes.size(), size_t(1));
    QVERIFY(!hyperparameter_history(kConfig, ev, "temperature").tuned());
    QVERIFY(!tuned_mid_run(kConfig, ev));
    QCOMPARE(hyperparameter_histories(kConfig, ev).size(), size_t(2));  // touched, in order
    QVERIFY(hyperparameter_histories(kConfig, ev, true).empty());        // but none tuned
  }

  void anyLiveHyperparameterCounts() {
    const std::vector<EventRecord> ev = {change(50, "actor_lr", 0.0003, 0.0001), change(60, "temperature", 3, 3),
                                         change(70, "discount", 0.99, 0.95)};
    QVERIFY(tuned_mid_run(kConfig, ev));
    const auto tuned = hyperparameter_histories(kConfig, ev, true);
    QCOMPARE(tuned.size(), size_t(2));
    QCOMPARE(tuned[0].name, std::string("actor_lr"));
    QCOMPARE(tuned[0].start, 0.0003);
    QCOMPARE(tuned[0].final, 0.0001);
    // the config has no "discount": its start is unknown (NaN) and any applied value is a change
    QCOMPARE(tuned[1].name, std::string("discount"));
    QVERIFY(std::isnan(tuned[1].start));
    QCOMPARE(tuned[1].final, 0.95);
  }

  void unreadableEventCountsAsChange() {
    // named, without a numeric "new" (as an older writer left it)
    const std::vector<EventRecord> no_value = {record(50, "hyperparameter", R"({"name":"actor_lr"})")};
    const auto lr = hyperparameter_history(kConfig, no_value, "actor_lr");
    QVERIFY(lr.unreadable_change);
    QVERIFY(lr.changes.empty());
    QCOMPARE(lr.final, 0.0003);
    QVERIFY(lr.tuned());
    QVERIFY(tuned_mid_run(kConfig, no_value));
    // no name at all, or not JSON: kept under "?"
    for (const char* payload : {"{}", "not json"}) {
      const std::vector<EventRecord> nameless = {record(50, "hyperparameter", payload)};
      QVERIFY2(tuned_mid_run(kConfig, nameless), payload);
      const auto all = hyperparameter_histories(kConfig, nameless);
      QCOMPARE(all.size(), size_t(1));
      QCOMPARE(all[0].name, std::string("?"));
    }
  }
};

QTEST_GUILESS_MAIN(TestHyperparameterHistory)
#include "test_hyperparameter_history.moc"
