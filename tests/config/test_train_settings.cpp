// The settings table is the one place a TrainConfig field is named. Every check here walks the table
// itself, so a field added to it is held to all of them: it round-trips command-line flag -> config ->
// stored JSON -> config (aliases too); a sweep spec takes it as a base value and a grid axis, and packs
// members that differ in it by its per-member rule; a control line changes it exactly when it is live
// (and the algorithms' hyperparameters follow); population members may differ in it exactly when it is
// per-member; runs that differ only in it are seeds of one configuration exactly when it is ungrouped.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>
#include <set>

#include "core/store/score_curves.h"
#include "core/sweep/sweep_plan.h"
#include "core/train/agent_settings.h"
#include "core/train/control_file.h"
#include "core/train/population_grid.h"
#include "core/config/train_settings.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"
#include "tests/config/setting_alternatives.h"

using namespace iql;
using nlohmann::json;

namespace {
using test::changed;
using test::with_flag;

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
}  // namespace

class TestTrainSettings : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void namesAreUnique() {
    std::set<std::string> keys, flags;
    for (const auto& s : train_settings()) {
      QVERIFY2(keys.insert(s.key).second, s.key.c_str());
      QVERIFY2(flags.insert(s.flag).second, s.flag.c_str());
      for (const auto& a : s.aliases) QVERIFY2(flags.insert(a).second, a.c_str());
      QCOMPARE(find_setting(s.key), &s);
      QCOMPARE(find_setting_by_flag(s.flag), &s);
      for (const auto& a : s.aliases) QCOMPARE(find_setting(a), &s);
      // a switch sets a bool; live changes and population lists carry numbers
      if (s.is_switch()) QVERIFY2(std::holds_alternative<bool TrainConfig::*>(s.field), s.key.c_str());
      if (s.live) QVERIFY2(std::holds_alternative<double TrainConfig::*>(s.field), s.key.c_str());
    }
    QCOMPARE(short_name("expectile"), std::string("tau"));
    QCOMPARE(short_name("temperature"), std::string("beta"));
    QCOMPARE(short_name("hidden"), std::string("hidden"));
  }

  void everySettingRoundTripsFlagConfigJson() {
    const TrainConfig d;
    const json stored_default = json::parse(d.to_json());
    QCOMPARE(stored_default.size(), train_settings().size());  // one stored key per setting
    for (const auto& s : train_settings()) {
      const QByteArray name = QByteArray::fromStdString(s.key);
      const TrainConfig c = changed(s);
      QVERIFY2(setting_json(s, c) != setting_json(s, d), name.constData());  // the flag set the field
      for (const auto& t : train_settings())  // and nothing else
        if (&t != &s) QVERIFY2(setting_json(t, c) == setting_json(t, d), (name + " changed " + t.key.c_str()).constData());
      const json stored = json::parse(c.to_json());
      QVERIFY2(stored.contains(s.key), name.constData());
      QCOMPARE(QString::fromStdString(stored[s.key].dump()), QString::fromStdString(setting_json(s, c)));
      const TrainConfig back = TrainConfig::from_json(c.to_json());
      QCOMPARE(QString::fromStdString(back.to_json()), QString::fromStdString(c.to_json()));
      for (const auto& a : s.aliases)
        QCOMPARE(QString::fromStdString(with_flag(s, a).to_json()), QString::fromStdString(c.to_json()));
    }
  }

  void configsStoredBeforeTheTableStillRead() {
    // A config as the hand-written to_json stored it (every key, sorted, non-default values).
    const std::string old = R"({"actor_cosine_decay":false,"actor_cosine_with_online":true,"actor_lr":0.0001,
      "algorithm":"iql-corl","batch_size":64,"checkpoint_interval":500,"critic_lr":0.0002,"dataset":"hopper-medium-v2",
      "discount":0.95,"dropout":0.1,"env":"hopper","eval_episodes":5,"eval_interval":1000,"expectile":0.9,
      "hidden":32,"log_interval":10,"max_weight":50.0,"normalize_obs":true,"online_buffer":1000,"online_steps":100,
      "online_updates_per_step":2,"physics":"gymnasium-v4","policy":"deterministic","polyak":0.01,
      "probe_interval":0,"reward_mode":"locomotion","seed":7,"steps":300,"temperature":10.0,"threads":2,
      "value_lr":0.0003})";
    const TrainConfig c = TrainConfig::from_json(old);
    QCOMPARE(c.expectile, 0.9);
    QCOMPARE(c.batch_size, 64);
    QCOMPARE(c.seed, uint64_t(7));
    QCOMPARE(c.physics, std::string("gymnasium-v4"));
    QVERIFY(!c.actor_cosine_decay && c.actor_cosine_with_online && c.normalize_obs);
    // The same keys and values stored again, plus the settings added since, at their defaults.
    auto expect = json::parse(old);
    expect["device"] = "cpu";
    expect["cuda_graphs"] = "on";
    expect["matmul_precision"] = "fp32";
    QVERIFY(json::parse(c.to_json()) == expect);
    QVERIFY_THROWS_EXCEPTION(ConfigError, TrainConfig::from_json(R"({"tau": 0.9})"));  // aliases are not keys
  }

  void flagsTakeListsAndNameBadValues() {
    ValueLists lists;
    TrainConfig c = apply_setting_flags(TrainConfig{}, {{"tau", "0.5,0.7"}, {"seed", "3"}, {"hidden", "32"}}, &lists);
    QCOMPARE(c.expectile, 0.5);  // the first value of a list
    QCOMPARE(c.hidden, 32);
    QCOMPARE(lists.size(), size_t(2));  // per-member settings only, in table order
    QCOMPARE(lists[0].first, std::string("expectile"));
    QCOMPARE(lists[0].second, (std::vector<double>{0.5, 0.7}));
    QCOMPARE(lists[1].first, std::string("seed"));
    QCOMPARE(population_grid(c, lists).size(), size_t(2));
    // an alias given beside its flag wins, as --tau always has
    QCOMPARE(apply_setting_flags(TrainConfig{}, {{"expectile", "0.6"}, {"tau", "0.8"}}).expectile, 0.8);
    // the CLI's own default: physics auto unless given
    QCOMPARE(cli_default_config().physics, std::string("auto"));
    auto error = [](const std::map<std::string, std::string>& flags) {
      try {
        apply_setting_flags(TrainConfig{}, flags);
      } catch (const ConfigError& e) {
        return std::string(e.what());
      }
      return std::string("no error");
    };
    QCOMPARE(error({{"steps", "ten"}}), std::string("--steps expects an integer, got 'ten'"));
    QCOMPARE(error({{"beta", "1,x"}}), std::string("--beta expects a number, got 'x'"));
    QCOMPARE(error({{"seed", "-1"}}), std::string("--seed expects an integer >= 0, got '-1'"));
    QCOMPARE(error({{"hidden", "99999999999"}}), std::string("--hidden expects an integer, got '99999999999'"));
    QCOMPARE(error({{"not-a-setting", "1"}}), std::string("no error"));  // left to the command
  }

  void sweepSpecTakesEverySetting() {
    const TrainConfig d;
    for (const auto& s : train_settings()) {
      const QByteArray name = QByteArray::fromStdString(s.key);
      const TrainConfig c = changed(s);
      const json value = json::parse(setting_json(s, c)), before = json::parse(setting_json(s, d));
      // as a base value
      auto m = SweepSpec::parse(json{{"base", {{s.key, value}}}}.dump()).expand();
      QCOMPARE(m.size(), size_t(1));
      QVERIFY2(setting_json(s, m[0].config) == setting_json(s, c), name.constData());
      // as a grid axis, labelled by its short name; packed together exactly when members may differ in it
      const auto spec = SweepSpec::parse(json{{"members_per_task", 2}, {"grid", {{s.key, {before, value}}}}}.dump());
      m = spec.expand();
      QCOMPARE(m.size(), size_t(2));
      QVERIFY2(setting_json(s, m[1].config) == setting_json(s, c), name.constData());
      QVERIFY2(m[1].point.rfind(short_name(s.key) + "=", 0) == 0, m[1].point.c_str());
      const auto plan = SweepPlan::make(spec, "t");
      QCOMPARE(plan.tasks.size(), size_t(s.per_member ? 1 : 2));
    }
  }

  void populationMembersMayDifferInPerMemberSettingsOnly() {
    const TrainConfig d;
    for (const auto& s : train_settings()) {
      const QByteArray name = QByteArray::fromStdString(s.key);
      const std::string why = population_mismatch({d, changed(s)});
      if (s.per_member) {
        QVERIFY2(why.empty(), (name + ": " + why.c_str()).constData());
        QCOMPARE(shared_settings_key(changed(s)), shared_settings_key(d));
      } else {
        QVERIFY2(why.rfind("member 1 has " + s.key + " = ", 0) == 0, why.c_str());
        QVERIFY(shared_settings_key(changed(s)) != shared_settings_key(d));
      }
      // population lists: the numeric per-member settings, by key and alias
      const bool listed = s.per_member && s.is_numeric();
      QCOMPARE(int(std::count(population_fields().begin(), population_fields().end(), s.key)), listed ? 1 : 0);
      if (!listed) continue;
      const double v = setting_number(s, changed(s));
      for (const auto& n : std::vector<std::string>{s.key} + s.aliases) {
        const auto grid = population_grid(d, {{n, {setting_number(s, d), v}}});
        QCOMPARE(grid.size(), size_t(2));
        QCOMPARE(setting_json(s, grid[1]), setting_json(s, changed(s)));
      }
    }
    TrainConfig c;
    QVERIFY_THROWS_EXCEPTION(ConfigError, set_population_field(c, "seed", 1.5));
  }

  void liveControlFollowsTheTable() {
    std::vector<std::string> live;
    for (const auto& s : train_settings()) {
      const QByteArray name = QByteArray::fromStdString(s.key);
      if (s.live) live.push_back(s.key);
      TrainConfig c;
      QCOMPARE(c.live_field(s.key) != nullptr, s.live);
      for (const auto& n : std::vector<std::string>{s.key} + s.aliases) {
        RunControl control;
        std::string why;
        QCOMPARE(apply_control_line(n + " 0.25 1", control, &why), s.live);
        const auto changes = control.take_member_changes();
        QCOMPARE(changes.size(), size_t(s.live ? 1 : 0));
        if (!s.live) {
          QVERIFY2(why.find("not a live hyperparameter") != std::string::npos, why.c_str());
          continue;
        }
        QCOMPARE(changes[0].name, s.key);
        QCOMPARE(changes[0].value, 0.25);
        QCOMPARE(changes[0].member, int64_t(1));
      }
      if (!s.live) continue;
      // what the algorithms see follows the setting, under the same name
      c = changed(s);
      auto h = agent_hyperparameters(c);
      QVERIFY2(h.live(s.key), name.constData());
      QCOMPARE(*h.live(s.key), *c.live_field(s.key));
      QVERIFY(*h.live(s.key) != *agent_hyperparameters(TrainConfig{}).live(s.key));
    }
    QCOMPARE(live_hyperparameters(), live);
  }

  void memberLabelsNameWhatDiffers() {
    std::vector<TrainConfig> ms(3);
    ms[1].expectile = 0.9;
    ms[2].seed = 4;
    ms[2].hidden = 64;
    QCOMPARE(member_label(ms, 0), std::string("tau 0.7 hidden 256 seed 0"));
    QCOMPARE(member_label(ms, 2), std::string("tau 0.7 hidden 64 seed 4"));
    QCOMPARE(member_label({TrainConfig{}, TrainConfig{}}, 1), std::string("(identical)"));
  }

  void seedFreeKeyDropsUngroupedSettingsOnly() {
    const std::string key = seed_free_config_key(TrainConfig{}.to_json());
    for (const auto& s : train_settings()) {
      const bool same = seed_free_config_key(changed(s).to_json()) == key;
      QVERIFY2(same == !s.grouped, s.key.c_str());
    }
  }
};

QTEST_GUILESS_MAIN(TestTrainSettings)
#include "test_train_settings.moc"
