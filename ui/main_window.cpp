#include "ui/main_window.h"

#include "ui/population/population_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QScrollArea>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/bench/runtime_info.h"
#include "core/env/env_registry.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/plots/distribution_view.h"
#include "ui/plots/training_plots.h"
#include "ui/sweeps/sweeps_view.h"

#if __has_include("ui/runs/runs_browser.h")
#include "ui/runs/runs_browser.h"
#define IQL_HAVE_RUNS_BROWSER 1
#endif

namespace iqlui {

namespace {
QString formatDuration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return QStringLiteral("–");
  const qint64 s = static_cast<qint64>(seconds + 0.5);
  if (s < 60) return QStringLiteral("%1 s").arg(s);
  if (s < 3600) return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}
}  // namespace

MainWindow::MainWindow(const QString& dbPath, QWidget* parent) : QMainWindow(parent) {
  registerSessionMetaTypes();
  setObjectName(QStringLiteral("MainWindow"));
  buildActions();
  buildCentre();
  buildDocks();
  buildMenus();
  buildStatusBar();
  debounce_.setSingleShot(true);
  debounce_.setInterval(300);
  connect(&debounce_, &QTimer::timeout, this, &MainWindow::sendPendingChanges);
  connect(&replayWatcher_, &QFutureWatcher<RunReplay>::finished, this, &MainWindow::onReplayLoaded);
  setDatabase(dbPath.isEmpty() ? QString::fromStdString(iql::RunStore::default_path()) : dbPath);
  resize(1500, 940);
  updateActions();
}

MainWindow::~MainWindow() = default;  // the session's destructor stops and joins its thread

void MainWindow::buildActions() {
  trainAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Train"), this);
  trainAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
  trainAction_->setToolTip(tr("Start a new run with the dataset and settings on the left (Ctrl+Enter)"));
  pauseAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
  resumeAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("&Resume"), this);
  stopAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), this);
  stopAction_->setToolTip(tr("Stop the run; it is evaluated, checkpointed and kept in the database"));
  fineTuneAction_ = new QAction(tr("&Fine-tune online…"), this);
  fineTuneAction_->setToolTip(tr("Continue the shown offline run with online interaction, as a new linked run"));
  connect(fineTuneAction_, &QAction::triggered, this, [this] {
    bool ok = false;
    const int steps = QInputDialog::getInt(this, tr("Fine-tune online"),
                                           tr("Environment steps of online fine-tuning for run #%1:").arg(shownRunId_),
                                           20000, 1, 10000000, 1000, &ok);
    if (ok) fineTuneRun(shownRunId_, steps);
  });
  connect(trainAction_, &QAction::triggered, this, &MainWindow::startTraining);
  connect(pauseAction_, &QAction::triggered, this, &MainWindow::pauseTraining);
  connect(resumeAction_, &QAction::triggered, this, &MainWindow::resumeTraining);
  connect(stopAction_, &QAction::triggered, this, &MainWindow::stopTraining);

  auto* bar = addToolBar(tr("Training"));
  bar->setObjectName(QStringLiteral("trainingToolBar"));
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->setMovable(false);
  bar->addAction(trainAction_);
  bar->addAction(pauseAction_);
  bar->addAction(resumeAction_);
  bar->addAction(stopAction_);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &dataset…"), QKeySequence::Open, datasetPanel_, &DatasetPanel::openFileDialog);
  file->addAction(tr("Open data&base…"), this, [this] { openDatabaseDialog(false); });
  file->addAction(tr("&New database…"), this, [this] { openDatabaseDialog(true); });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* train = menuBar()->addMenu(tr("&Training"));
  train->addActions({trainAction_, pauseAction_, resumeAction_, stopAction_});
  train->addSeparator();
  train->addAction(fineTuneAction_);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
}

