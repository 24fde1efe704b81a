#include "ui/panels/hyperparameter_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>
#include <utility>

#include "core/env/env_registry.h"
#include "core/config/train_settings.h"
#include "ui/panels/device_group.h"
#include "ui/panels/presets.h"
#include "ui/panels/sci_spin_box.h"
#include "ui/panels/slider_spin.h"
#include "ui/panels/wheel_guard.h"

namespace iqlui {

namespace {
QComboBox* makeCombo(const QStringList& items, QWidget* parent) {
  auto* c = new QComboBox(parent);
  c->addItems(items);
  return c;
}
QStringList toStringList(const std::vector<std::string>& v) {
  QStringList out;
  for (const auto& s : v) out << QString::fromStdString(s);
  return out;
}
void setCurrent(QComboBox* c, const std::string& text) {
  const int i = c->findText(QString::fromStdString(text));
  if (i >= 0) c->setCurrentIndex(i);
}
QSpinBox* makeSpin(int min, int max, int step, QWidget* parent) {
  auto* s = new QSpinBox(parent);
  s->setRange(min, max);
  s->setSingleStep(step);
  s->setGroupSeparatorShown(true);
  s->setKeyboardTracking(false);
  return s;
}
QDoubleSpinBox* makeDouble(double min, double max, int decimals, double step, QWidget* parent) {
  auto* s = new QDoubleSpinBox(parent);
  s->setRange(min, max);
  s->setDecimals(decimals);
  s->setSingleStep(step);
  s->setKeyboardTracking(false);
  return s;
}
}  // namespace

HyperparameterPanel::HyperparameterPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(buildPresetRow());
  layout->addWidget(buildAlgorithmGroup());
  layout->addWidget(buildOptimisationGroup());
  layout->addWidget(buildEnvironmentGroup());
  device_ = new DeviceGroup(this);
  layout->addWidget(device_);
  layout->addStretch(1);
  bindSettings();
  setConfig(quickStartConfig());
  WheelGuard::install(this);  // scrolling the panel changes no field the pointer passes over
}

QWidget* HyperparameterPanel::buildPresetRow() {
  auto* box = new QWidget(this);
  auto* form = new QFormLayout(box);
  form->setContentsMargins(0, 0, 0, 0);
  preset_ = new QComboBox(box);
  preset_->setObjectName(QStringLiteral("preset"));
  preset_->addItem(tr("Custom"));
  for (const Preset& p : presets()) preset_->addItem(p.name);
  preset_->setToolTip(tr("Quick look for the built-in datasets, or the IQL paper's settings for each domain"));
  preset_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);  // long names must not widen the dock
  preset_->setMinimumContentsLength(14);
  connect(preset_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    if (i > 0) applyPreset(i - 1);
  });
  form->addRow(tr("Preset"), preset_);
  fixedWidgets_ << preset_;
  return box;
}

QWidget* HyperparameterPanel::buildAlgorithmGroup() {
  auto* group = new QGroupBox(tr("Algorithm"), this);
  auto* form = new QFormLayout(group);
  algorithm_ = makeCombo({"iql", "iql-corl", "bc"}, group);
  algorithm_->setObjectName(QStringLiteral("algorithm"));
  algorithm_->setToolTip(tr("iql: official IQL; iql-corl: the CORL variant; bc: behaviour cloning baseline"));
  connect(algorithm_, &QComboBox::currentTextChanged, this, [this] { updateEnabled(); });
  form->addRow(tr("Algorithm"), algorithm_);

  expectile_ = new SliderSpin(0.01, 0.99, 0.5, 0.99, 3, 0.01, group);
  expectile_->setObjectName(QStringLiteral("expectile"));
  expectile_->spinBox()->setObjectName(QStringLiteral("expectileSpin"));
  expectile_->setToolTip(tr("Expectile τ of the value loss: 0.5 = mean (SARSA-like), → 1 = max over in-data actions"));
  form->addRow(tr("Expectile τ"), expectile_);
  temperature_ = new SliderSpin(0.0, 1000.0, 0.0, 20.0, 2, 0.1, group);
  temperature_->setObjectName(QStringLiteral("temperature"));
  temperature_->spinBox()->setObjectName(QStringLiteral("temperatureSpin"));
  temperature_->setToolTip(tr("Inverse temperature β of advantage-weighted regression: 0 = behaviour cloning"));
  form->addRow(tr("Temperature β"), temperature_);

  policy_ = makeCombo({"gaussian", "deterministic"}, group);
  form->addRow(tr("Policy"), policy_);
  dropout_ = makeDouble(0.0, 0.9, 2, 0.05, group);
  dropout_->setToolTip(tr("Actor dropout (0.1 for Kitchen/Adroit)"));
  form->addRow(tr("Actor dropout"), dropout_);
  return group;
}

