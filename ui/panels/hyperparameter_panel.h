// Every setting of a run as form widgets whose ranges make invalid values impossible. Expectile tau
// and temperature beta are slider + spin box pairs. While a run trains only the live
// hyperparameters stay editable; their changes are announced by liveValueChanged (named as in
// iql::live_hyperparameters()).
#pragma once
#include <QMap>
#include <QWidget>

#include "core/config/train_config.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace iqlui {

class DeviceGroup;
class SliderSpin;

class HyperparameterPanel : public QWidget {
  Q_OBJECT
public:
  explicit HyperparameterPanel(QWidget* parent = nullptr);

  // The settings shown; fields the panel has no widget for come from the last setConfig.
  iql::TrainConfig config() const;
  void setConfig(const iql::TrainConfig& cfg);
  void applyPreset(int index);  // index into presets()
  void setEnvironment(const QString& env);
  // Shows what "auto" physics found for the loaded dataset (evidence in the item's tooltip).
  void setDetectedPhysics(const QString& physics, const QString& evidence);
  // Defaults that train the built-in datasets to a visible learning curve in a minute or two.
  static iql::TrainConfig quickStartConfig();
  void setTrainingActive(bool active);  // only live hyperparameters stay editable

  SliderSpin* expectileControl() const { return expectile_; }
  SliderSpin* temperatureControl() const { return temperature_; }
  QSpinBox* stepsBox() const { return steps_; }
  DeviceGroup* deviceGroup() const { return device_; }

Q_SIGNALS:
  // Once per user decision (slider release, spin box edit): what a running session should apply.
  void liveValueChanged(const QString& name, double value);
  // Every intermediate value of tau/beta while a slider is dragged (what-if previews only).
  void liveValuePreview(const QString& name, double value);

private:
  QWidget* buildPresetRow();
  QWidget* buildAlgorithmGroup();
  QWidget* buildOptimisationGroup();
  QWidget* buildEnvironmentGroup();
  void bindSettings();  // live or fixed, and the live changes' signals, from the settings table
  void updateEnabled();

  iql::TrainConfig base_;
  bool active_ = false;
  bool loading_ = false;
  QComboBox* preset_;
  QComboBox* algorithm_;
  SliderSpin* expectile_;
  SliderSpin* temperature_;
  QComboBox* policy_;
  QDoubleSpinBox* dropout_;
  QDoubleSpinBox* actorLr_;
  QDoubleSpinBox* valueLr_;
  QDoubleSpinBox* criticLr_;
  QCheckBox* cosineDecay_;
  QSpinBox* batch_;
  QSpinBox* hidden_;
  QSpinBox* steps_;
  QDoubleSpinBox* discount_;
  QDoubleSpinBox* polyak_;
  QSpinBox* seed_;
  QComboBox* env_;
  QComboBox* physics_;
  QComboBox* reward_;
  QCheckBox* normalizeObs_;
  QSpinBox* evalInterval_;
  QSpinBox* evalEpisodes_;
  QSpinBox* onlineSteps_;  // online fine-tuning env steps after the offline phase (0 = off)
  DeviceGroup* device_;
  QList<QWidget*> liveWidgets_;
  QList<QWidget*> fixedWidgets_;
};

}  // namespace iqlui
