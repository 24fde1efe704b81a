#include "ui/panels/device_group.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QStandardItemModel>
#include <utility>

namespace iqlui {

DeviceSupport DeviceSupport::detect() {
  DeviceSupport s;
  std::string why;
  s.cudaUsable = iql::device::cuda_usable(&why);
  s.whyNot = QString::fromStdString(why);
  s.options = iql::device::available_devices();
  return s;
}

DeviceGroup::DeviceGroup(QWidget* parent, DeviceSupport support)
    : QGroupBox(tr("Device"), parent), support_(std::move(support)) {
  form_ = new QFormLayout(this);
  device_ = new QComboBox(this);
  device_->setObjectName(QStringLiteral("device"));
  // a long CPU model name must not widen the dock; the item's tooltip has it whole
  device_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  device_->setMinimumContentsLength(14);
  device_->addItem(support_.cudaUsable ? tr("Auto (CUDA here)") : tr("Auto (CPU here)"), QStringLiteral("auto"));
  device_->setItemData(0, tr("CUDA when this build has it and a GPU is visible, else the CPU"), Qt::ToolTipRole);
  bool cudaListed = false;
  for (const auto& o : support_.options) {
    const QString label = QString::fromStdString(o.label);
    device_->addItem(label, QString::fromStdString(o.key));
    device_->setItemData(device_->count() - 1, label, Qt::ToolTipRole);
    cudaListed = cudaListed || o.key == "cuda";
  }
  QString tip = tr("Where the update runs; a run records the device it used");
  if (!cudaListed) {
    // listed, greyed out, so the choice is visibly absent rather than missing
    device_->addItem(tr("CUDA: not available"), QStringLiteral("cuda"));
    const int i = device_->count() - 1;
    device_->setItemData(i, support_.whyNot, Qt::ToolTipRole);
    if (auto* model = qobject_cast<QStandardItemModel*>(device_->model())) model->item(i)->setEnabled(false);
    tip += tr("\nCUDA is not available here: %1").arg(support_.whyNot);
  }
  device_->setToolTip(tip);
  form_->addRow(tr("Device"), device_);

  note_ = new QLabel(this);
  note_->setObjectName(QStringLiteral("deviceUnavailable"));
  note_->setWordWrap(true);
  note_->setText(tr("Not available here: %1. Choose Auto or CPU to train on this machine.").arg(support_.whyNot));
  form_->addRow(note_);

  graphs_ = new QCheckBox(tr("CUDA graphs"), this);
  graphs_->setObjectName(QStringLiteral("cudaGraphs"));
  graphs_->setToolTip(tr("Capture the update once as a CUDA graph and replay it (live changes still apply); "
                         "off: eager execution"));
  form_->addRow(QString(), graphs_);
  tf32_ = new QCheckBox(tr("TF32 matmuls"), this);
  tf32_->setObjectName(QStringLiteral("tf32"));
  tf32_->setToolTip(tr("TensorFloat-32 matrix products on GPUs that have them: faster, with a 10-bit mantissa; "
                       "off: full FP32"));
  form_->addRow(QString(), tf32_);

  connect(device_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { updateRows(); });
  setSettings(iql::TrainConfig{});
}

void DeviceGroup::setSettings(const iql::TrainConfig& c) {
  if (const int i = device_->findData(QString::fromStdString(c.device)); i >= 0) device_->setCurrentIndex(i);
  graphs_->setChecked(c.cuda_graphs != "off");
  tf32_->setChecked(c.matmul_precision == "tf32");
  updateRows();
}

void DeviceGroup::applyTo(iql::TrainConfig& c) const {
  c.device = device_->currentData().toString().toStdString();
  c.cuda_graphs = graphs_->isChecked() ? "on" : "off";
  c.matmul_precision = tf32_->isChecked() ? "tf32" : "fp32";
}

void DeviceGroup::updateRows() {
  const QString key = device_->currentData().toString();
  const bool onCuda = key == QLatin1String("cuda") || (key == QLatin1String("auto") && support_.cudaUsable);
  form_->setRowVisible(note_, key == QLatin1String("cuda") && !support_.cudaUsable);
  form_->setRowVisible(graphs_, onCuda);
  form_->setRowVisible(tf32_, onCuda);
}

}  // namespace iqlui