QWidget* HyperparameterPanel::buildOptimisationGroup() {
  auto* group = new QGroupBox(tr("Optimisation"), this);
  auto* form = new QFormLayout(group);
  actorLr_ = new SciSpinBox(1e-7, 0.5, group);
  valueLr_ = new SciSpinBox(1e-7, 0.5, group);
  criticLr_ = new SciSpinBox(1e-7, 0.5, group);
  actorLr_->setObjectName(QStringLiteral("actorLr"));
  valueLr_->setObjectName(QStringLiteral("valueLr"));
  form->addRow(tr("Actor lr"), actorLr_);
  form->addRow(tr("Value lr"), valueLr_);
  form->addRow(tr("Critic lr"), criticLr_);
  cosineDecay_ = new QCheckBox(tr("cosine decay of the actor lr"), group);
  form->addRow(QString(), cosineDecay_);
  discount_ = makeDouble(0.5, 1.0, 4, 0.001, group);
  form->addRow(tr("Discount γ"), discount_);
  polyak_ = makeDouble(0.0001, 1.0, 4, 0.001, group);
  form->addRow(tr("Polyak"), polyak_);
  batch_ = makeSpin(1, 65536, 32, group);
  form->addRow(tr("Batch size"), batch_);
  hidden_ = makeSpin(1, 4096, 32, group);
  form->addRow(tr("Hidden units"), hidden_);
  steps_ = makeSpin(1, 100000000, 1000, group);
  steps_->setObjectName(QStringLiteral("steps"));
  form->addRow(tr("Steps"), steps_);
  seed_ = makeSpin(0, 2147483647, 1, group);
  seed_->setGroupSeparatorShown(false);
  form->addRow(tr("Seed"), seed_);
  return group;
}

QWidget* HyperparameterPanel::buildEnvironmentGroup() {
  auto* group = new QGroupBox(tr("Environment and evaluation"), this);
  auto* form = new QFormLayout(group);
  env_ = makeCombo(toStringList(iql::env_names()), group);
  env_->setObjectName(QStringLiteral("env"));
  form->addRow(tr("Environment"), env_);
  physics_ = new QComboBox(group);
  physics_->setObjectName(QStringLiteral("physics"));
  physics_->addItem(tr("auto"), QStringLiteral("auto"));
  for (const auto& p : iql::physics_names()) physics_->addItem(QString::fromStdString(p), QString::fromStdString(p));
  physics_->setToolTip(tr("auto: at load, replay a few hundred transitions under each MuJoCo physics variant and "
                          "use the one that reproduces the data; choose a variant to override"));
  form->addRow(tr("Physics"), physics_);
  reward_ = makeCombo({"auto", "locomotion", "antmaze", "none"}, group);
  reward_->setToolTip(tr("Reward preprocessing: locomotion scales by 1000/(max return - min return), "
                         "antmaze subtracts 1, auto picks by environment"));
  form->addRow(tr("Reward mode"), reward_);
  normalizeObs_ = new QCheckBox(tr("normalise observations"), group);
  form->addRow(QString(), normalizeObs_);
  evalInterval_ = makeSpin(0, 10000000, 500, group);
  evalInterval_->setSpecialValueText(tr("off"));
  form->addRow(tr("Eval every"), evalInterval_);
  evalEpisodes_ = makeSpin(1, 1000, 1, group);
  form->addRow(tr("Eval episodes"), evalEpisodes_);
  onlineSteps_ = makeSpin(0, 10000000, 1000, group);
  onlineSteps_->setObjectName(QStringLiteral("onlineSteps"));
  onlineSteps_->setSpecialValueText(tr("off (offline only)"));
  onlineSteps_->setToolTip(tr("Phase setting: after the offline steps, fine-tune online for this many environment "
                              "steps (replay pre-filled with the dataset, sampled actions, no actor lr decay)"));
  form->addRow(tr("Then online for"), onlineSteps_);
  return group;
}

