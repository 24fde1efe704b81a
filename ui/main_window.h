// The workbench window: dataset and hyperparameter docks on the left, Training / Distributions /
// Runs tabs in the centre, Train/Pause/Resume/Stop in the toolbar, rate/ETA/step/BLAS in the status
// bar. Owns the TrainingSession of the current run and replays stored runs into the same plots. The
// toolbar and the status bar follow whichever session trains: this window's run or the Population
// tab's population. Remembers its geometry, dataset and sweep folder between starts (WindowSettings).
#pragma once
#include <QFutureWatcher>
#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <QTimer>
#include <memory>

#include "ui/replay/run_replay.h"
#include "ui/session/training_session.h"

class QAction;
class QLabel;
class QProgressBar;
class QTabWidget;

namespace iqlui {

class DatasetPanel;
class RunBanner;
class RunStatusBar;
class HyperparameterPanel;
class TrainingPlots;
class DistributionView;
class PopulationView;
class SweepsView;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(const QString& dbPath = QString(), QWidget* parent = nullptr);
  ~MainWindow() override;

  QString databasePath() const { return dbPath_; }
  DatasetPanel* datasetPanel() const { return datasetPanel_; }
  HyperparameterPanel* hyperparameterPanel() const { return hyperPanel_; }
  TrainingPlots* trainingPlots() const { return trainingPlots_; }
  DistributionView* distributionView() const { return distributions_; }
  QTabWidget* tabs() const { return tabs_; }
  TrainingSession* session() const { return session_.get(); }
  // The session the toolbar and status bar show: the last started run or population (may be null).
  TrainingSession* followedSession() const { return followed_.data(); }
  SweepsView* sweepsView() const { return sweeps_; }
  // The dataset of the last start when it still opens (empty otherwise): what to select at start-up.
  QString rememberedDataset() const { return rememberedDataset_; }
  QAction* trainAction() const { return trainAction_; }
  QAction* pauseAction() const { return pauseAction_; }
  QAction* resumeAction() const { return resumeAction_; }
  QAction* stopAction() const { return stopAction_; }
  QWidget* runsBrowserWidget() const { return runsWidget_; }
  PopulationView* populationView() const { return population_; }
  qint64 shownRunId() const { return shownRunId_; }
  RunBanner* banner() const { return banner_; }
  RunStatusBar* runStatus() const { return runStatus_; }

public Q_SLOTS:
  void setDatabase(const QString& path);
  void startTraining();
  void pauseTraining();
  void resumeTraining();
  void stopTraining();
  void openRun(qint64 runId);      // replay a stored run in the plots
  void continueRun(qint64 runId);  // train a stored run further from its checkpoint
  // Fine-tune a stored offline run online for onlineSteps environment steps (a new, linked run).
  void fineTuneRun(qint64 runId, qint64 onlineSteps);

Q_SIGNALS:
  void trainingStarted(qint64 runId);
  void trainingFinished(const QString& status, qint64 runId);
  void trainingFailed(const QString& message);
  void runReplayed(qint64 runId);

protected:
  void closeEvent(QCloseEvent* e) override;

private:
  void buildActions();
  void buildMenus();
  void buildDocks();
  void buildCentre();
  void buildStatusBar();
  void newSession();
  void updateActions();
  void showBanner(const QString& text, bool error = false);
  void resetRunViews();  // before any start: no range, step or rate of an earlier run stays
  void onStateChanged();
  void onLiveValueChanged(const QString& name, double value);
  void sendPendingChanges();
  void onProgress(qint64 step, qint64 total);
  void onEvent(const iqlui::EventSample& e);
  void showEventMessage(const iqlui::EventSample& e);
  void onSessionLaunched(TrainingSession* s);  // any session; follows a population's
  void onPopulationEnded(const QString& text, bool error);
  bool anyActive() const;  // this window's run or the followed population
  void restoreSettings();
  void saveSettings();
  void onSessionFinished(const QString& status, qint64 runId);
  void onSessionFailed(const QString& message);
  void onReplayLoaded();
  void onDatasetChanged(const QString& source);
  void openDatabaseDialog(bool create);

  QString dbPath_;
  std::unique_ptr<TrainingSession> session_;
  QPointer<TrainingSession> followed_;  // session_ or the Population tab's session
  SweepsView* sweeps_ = nullptr;
  QString rememberedDataset_;
  QString populationLine_;  // the banner's text for the followed population, before its state
  DatasetPanel* datasetPanel_ = nullptr;
  HyperparameterPanel* hyperPanel_ = nullptr;
  TrainingPlots* trainingPlots_ = nullptr;
  DistributionView* distributions_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QWidget* runsWidget_ = nullptr;
  PopulationView* population_ = nullptr;
  RunBanner* banner_ = nullptr;
  QAction* trainAction_ = nullptr;
  QAction* pauseAction_ = nullptr;
  QAction* resumeAction_ = nullptr;
  QAction* stopAction_ = nullptr;
  QAction* fineTuneAction_ = nullptr;
  RunStatusBar* runStatus_ = nullptr;
  QTimer debounce_;
  QMap<QString, double> pendingChanges_;
  QFutureWatcher<RunReplay> replayWatcher_;
  qint64 shownRunId_ = 0;
  bool closeWhenStopped_ = false;
};

}  // namespace iqlui