void MainWindow::buildDocks() {
  datasetPanel_ = new DatasetPanel(this);
  auto* datasetDock = new QDockWidget(tr("Dataset"), this);
  datasetDock->setObjectName(QStringLiteral("datasetDock"));
  datasetDock->setWidget(datasetPanel_);
  addDockWidget(Qt::LeftDockWidgetArea, datasetDock);
  connect(datasetPanel_, &DatasetPanel::datasetChanged, this, &MainWindow::onDatasetChanged);
  connect(datasetPanel_, &DatasetPanel::loadingChanged, this, [this] { updateActions(); });
  connect(datasetPanel_, &DatasetPanel::loadFailed, this,
          [this](const QString& msg) { statusBar()->showMessage(tr("Dataset not loaded: %1").arg(msg), 8000); });

  hyperPanel_ = new HyperparameterPanel(this);
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(hyperPanel_);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(hyperPanel_->sizeHint().width() + 20);
  auto* hyperDock = new QDockWidget(tr("Hyperparameters"), this);
  hyperDock->setObjectName(QStringLiteral("hyperparameterDock"));
  hyperDock->setWidget(scroll);
  addDockWidget(Qt::LeftDockWidgetArea, hyperDock);
  splitDockWidget(datasetDock, hyperDock, Qt::Vertical);
  resizeDocks({datasetDock, hyperDock}, {330, 600}, Qt::Vertical);
  connect(hyperPanel_, &HyperparameterPanel::liveValueChanged, this, &MainWindow::onLiveValueChanged);
}

void MainWindow::buildCentre() {
  auto* centre = new QWidget(this);
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  banner_ = new QLabel(centre);
  banner_->setObjectName(QStringLiteral("banner"));
  banner_->setWordWrap(true);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  banner_->setContentsMargins(6, 2, 6, 2);
  layout->addWidget(banner_);

  tabs_ = new QTabWidget(centre);
  tabs_->setObjectName(QStringLiteral("tabs"));
  trainingPlots_ = new TrainingPlots(tabs_);
  distributions_ = new DistributionView(tabs_);
  tabs_->addTab(trainingPlots_, tr("Training"));
  tabs_->addTab(distributions_, tr("Distributions"));
#ifdef IQL_HAVE_RUNS_BROWSER
  auto* browser = new RunsBrowser(tabs_);
  runsWidget_ = browser;
  connect(browser, &RunsBrowser::openRunRequested, this, &MainWindow::openRun);
  connect(browser, &RunsBrowser::resumeRunRequested, this, &MainWindow::continueRun);
#else
  auto* placeholder = new QLabel(tr("The runs browser is not part of this build."), tabs_);
  placeholder->setAlignment(Qt::AlignCenter);
  runsWidget_ = placeholder;
#endif
  tabs_->addTab(runsWidget_, tr("Runs"));
  population_ = new PopulationView(tabs_);
  population_->setBaseConfigProvider([this] {
    iql::TrainConfig cfg = hyperPanel_->config();
    cfg.dataset = datasetPanel_->currentDataset().toStdString();
    return cfg;
  });
  population_->setDatabasePath(dbPath_);
  tabs_->addTab(population_, tr("Population"));
  auto* sweeps = new SweepsView(tabs_);
  connect(sweeps, &SweepsView::errorOccurred, this, [this](const QString& m) { showBanner(m, true); });
  tabs_->addTab(sweeps, tr("Sweeps"));
  layout->addWidget(tabs_, 1);
  setCentralWidget(centre);
  showBanner(tr("Choose a dataset and settings on the left, then press Train."));
}

void MainWindow::buildStatusBar() {
  stepLabel_ = new QLabel(this);
  rateLabel_ = new QLabel(this);
  etaLabel_ = new QLabel(this);
  progressBar_ = new QProgressBar(this);
  progressBar_->setMaximumWidth(160);
  progressBar_->setMaximumHeight(14);
  progressBar_->setRange(0, 1000);
  progressBar_->setValue(0);
  progressBar_->setTextVisible(false);
  runtimeLabel_ = new QLabel(QString::fromStdString(iql::runtime_info_text()).simplified(), this);
  runtimeLabel_->setObjectName(QStringLiteral("runtimeInfo"));
  runtimeLabel_->setToolTip(tr("Numeric runtime: torch version, intra-op threads and the BLAS library in use"));
  statusBar()->addPermanentWidget(stepLabel_);
  statusBar()->addPermanentWidget(progressBar_);
  statusBar()->addPermanentWidget(rateLabel_);
  statusBar()->addPermanentWidget(etaLabel_);
  statusBar()->addPermanentWidget(runtimeLabel_);
}