void HyperparameterPanel::bindSettings() {
  // Each widget by the key of the setting it edits (core/config/train_settings.h); whether it stays
  // editable during a run and announces its changes comes from the table's live flag.
  const std::vector<std::pair<const char*, QWidget*>> widgets = {
      {"algorithm", algorithm_},     {"expectile", expectile_},       {"temperature", temperature_},
      {"policy", policy_},           {"dropout", dropout_},           {"actor_lr", actorLr_},
      {"value_lr", valueLr_},        {"critic_lr", criticLr_},        {"actor_cosine_decay", cosineDecay_},
      {"discount", discount_},       {"polyak", polyak_},             {"batch_size", batch_},
      {"hidden", hidden_},           {"steps", steps_},               {"seed", seed_},
      {"env", env_},                 {"physics", physics_},           {"reward_mode", reward_},
      {"normalize_obs", normalizeObs_}, {"eval_interval", evalInterval_}, {"eval_episodes", evalEpisodes_},
      {"online_steps", onlineSteps_},   {"device", device_->deviceBox()}, {"cuda_graphs", device_->graphsBox()},
      {"matmul_precision", device_->tf32Box()}};
  for (const auto& [key, widget] : widgets) {
    const iql::TrainSetting* setting = iql::find_setting(key);
    Q_ASSERT(setting);
    if (!setting || !setting->live) {
      fixedWidgets_ << widget;
      continue;
    }
    liveWidgets_ << widget;
    const QString name = QString::fromStdString(setting->key);  // as live_hyperparameters() names it
    if (auto* pair = qobject_cast<SliderSpin*>(widget)) {
      // a slider announces every value as a preview and the value let go as the change
      connect(pair, &SliderSpin::valueChanged, this, [this, name](double v) {
        if (!loading_) Q_EMIT liveValuePreview(name, v);
      });
      connect(pair, &SliderSpin::valueCommitted, this, [this, name](double v) {
        if (!loading_) Q_EMIT liveValueChanged(name, v);
      });
    } else if (auto* box = qobject_cast<QDoubleSpinBox*>(widget)) {
      connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this, name](double v) {
        if (!loading_) Q_EMIT liveValueChanged(name, v);
      });
    }
  }
}

iql::TrainConfig HyperparameterPanel::config() const {
  iql::TrainConfig c = base_;
  c.algorithm = algorithm_->currentText().toStdString();
  c.expectile = expectile_->value();
  c.temperature = temperature_->value();
  c.policy = policy_->currentText().toStdString();
  c.dropout = dropout_->value();
  c.actor_lr = actorLr_->value();
  c.value_lr = valueLr_->value();
  c.critic_lr = criticLr_->value();
  c.actor_cosine_decay = cosineDecay_->isChecked();
  c.discount = discount_->value();
  c.polyak = polyak_->value();
  c.batch_size = batch_->value();
  c.hidden = hidden_->value();
  c.steps = steps_->value();
  c.seed = static_cast<uint64_t>(seed_->value());
  c.env = env_->currentText().toStdString();
  c.physics = physics_->currentData().toString().toStdString();
  c.reward_mode = reward_->currentText().toStdString();
  c.normalize_obs = normalizeObs_->isChecked();
  c.eval_interval = evalInterval_->value();
  c.eval_episodes = evalEpisodes_->value();
  c.online_steps = onlineSteps_->value();
  device_->applyTo(c);
  return c;
}

