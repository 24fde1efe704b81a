// Where a run trains: Auto (saying what it picks on this machine), each device this build and machine
// offer, and CUDA greyed out with the reason when it cannot be used, so a user sees what is present
// and why not. CUDA graphs and TF32 apply only to a run that would train on CUDA, so they show only
// then. A stored run's device this machine lacks (cuda without CUDA) stays selected, with the reason
// beside it: the form never changes a setting behind the user's back.
#pragma once
#include <QGroupBox>
#include <QString>
#include <vector>

#include "core/config/train_config.h"
#include "core/device/device_choice.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;

namespace iqlui {

// What this build and machine offer (iql::device), separate so a test can describe a machine with a GPU.
struct DeviceSupport {
  std::vector<iql::device::DeviceOption> options;  // "cpu", then "cuda" when usable
  bool cudaUsable = false;
  QString whyNot;  // why CUDA cannot be used here (empty when it can)
  static DeviceSupport detect();
};

class DeviceGroup : public QGroupBox {
  Q_OBJECT
public:
  explicit DeviceGroup(QWidget* parent = nullptr, DeviceSupport support = DeviceSupport::detect());

  // The device, cuda_graphs and matmul_precision settings.
  void setSettings(const iql::TrainConfig& c);
  void applyTo(iql::TrainConfig& c) const;

  QComboBox* deviceBox() const { return device_; }
  QCheckBox* graphsBox() const { return graphs_; }
  QCheckBox* tf32Box() const { return tf32_; }
  QLabel* unavailableNote() const { return note_; }  // shown while a device this machine lacks is chosen

private:
  void updateRows();

  DeviceSupport support_;
  QFormLayout* form_;
  QComboBox* device_;
  QLabel* note_;
  QCheckBox* graphs_;
  QCheckBox* tf32_;
};

}  // namespace iqlui