void MainWindow::setDatabase(const QString& path) {
  dbPath_ = path;
  setWindowTitle(QStringLiteral("IQL Workbench — %1").arg(QFileInfo(path).fileName()));
  setWindowFilePath(path);
  if (population_) population_->setDatabasePath(path);
#ifdef IQL_HAVE_RUNS_BROWSER
  static_cast<RunsBrowser*>(runsWidget_)->setDatabase(path);
#endif
  statusBar()->showMessage(tr("Database: %1").arg(path), 5000);
}

void MainWindow::openDatabaseDialog(bool create) {
  const QString filter = tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)");
  const QString dir = QFileInfo(dbPath_).absolutePath();
  const QString path = create ? QFileDialog::getSaveFileName(this, tr("New database"), dir, filter)
                              : QFileDialog::getOpenFileName(this, tr("Open database"), dir, filter);
  if (path.isEmpty()) return;
  try {
    iql::RunStore check(path.toStdString());  // creates/migrates it, or says why not
  } catch (const std::exception& e) {
    showBanner(QString::fromStdString(e.what()), true);
    return;
  }
  setDatabase(path);
}

void MainWindow::newSession() {
  session_ = std::make_unique<TrainingSession>();
  TrainingSession* s = session_.get();
  connect(s, &TrainingSession::started, this, [this](qint64 runId) {
    shownRunId_ = runId;
    const iql::TrainConfig& c = session_->config();
    showBanner(tr("Run #%1 · %2 on %3 · τ %4 · β %5 · training")
                   .arg(runId)
                   .arg(QString::fromStdString(c.algorithm), QFileInfo(QString::fromStdString(c.dataset)).fileName())
                   .arg(c.expectile)
                   .arg(c.temperature));
#ifdef IQL_HAVE_RUNS_BROWSER
    static_cast<RunsBrowser*>(runsWidget_)->refresh();
#endif
    // The core reports the calling (GUI) thread's count; show what the run uses too.
    runtimeLabel_->setText(QString::fromStdString(iql::runtime_info_text()).simplified() +
                           tr(" · training threads: %1").arg(c.threads));
    Q_EMIT trainingStarted(runId);
  });
  connect(s, &TrainingSession::metricsBatch, trainingPlots_, &TrainingPlots::addMetrics);
  connect(s, &TrainingSession::evaluation, trainingPlots_, &TrainingPlots::addEvaluation);
  connect(s, &TrainingSession::probe, distributions_, &DistributionView::setProbe);
  connect(s, &TrainingSession::event, this, &MainWindow::onEvent);
  connect(s, &TrainingSession::progress, this, &MainWindow::onProgress);
  connect(s, &TrainingSession::stateChanged, this, [this] { updateActions(); });
  connect(s, &TrainingSession::finished, this, &MainWindow::onSessionFinished);
  connect(s, &TrainingSession::failed, this, &MainWindow::onSessionFailed);
}

void MainWindow::startTraining() {
  if (session_ && session_->isActive()) return;
  iql::TrainConfig cfg = hyperPanel_->config();
  cfg.dataset = datasetPanel_->currentDataset().toStdString();
  try {
    cfg.validate();
  } catch (const iql::UserError& e) {
    showBanner(QString::fromStdString(e.what()), true);
    return;
  }
  trainingPlots_->clear();
  distributions_->clear();
  pendingChanges_.clear();
  shownRunId_ = 0;
  newSession();
  showBanner(tr("Starting: loading %1 and building the networks…").arg(QString::fromStdString(cfg.dataset)));
  session_->start(cfg, dbPath_);
  tabs_->setCurrentWidget(trainingPlots_);
  updateActions();
}