void HyperparameterPanel::setConfig(const iql::TrainConfig& c) {
  loading_ = true;
  base_ = c;
  setCurrent(algorithm_, c.algorithm);
  expectile_->setValue(c.expectile);
  temperature_->setValue(c.temperature);
  setCurrent(policy_, c.policy);
  dropout_->setValue(c.dropout);
  actorLr_->setValue(c.actor_lr);
  valueLr_->setValue(c.value_lr);
  criticLr_->setValue(c.critic_lr);
  cosineDecay_->setChecked(c.actor_cosine_decay);
  discount_->setValue(c.discount);
  polyak_->setValue(c.polyak);
  batch_->setValue(c.batch_size);
  hidden_->setValue(c.hidden);
  steps_->setValue(static_cast<int>(std::min<int64_t>(c.steps, steps_->maximum())));
  seed_->setValue(static_cast<int>(c.seed));
  setCurrent(env_, c.env);
  if (const int i = physics_->findData(QString::fromStdString(c.physics)); i >= 0) physics_->setCurrentIndex(i);
  setCurrent(reward_, c.reward_mode);
  normalizeObs_->setChecked(c.normalize_obs);
  evalInterval_->setValue(static_cast<int>(std::min<int64_t>(c.eval_interval, evalInterval_->maximum())));
  evalEpisodes_->setValue(c.eval_episodes);
  onlineSteps_->setValue(static_cast<int>(std::min<int64_t>(c.online_steps, onlineSteps_->maximum())));
  device_->setSettings(c);
  loading_ = false;
  updateEnabled();
}

void HyperparameterPanel::applyPreset(int index) {
  if (index < 0 || index >= presets().size()) return;
  const Preset& p = presets()[index];
  // Through the widgets, so a running session hears the live changes.
  expectile_->setValue(p.expectile);
  temperature_->setValue(p.temperature);
  setCurrent(reward_, p.rewardMode.toStdString());
  dropout_->setValue(p.dropout);
  if (p.steps > 0 && !active_) {  // run length is fixed once a run trains
    steps_->setValue(static_cast<int>(p.steps));
    evalInterval_->setValue(static_cast<int>(p.evalInterval));
    evalEpisodes_->setValue(p.evalEpisodes);
  }
  preset_->setCurrentIndex(index + 1);
}

void HyperparameterPanel::setEnvironment(const QString& env) { setCurrent(env_, env.toStdString()); }

void HyperparameterPanel::setDetectedPhysics(const QString& physics, const QString& evidence) {
  physics_->setItemText(0, physics.isEmpty() ? tr("auto") : tr("auto (%1)").arg(physics));
  physics_->setItemData(0, evidence.isEmpty() ? physics_->toolTip() : evidence, Qt::ToolTipRole);
}

iql::TrainConfig HyperparameterPanel::quickStartConfig() {
  // The paper's 1M steps with evaluation every 5,000 take hours on a laptop CPU; on the built-in
  // datasets these show a learning curve within a minute or two. The paper's settings are a preset.
  iql::TrainConfig c;
  c.physics = "auto";
  c.steps = 10000;
  c.eval_interval = 1000;
  c.eval_episodes = 5;
  c.device = "auto";  // as the CLI: CUDA when present
  return c;
}

void HyperparameterPanel::setTrainingActive(bool active) {
  active_ = active;
  updateEnabled();
}

void HyperparameterPanel::updateEnabled() {
  for (QWidget* w : fixedWidgets_) w->setEnabled(!active_);
  const bool bc = algorithm_->currentText() == QLatin1String("bc");
  for (QWidget* w : liveWidgets_) w->setEnabled(true);
  // Behaviour cloning has no value functions: tau and beta do not apply.
  expectile_->setEnabled(!bc);
  temperature_->setEnabled(!bc);
}

}  // namespace iqlui
