// The Device group of the settings panel: what it offers on this GPU-less machine (Auto, the CPU, and
// CUDA greyed out with the reason), that the choice reaches the TrainConfig a run starts with, that
// CUDA graphs and TF32 show only for a run that would train on CUDA, and that a stored run's device
// this machine lacks stays as stored with the reason in view. A described machine with a GPU
// (DeviceSupport) checks the CUDA side without one.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QAbstractItemView>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/config/train_config.h"
#include "core/device/device_choice.h"
#include "ui/panels/device_group.h"
#include "core/store/run_store.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"

using iqlui::DeviceGroup;
using iqlui::DeviceSupport;
using iqlui::HyperparameterPanel;

namespace {
QStringList keys(const QComboBox* c) {
  QStringList out;
  for (int i = 0; i < c->count(); ++i) out << c->itemData(i).toString();
  return out;
}
bool itemEnabled(const QComboBox* c, int i) {
  return qobject_cast<const QStandardItemModel*>(c->model())->item(i)->isEnabled();
}
void choose(QComboBox* c, const QString& key) {
  const int i = c->findData(key);
  QVERIFY2(i >= 0, qPrintable(key));
  c->setCurrentIndex(i);
}
// A machine with one GPU, as available_devices() lists it there.
DeviceSupport withGpu() {
  DeviceSupport s;
  s.options = {{"cpu", "CPU: Test CPU"}, {"cuda", "CUDA: NVIDIA H200"}};
  s.cudaUsable = true;
  return s;
}
}  // namespace

// The checks on this machine's own offer describe one without CUDA.
#define SKIP_WITH_CUDA() \
  if (iql::device::cuda_usable()) QSKIP("this check describes a machine without CUDA; this one has it")

class TestDeviceGroup : public QObject {
  Q_OBJECT
private:
  QTemporaryDir dir_;