void MainWindow::continueRun(qint64 runId) {
  if (session_ && session_->isActive()) {
    showBanner(tr("Stop the current run before continuing run #%1.").arg(runId), true);
    return;
  }
  trainingPlots_->clear();
  distributions_->clear();
  newSession();
  session_->continueRun(runId, dbPath_);
  tabs_->setCurrentWidget(trainingPlots_);
  updateActions();
}

void MainWindow::fineTuneRun(qint64 runId, qint64 onlineSteps) {
  if (session_ && session_->isActive()) {
    showBanner(tr("Stop the current run before fine-tuning run #%1.").arg(runId), true);
    return;
  }
  trainingPlots_->clear();
  distributions_->clear();
  newSession();
  try {
    session_->fineTune(runId, dbPath_, onlineSteps);
  } catch (const iql::UserError& e) {
    showBanner(QString::fromStdString(e.what()), true);
    return;
  }
  showBanner(tr("Fine-tuning run #%1 online for %2 environment steps…").arg(runId).arg(onlineSteps));
  tabs_->setCurrentWidget(trainingPlots_);
  updateActions();
}

void MainWindow::pauseTraining() {
  if (session_) session_->pause();
}

void MainWindow::resumeTraining() {
  if (session_) session_->resume();
}

void MainWindow::stopTraining() {
  if (!session_) return;
  sendPendingChanges();
  session_->stop();
  showBanner(tr("Stopping: finishing the step, evaluating and saving a checkpoint…"));
}

void MainWindow::onLiveValueChanged(const QString& name, double value) {
  if (name == QLatin1String("expectile")) distributions_->setCurrentTau(value);
  if (name == QLatin1String("temperature")) distributions_->setCurrentBeta(value);
  if (!session_ || !session_->isActive()) return;
  pendingChanges_[name] = value;
  debounce_.start();  // restarts: only the value the user settles on is sent
}

void MainWindow::sendPendingChanges() {
  debounce_.stop();
  if (session_ && session_->isActive())
    for (auto it = pendingChanges_.cbegin(); it != pendingChanges_.cend(); ++it)
      session_->changeHyperparameter(it.key(), it.value());
  pendingChanges_.clear();
}

void MainWindow::onProgress(qint64 step, qint64 total, double stepsPerSec) {
  const QLocale locale;
  stepLabel_->setText(tr("step %1 / %2").arg(locale.toString(step), locale.toString(total)));
  progressBar_->setValue(total > 0 ? static_cast<int>(1000.0 * step / total) : 0);
  rateLabel_->setText(tr("%1 steps/s").arg(locale.toString(stepsPerSec, 'f', 0)));
  etaLabel_->setText(tr("ETA %1").arg(stepsPerSec > 0 ? formatDuration((total - step) / stepsPerSec)
                                                      : QStringLiteral("–")));
}

void MainWindow::onEvent(const EventSample& e) {
  trainingPlots_->addEvent(e);
  if (e.kind == QLatin1String("hyperparameter"))
    statusBar()->showMessage(tr("%1 applied at step %2").arg(markerLabel(e)).arg(e.step), 6000);
  else
    statusBar()->showMessage(tr("%1 at step %2").arg(e.kind).arg(e.step), 4000);
}

void MainWindow::onSessionFinished(const QString& status, qint64 runId) {
  trainingPlots_->flushNow();
  showBanner(tr("Run #%1 %2 at step %3 · stored in %4")
                 .arg(runId)
                 .arg(status)
                 .arg(stepLabel_->text().section(' ', 1, 1))
                 .arg(QFileInfo(dbPath_).fileName()));
  etaLabel_->clear();
  updateActions();
#ifdef IQL_HAVE_RUNS_BROWSER
  static_cast<RunsBrowser*>(runsWidget_)->refresh();
#endif
  Q_EMIT trainingFinished(status, runId);
  if (closeWhenStopped_) close();
}

