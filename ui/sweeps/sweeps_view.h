// The Sweeps tab: open a sweep folder and watch it live. Every two seconds a worker thread reads the
// sweep's status (task records, squeue, shards read-only) and collects its shards into a view store
// (in the cache folder, never in the sweep folder), then the GUI thread updates the task table, the
// progress bar and a CompareView (curves, config diff, tau x beta heat map) over the sweep's runs, and,
// where the view store holds offline estimates for them, an OpeScatter.
// One refresh runs at a time; the GUI thread never waits on it.
#pragma once
#include <QFutureWatcher>
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>

#include "core/sweep/sweep_status.h"

class QLabel;
class QProgressBar;
class QTableView;
class QTimer;

namespace iql {
class RunStore;
}

namespace iqlui {

class CompareView;
class OpeScatter;
class SweepTaskModel;

class SweepsView : public QWidget {
  Q_OBJECT
public:
  explicit SweepsView(QWidget* parent = nullptr);
  ~SweepsView() override;

  // Opens the folder and starts refreshing it; false (and errorOccurred) when it is not a sweep.
  bool openSweep(const QString& dir);
  void refresh();  // a refresh now, unless one is already running
  void setRefreshInterval(int ms);

  QString sweepDir() const { return dir_; }
  QString viewStorePath() const { return viewDb_; }
  SweepTaskModel* taskModel() const { return model_; }
  CompareView* compareView() const { return compare_; }
  OpeScatter* opeScatter() const { return ope_; }
  QProgressBar* progressBar() const { return progress_; }
  QTableView* taskTable() const { return table_; }
  QString summary() const;

Q_SIGNALS:
  void refreshed();  // a snapshot landed in the widgets
  void errorOccurred(const QString& message);

private:
  struct Snapshot {
    iql::SweepStatus status;
    QList<qint64> runIds;
    qint64 rowsCopied = 0;
    int runsChanged = 0;
    QString error;
  };
  void chooseFolder();
  void apply();
  void fitColumns();
  void elideTitle();
  bool eventFilter(QObject* watched, QEvent* event) override;

  QString dir_, viewDb_, fullTitle_;
  QLabel* title_ = nullptr;
  QLabel* summary_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QTableView* table_ = nullptr;
  SweepTaskModel* model_ = nullptr;
  CompareView* compare_ = nullptr;
  OpeScatter* ope_ = nullptr;
  QTimer* timer_ = nullptr;
  QFutureWatcher<Snapshot>* watcher_ = nullptr;
  std::shared_ptr<iql::RunStore> store_;  // the view store, GUI-thread connection
  QList<qint64> shownRuns_;
};

}  // namespace iqlui