  // Every shown field of the group lies inside the scroll area's viewport, whole: not cut at the
  // dock's edge, and a wrapped note as tall as its text needs.
  static void checkFits(DeviceGroup* group, QScrollArea* scroll) {
    QWidget* viewport = scroll->viewport();
    for (QWidget* field : group->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
      if (!field->isVisibleTo(group)) continue;
      const QRect r(field->mapTo(viewport, QPoint(0, 0)), field->size());
      QVERIFY2(r.left() >= 0 && r.right() < viewport->width(),
               qPrintable(QStringLiteral("%1 spans x %2..%3 in a viewport %4 wide")
                              .arg(field->objectName()).arg(r.left()).arg(r.right()).arg(viewport->width())));
      QVERIFY2(r.top() >= 0 && r.bottom() < viewport->height(),
               qPrintable(QStringLiteral("%1 spans y %2..%3 in a viewport %4 high")
                              .arg(field->objectName()).arg(r.top()).arg(r.bottom()).arg(viewport->height())));
      if (field->sizePolicy().hasHeightForWidth())
        QVERIFY2(field->height() >= field->heightForWidth(field->width()), qPrintable(field->objectName()));
    }
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);  // the window's remembered size and docks stay out of the user's
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath("config"));
  }

  void offersAutoAndCpuAndSaysWhyNotCuda() {
    SKIP_WITH_CUDA();
    DeviceGroup group;
    const QComboBox* box = group.deviceBox();
    QCOMPARE(keys(box), (QStringList{"auto", "cpu", "cuda"}));
    QVERIFY(itemEnabled(box, 0));
    QVERIFY(itemEnabled(box, 1));
    QVERIFY2(!itemEnabled(box, 2), "CUDA is listed but cannot be chosen");
    std::string why;
    QVERIFY(!iql::device::cuda_usable(&why));
    QVERIFY(!why.empty());
    QVERIFY(box->itemData(2, Qt::ToolTipRole).toString() == QString::fromStdString(why));
    QVERIFY(box->toolTip().contains(QString::fromStdString(why)));
  }

  void choiceReachesTheConfig() {
    SKIP_WITH_CUDA();
    HyperparameterPanel panel;
    QComboBox* box = panel.deviceGroup()->deviceBox();
    QCOMPARE(panel.config().device, std::string("auto"));  // the quick-start choice, as the CLI's default
    choose(box, "cpu");
    QCOMPARE(panel.config().device, std::string("cpu"));
    choose(box, "auto");
    QCOMPARE(panel.config().device, std::string("auto"));
    // the CUDA settings pass through unchanged while they do not apply
    QCOMPARE(panel.config().cuda_graphs, std::string("on"));
    QCOMPARE(panel.config().matmul_precision, std::string("fp32"));
  }

  void cudaControlsHiddenOnTheCpu() {
    SKIP_WITH_CUDA();
    HyperparameterPanel panel;
    panel.show();
    DeviceGroup* group = panel.deviceGroup();
    for (const QString key : {"auto", "cpu"}) {  // auto is the CPU here
      choose(group->deviceBox(), key);
      QVERIFY2(!group->graphsBox()->isVisibleTo(&panel), qPrintable(key));
      QVERIFY2(!group->tf32Box()->isVisibleTo(&panel), qPrintable(key));
      QVERIFY2(!group->unavailableNote()->isVisibleTo(&panel), qPrintable(key));
    }
  }

  void storedCudaRunShownAsStoredWithTheReason() {
    SKIP_WITH_CUDA();
    HyperparameterPanel panel;
    panel.show();
    iql::TrainConfig stored = HyperparameterPanel::quickStartConfig();
    stored.device = "cuda";
    stored.cuda_graphs = "off";
    stored.matmul_precision = "tf32";
    panel.setConfig(stored);
    DeviceGroup* group = panel.deviceGroup();
    QCOMPARE(group->deviceBox()->currentData().toString(), QStringLiteral("cuda"));
    const iql::TrainConfig shown = panel.config();
    QCOMPARE(shown.device, std::string("cuda"));
    QCOMPARE(shown.cuda_graphs, std::string("off"));
    QCOMPARE(shown.matmul_precision, std::string("tf32"));
    QVERIFY(group->graphsBox()->isVisibleTo(&panel));
    QVERIFY(!group->graphsBox()->isChecked());
    QVERIFY(group->tf32Box()->isVisibleTo(&panel));
    QVERIFY(group->tf32Box()->isChecked());
    std::string why;
    iql::device::cuda_usable(&why);
    QVERIFY(group->unavailableNote()->isVisibleTo(&panel));
    QVERIFY(group->unavailableNote()->text().contains(QString::fromStdString(why)));
    // choosing the CPU hides the note and the CUDA settings, and keeps their values
    choose(group->deviceBox(), "cpu");
    QVERIFY(!group->unavailableNote()->isVisibleTo(&panel));
    QCOMPARE(panel.config().matmul_precision, std::string("tf32"));
  }

  void fixedWhileTraining() {
    HyperparameterPanel panel;
    panel.setTrainingActive(true);
    QVERIFY(!panel.deviceGroup()->deviceBox()->isEnabled());
    panel.setTrainingActive(false);
    QVERIFY(panel.deviceGroup()->deviceBox()->isEnabled());
  }

  void onAMachineWithAGpu() {
    DeviceGroup group(nullptr, withGpu());
    group.show();
    QComboBox* box = group.deviceBox();
    QCOMPARE(keys(box), (QStringList{"auto", "cpu", "cuda"}));
    for (int i = 0; i < box->count(); ++i) QVERIFY(itemEnabled(box, i));
    iql::TrainConfig c;
    c.device = "auto";
    group.setSettings(c);
    QVERIFY2(group.graphsBox()->isVisibleTo(&group), "auto trains on the GPU there");
    QVERIFY(group.tf32Box()->isVisibleTo(&group));
    choose(box, "cpu");
    QVERIFY(!group.graphsBox()->isVisibleTo(&group));
    QVERIFY(!group.tf32Box()->isVisibleTo(&group));
    choose(box, "cuda");
    QVERIFY(group.graphsBox()->isVisibleTo(&group));
    QVERIFY(!group.unavailableNote()->isVisibleTo(&group));
    group.graphsBox()->setChecked(false);
    group.tf32Box()->setChecked(true);
    iql::TrainConfig out;
    group.applyTo(out);
    QCOMPARE(out.device, std::string("cuda"));
    QCOMPARE(out.cuda_graphs, std::string("off"));
    QCOMPARE(out.matmul_precision, std::string("tf32"));
  }

  // Train with a stored run's CUDA on a machine without it: a clear error that says why, and no run.
  void trainingOnCudaHereFailsSayingWhy() {
    SKIP_WITH_CUDA();
    const QString db = dir_.filePath("cuda.db");
    iqlui::MainWindow w(db);
    QSignalSpy loaded(w.datasetPanel(), &iqlui::DatasetPanel::datasetChanged);
    w.datasetPanel()->selectDataset(QStringLiteral("pendulum-medium"));
    QVERIFY(loaded.wait(60000));
    iql::TrainConfig c = w.hyperparameterPanel()->config();
    c.device = "cuda";
    c.steps = 10;
    w.hyperparameterPanel()->setConfig(c);
    QSignalSpy failed(&w, &iqlui::MainWindow::trainingFailed);
    QSignalSpy started(&w, &iqlui::MainWindow::trainingStarted);
    w.trainAction()->trigger();
    QVERIFY(failed.wait(60000));
    std::string why;
    iql::device::cuda_usable(&why);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(QString::fromStdString(why)), qPrintable(message));
    QCOMPARE(started.size(), 0);
    QCOMPARE(iql::RunStore(db.toStdString()).list_runs().size(), size_t(0));
  }

  // The group in the real window, scrolled into view in the settings dock, at the two sizes the GUI is
  // looked at: as it opens, and with a stored CUDA run loaded (note and CUDA settings shown).
  // IQL_UI_SHOTS=DIR saves what a user sees there.
  void fitsTheSettingsDock_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("1100x700") << QSize(1100, 700);
    QTest::newRow("1600x1000") << QSize(1600, 1000);
  }
  void fitsTheSettingsDock() {
    QFETCH(QSize, size);
    iqlui::MainWindow w(dir_.filePath("runs.db"));
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.size(), size);
    HyperparameterPanel* panel = w.hyperparameterPanel();
    DeviceGroup* group = panel->deviceGroup();
    QScrollArea* scroll = nullptr;
    for (QWidget* p = panel->parentWidget(); p && !scroll; p = p->parentWidget()) scroll = qobject_cast<QScrollArea*>(p);
    QVERIFY(scroll);
    const QString shots = qEnvironmentVariable("IQL_UI_SHOTS");
    const auto look = [&](const QString& name) {
      QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
      scroll->ensureWidgetVisible(group, 0, 0);
      QCoreApplication::processEvents();
      checkFits(group, scroll);
      if (!shots.isEmpty())
        QVERIFY(w.grab().save(QStringLiteral("%1/device_%2_%3.png").arg(shots, name).arg(size.width())));
    };
    look(QStringLiteral("default"));
    if (QTest::currentTestFailed()) return;
    if (iql::device::cuda_usable()) return;  // the rest shows a device this machine lacks
    iql::TrainConfig stored = panel->config();
    stored.device = "cuda";
    panel->setConfig(stored);
    QVERIFY(group->unavailableNote()->isVisibleTo(panel));
    look(QStringLiteral("cuda_unavailable"));
    if (shots.isEmpty()) return;
    group->deviceBox()->showPopup();
    QVERIFY(QTest::qWaitForWindowExposed(group->deviceBox()->view()->window()));
    QVERIFY(group->deviceBox()->view()->window()->grab().save(
        QStringLiteral("%1/device_popup_%2.png").arg(shots).arg(size.width())));
    group->deviceBox()->hidePopup();
  }
};

QTEST_MAIN(TestDeviceGroup)
#include "test_device_group.moc"