void MainWindow::onSessionFailed(const QString& message) {
  showBanner(message, true);
  etaLabel_->clear();
  updateActions();
  Q_EMIT trainingFailed(message);
  if (closeWhenStopped_) close();
}

void MainWindow::openRun(qint64 runId) {
  if (session_ && session_->isActive()) {
    showBanner(tr("Stop the current run before opening run #%1.").arg(runId), true);
    return;
  }
  showBanner(tr("Loading run #%1…").arg(runId));
  replayWatcher_.setFuture(QtConcurrent::run(loadRunReplay, dbPath_, runId));
}

void MainWindow::onReplayLoaded() {
  const RunReplay r = replayWatcher_.result();
  if (!r.error.isEmpty()) {
    showBanner(r.error, true);
    return;
  }
  trainingPlots_->clear();
  distributions_->clear();
  trainingPlots_->addMetrics(r.metrics);
  for (const EvalSample& e : r.evaluations) trainingPlots_->addEvaluation(e);
  for (const EventSample& e : r.events) trainingPlots_->addEvent(e);
  for (int i = 0; i + 1 < r.probes.size(); ++i)
    if (const HistogramSample* adv = r.probes[i].histogram(QStringLiteral("adv")))
      distributions_->addAdvantageHistory(r.probes[i].step, *adv);
  if (!r.probes.isEmpty()) distributions_->setProbe(r.probes.last());
  trainingPlots_->flushNow();
  shownRunId_ = r.runId;
  showBanner(tr("Run #%1 · %2 · %3 at step %4 (stored)").arg(r.runId).arg(r.name, r.status).arg(r.steps));
  tabs_->setCurrentWidget(trainingPlots_);
  Q_EMIT runReplayed(r.runId);
}

void MainWindow::onDatasetChanged(const QString& source) {
  // Pick the environment the dataset's name mentions (hopper-medium-v2.hdf5 -> hopper).
  const QString file = QFileInfo(source).fileName().toLower();
  for (const auto& env : iql::env_names()) {
    const QString name = QString::fromStdString(env);
    if (file.contains(name)) {
      hyperPanel_->setEnvironment(name);
      break;
    }
  }
  const auto& s = datasetPanel_->summary();
  statusBar()->showMessage(tr("Dataset %1: %2 transitions, %3 episodes")
                               .arg(QFileInfo(source).fileName())
                               .arg(s.transitions)
                               .arg(s.episodes),
                           5000);
  updateActions();
}

void MainWindow::updateActions() {
  using S = TrainingSession::State;
  const S state = session_ ? session_->state() : S::Idle;
  const bool active = session_ && session_->isActive();
  trainAction_->setEnabled(!active && !datasetPanel_->currentDataset().isEmpty() && !datasetPanel_->isLoading());
  pauseAction_->setEnabled(state == S::Running || state == S::Starting);
  resumeAction_->setEnabled(state == S::Paused);
  stopAction_->setEnabled(active && state != S::Stopping);
  fineTuneAction_->setEnabled(!active && shownRunId_ > 0);
  hyperPanel_->setTrainingActive(active);
  datasetPanel_->setEnabled(!active);
  progressBar_->setVisible(active || progressBar_->value() > 0);
}

void MainWindow::showBanner(const QString& text, bool error) {
  banner_->setText(text);
  banner_->setStyleSheet(error ? QStringLiteral("QLabel { color: #b00020; background: #fdecea; }")
                               : QStringLiteral("QLabel { color: #333; background: #eef3f8; }"));
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (session_ && session_->isActive()) {
    // Let the run end cleanly (stored as stopped, checkpointed) without blocking the GUI.
    closeWhenStopped_ = true;
    stopTraining();
    e->ignore();
    return;
  }
  e->accept();
}

}  // namespace iqlui
