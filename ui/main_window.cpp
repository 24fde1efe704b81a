#include "ui/main_window.h"

#include "core/runtime/process_setup.h"
#include "core/runtime/training_slots.h"
#include "ui/population/population_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/runtime_torch/runtime_info.h"
#include "core/env/env_registry.h"
#include "core/store/run_store.h"
#include "core/util/errors.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/plots/distribution_view.h"
#include "ui/plots/training_plots.h"
#include "ui/sweeps/sweeps_view.h"
#include "ui/runs/stored_run_settings.h"
#include "ui/help_menu.h"
#include "ui/session/session_launches.h"
#include "ui/window_settings.h"
#include "ui/status/run_banner.h"
#include "ui/runs/run_device_facts.h"
#include "ui/status/run_status_bar.h"

#if __has_include("ui/runs/runs_browser.h")
#include "ui/runs/runs_browser.h"
#define IQL_HAVE_RUNS_BROWSER 1
#endif

namespace iqlui {

namespace {
// "torch 1.13.1 · SkylakeX (corrected from Prescott)": the BLAS kernel core (or the BLAS library when
// it has no core) and whether it was corrected at start-up (the full line is the label's tooltip).
QString shortRuntime() {
  const iql::RuntimeInfo r = iql::runtime_info();
  // The library's name made the permanent labels so wide at 1100 px that messages were cut.
  QString s = QStringLiteral("torch %1 · %2").arg(QString::fromStdString(r.torch_version),
                                                  QString::fromStdString(r.blas_core.empty() ? r.blas_name : r.blas_core));
  const auto b = iql::runtime::blas_status();
  if (b.corrected) s += QStringLiteral(" (corrected from %1)").arg(QString::fromStdString(b.corrected_from));
  return s;
}
// Threads a run uses: 0 is "auto", which a run resolves once, at its start, to the CPUs this process
// may use (capped; runtime::default_training_threads), so the count it will train with is shown too.
QString threadsText(int threads) {
  if (threads > 0) return QString::number(threads);
  return QStringLiteral("auto (%1)").arg(iql::runtime::default_training_threads());
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
  // Fit the screen's available area (at 1.5x scaling 1500x940 logical pixels may not fit).
  QSize size(1500, 940);
  if (const QScreen* screen = this->screen()) size = size.boundedTo(screen->availableGeometry().size() * 0.95);
  resize(size);
  restoreSettings();
  connect(SessionLaunches::instance(), &SessionLaunches::launched, this, &MainWindow::onSessionLaunched);
  updateActions();
}

MainWindow::~MainWindow() = default;  // the session's destructor stops and joins its thread

void MainWindow::buildActions() {
  // Shortcuts work in the whole window and show in the menus and tooltips. Not Ctrl+R for Resume:
  // the runs table refreshes on it (QKeySequence::Refresh on GNOME); not Esc for Stop: too easy to hit.
  const auto withKey = [](QAction* a, const QKeySequence& key, const QString& tip) {
    a->setShortcut(key);
    a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
  };
  trainAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Train"), this);
  withKey(trainAction_, QKeySequence(Qt::CTRL | Qt::Key_Return), tr("Start a new run with the dataset and settings on the left"));
  pauseAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
  withKey(pauseAction_, QKeySequence(Qt::CTRL | Qt::Key_P), tr("Pause the run or population in training"));
  resumeAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("&Resume"), this);
  withKey(resumeAction_, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), tr("Resume the paused run or population"));
  stopAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), this);
  withKey(stopAction_, QKeySequence(Qt::CTRL | Qt::Key_Period),
          tr("Stop the run or population; it is evaluated, checkpointed and kept in the database"));
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
  addHelpMenu(this);
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
  scroll->setMinimumWidth(hyperPanel_->minimumSizeHint().width() + 20);
  auto* hyperDock = new QDockWidget(tr("Hyperparameters"), this);
  hyperDock->setObjectName(QStringLiteral("hyperparameterDock"));
  hyperDock->setWidget(scroll);
  addDockWidget(Qt::LeftDockWidgetArea, hyperDock);
  splitDockWidget(datasetDock, hyperDock, Qt::Vertical);
  resizeDocks({datasetDock, hyperDock}, {330, 600}, Qt::Vertical);
  connect(hyperPanel_, &HyperparameterPanel::liveValueChanged, this, &MainWindow::onLiveValueChanged);
  connect(hyperPanel_, &HyperparameterPanel::liveValuePreview, this, [this](const QString& name, double value) {
    if (name == QLatin1String("expectile")) distributions_->setCurrentTau(value);
    if (name == QLatin1String("temperature")) distributions_->setCurrentBeta(value);
  });
}

void MainWindow::buildCentre() {
  auto* centre = new QWidget(this);
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  banner_ = new RunBanner(centre);
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
  sweeps_ = new SweepsView(tabs_);
  connect(sweeps_, &SweepsView::errorOccurred, this, [this](const QString& m) { showBanner(m, true); });
  tabs_->addTab(sweeps_, tr("Sweeps"));
  layout->addWidget(tabs_, 1);
  setCentralWidget(centre);
  showBanner(tr("Choose a dataset and settings on the left, then press Train."));
}

void MainWindow::buildStatusBar() {
  runStatus_ = new RunStatusBar(statusBar());
  runStatus_->setRuntime(shortRuntime(), QString::fromStdString(iql::runtime_info_text()));
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
  followed_ = s;
  connect(s, &TrainingSession::started, this, [this](qint64 runId) {
    shownRunId_ = runId;
    const iql::TrainConfig& c = session_->config();
    banner_->setRun(runId,
                    tr("%1 on %2").arg(QString::fromStdString(c.algorithm),
                                       QFileInfo(QString::fromStdString(c.dataset)).fileName()),
                    c.algorithm != "bc", c.expectile, c.temperature);
    runStatus_->setEvalInterval(c.eval_interval);
    trainingPlots_->setRunContext(tr("Run #%1 · %2 on %3 · env %4 (%5) · τ %6 · β %7 · seed %8 · %9 steps")
                                      .arg(runId)
                                      .arg(QString::fromStdString(c.algorithm), QString::fromStdString(c.dataset),
                                           QString::fromStdString(c.env), QString::fromStdString(c.physics))
                                      .arg(c.expectile)
                                      .arg(c.temperature)
                                      .arg(c.seed)
                                      .arg(c.steps));
    trainingPlots_->setEnvironment(QString::fromStdString(c.env));  // ties the score axis to the return axis
#ifdef IQL_HAVE_RUNS_BROWSER
    static_cast<RunsBrowser*>(runsWidget_)->refresh();
#endif
    // The core reports the calling (GUI) thread's count; show what the run uses too, and the device
    // the run recorded (CUDA named in the label; the CPU is what the BLAS core already says).
    const RunDeviceFacts device = runDeviceFacts(dbPath_, runId);
    QString shortText = shortRuntime() + tr(" · %1 threads").arg(threadsText(c.threads));
    if (device.device == QLatin1String("cuda")) shortText += tr(" · CUDA");
    QString fullText = QString::fromStdString(iql::runtime_info_text()) +
                       tr("; training threads: %1").arg(threadsText(c.threads));
    if (device.known()) fullText += tr("; device: %1").arg(device.text);
    runStatus_->setRuntime(shortText, fullText);
    Q_EMIT trainingStarted(runId);
  });
  connect(s, &TrainingSession::metricsBatch, trainingPlots_, &TrainingPlots::addMetrics);
  connect(s, &TrainingSession::evaluation, trainingPlots_, &TrainingPlots::addEvaluation);
  connect(s, &TrainingSession::probe, distributions_, &DistributionView::setProbe);
  connect(s, &TrainingSession::event, this, &MainWindow::onEvent);
  connect(s, &TrainingSession::progress, this, [this, s](qint64 step, qint64 total) {
    if (followed_ == s) onProgress(step, total);
  });
  connect(s, &TrainingSession::stateChanged, this, &MainWindow::onStateChanged);
  connect(s, &TrainingSession::finished, this, &MainWindow::onSessionFinished);
  connect(s, &TrainingSession::failed, this, &MainWindow::onSessionFailed);
}

void MainWindow::startTraining() {
  if (anyActive()) return;
  iql::TrainConfig cfg = hyperPanel_->config();
  cfg.dataset = datasetPanel_->currentDataset().toStdString();
  try {
    cfg.validate();
  } catch (const iql::UserError& e) {
    showBanner(QString::fromStdString(e.what()), true);
    return;
  }
  resetRunViews();
  newSession();
  showBanner(tr("Starting: loading %1 and building the networks…").arg(QString::fromStdString(cfg.dataset)));
  session_->start(cfg, dbPath_);
  tabs_->setCurrentWidget(trainingPlots_);
  updateActions();
}

void MainWindow::continueRun(qint64 runId) {
  if (anyActive()) {
    showBanner(tr("Stop the current run before continuing run #%1.").arg(runId), true);
    return;
  }
  resetRunViews();
  newSession();
  session_->continueRun(runId, dbPath_);
  tabs_->setCurrentWidget(trainingPlots_);
  updateActions();
}

void MainWindow::fineTuneRun(qint64 runId, qint64 onlineSteps) {
  if (anyActive()) {
    showBanner(tr("Stop the current run before fine-tuning run #%1.").arg(runId), true);
    return;
  }
  resetRunViews();
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
  if (followed_) followed_->pause();
}

void MainWindow::resumeTraining() {
  if (followed_) followed_->resume();
}

void MainWindow::stopTraining() {
  if (!followed_) return;
  if (followed_ == session_.get()) sendPendingChanges();
  followed_->stop();  // the banner follows the session's state (stopping…, then stopped)
}

bool MainWindow::anyActive() const {
  const TrainingSession* population = population_ ? population_->session() : nullptr;
  return (session_ && session_->isActive()) || (population && population->isActive());
}

// A population started from the Population tab: the toolbar and status bar follow it from now on.
void MainWindow::onSessionLaunched(TrainingSession* s) {
  if (s == session_.get() || !population_ || s != population_->session()) return;
  followed_ = s;
  runStatus_->reset();  // nothing of an earlier run's progress stays
  const auto& members = s->members();
  if (!members.empty()) runStatus_->setEvalInterval(members.front().eval_interval);
  populationLine_ = tr("Population of %n member(s)", nullptr, static_cast<int>(members.size()));
  showBanner(tr("%1 · starting: loading the dataset and building the networks…").arg(populationLine_));
  connect(s, &TrainingSession::progress, this, [this, s](qint64 step, qint64 total) {
    if (followed_ == s) onProgress(step, total);
  });
  connect(s, &TrainingSession::stateChanged, this, [this, s] {
    if (followed_ == s) onStateChanged();
    else updateActions();
  });
  connect(s, &TrainingSession::membersStarted, this, [this, s](const QString& id, const QVector<qint64>& runs) {
    if (followed_ != s) return;
    populationLine_ = tr("Population %1 · %n member(s), runs #%2 to #%3", nullptr, static_cast<int>(runs.size()))
                          .arg(id)
                          .arg(runs.isEmpty() ? 0 : runs.front())
                          .arg(runs.isEmpty() ? 0 : runs.back());
    onStateChanged();
  });
  connect(s, &TrainingSession::event, this, [this, s](const EventSample& e) {
    if (followed_ == s) showEventMessage(e);
  });
  connect(s, &TrainingSession::finished, this, [this, s](const QString& status) {
    if (followed_ == s)
      onPopulationEnded(tr("%1 · %2 at step %3 · stored in %4")
                            .arg(populationLine_, status, QLocale().toString(runStatus_->step()),
                                 QFileInfo(dbPath_).fileName()),
                        false);
    else updateActions();
  });
  connect(s, &TrainingSession::failed, this, [this, s](const QString& message) {
    if (followed_ == s) onPopulationEnded(tr("Population failed: %1").arg(message), true);
    else updateActions();
  });
  updateActions();
}

void MainWindow::onPopulationEnded(const QString& text, bool error) {
  runStatus_->finish();
  showBanner(text, error);
  updateActions();
#ifdef IQL_HAVE_RUNS_BROWSER
  static_cast<RunsBrowser*>(runsWidget_)->refresh();
#endif
  if (closeWhenStopped_) close();
}

void MainWindow::resetRunViews() {
  trainingPlots_->clear();
  distributions_->clear();
  runStatus_->reset();
  pendingChanges_.clear();
  shownRunId_ = 0;
}

void MainWindow::onStateChanged() {
  using S = TrainingSession::State;
  const S state = followed_ ? followed_->state() : S::Idle;
  runStatus_->setPaused(state == S::Paused);
  QString text;
  if (state == S::Paused) text = tr("paused");
  else if (state == S::Running) text = tr("training");
  else if (state == S::Stopping) text = tr("stopping: evaluating and saving a checkpoint");
  if (!text.isEmpty()) {
    if (followed_ && followed_ != session_.get()) showBanner(QStringLiteral("%1 · %2").arg(populationLine_, text));
    else banner_->setState(text);
  }
  updateActions();
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

void MainWindow::onProgress(qint64 step, qint64 total) { runStatus_->onProgress(step, total); }

void MainWindow::onEvent(const EventSample& e) {
  trainingPlots_->addEvent(e);
  if (e.kind == QLatin1String("hyperparameter")) banner_->setValue(e.name, e.newValue, e.step);
  if (followed_ == session_.get()) showEventMessage(e);
}

// Steps as the status bar's step label writes them ("2,510"): a pause or stop names the step the
// loop reached, which the session also reports as progress, so both read the same.
void MainWindow::showEventMessage(const EventSample& e) {
  const QString step = QLocale().toString(e.step);
  if (e.kind == QLatin1String("hyperparameter"))
    statusBar()->showMessage(tr("%1 applied at step %2").arg(markerLabel(e), step), 6000);
  else if (e.kind == QLatin1String("pause"))
    statusBar()->showMessage(tr("Paused at step %1").arg(step));  // stays while paused
  else if (e.kind == QLatin1String("resume"))
    statusBar()->showMessage(tr("Resumed at step %1").arg(step), 4000);
  else if (e.kind == QLatin1String("stop"))
    statusBar()->showMessage(tr("Stopped at step %1").arg(step), 8000);
  else
    statusBar()->showMessage(tr("%1 at step %2").arg(e.kind, step), 4000);
}

void MainWindow::onSessionFinished(const QString& status, qint64 runId) {
  trainingPlots_->flushNow();
  if (followed_ == session_.get()) {
    banner_->setState(tr("%1 at step %2 · stored in %3")
                          .arg(status, QLocale().toString(runStatus_->step()), QFileInfo(dbPath_).fileName()));
    runStatus_->finish();
  }
  updateActions();
#ifdef IQL_HAVE_RUNS_BROWSER
  static_cast<RunsBrowser*>(runsWidget_)->refresh();
#endif
  Q_EMIT trainingFinished(status, runId);
  if (closeWhenStopped_) close();
}

void MainWindow::onSessionFailed(const QString& message) {
  showBanner(message, true);
  // A failed start leaves no ranges or step count behind; a run that failed later keeps its plots.
  if (!session_ || session_->runId() == 0) resetRunViews();
  else runStatus_->finish();
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
  trainingPlots_->setRunContext(tr("Run #%1 · %2 (stored, %3 at step %4)").arg(r.runId).arg(r.name, r.status).arg(r.steps));
  trainingPlots_->flushNow();
  shownRunId_ = r.runId;
  // the panel takes the opened run's settings (to continue from them), and the banner says so
  const StoredRunSettings settings = storedRunSettings(dbPath_, r.runId, datasetPanel_->currentDataset());
  if (settings.config) hyperPanel_->setConfig(*settings.config);
  if (settings.config) trainingPlots_->setEnvironment(QString::fromStdString(settings.config->env));
  showBanner(tr("Run #%1 · %2 · %3 at step %4 (stored) · %5").arg(r.runId).arg(r.name, r.status).arg(r.steps).arg(settings.bannerText));
  tabs_->setCurrentWidget(trainingPlots_);
  Q_EMIT runReplayed(r.runId);
}

void MainWindow::onDatasetChanged(const QString& source) {
  const auto& s = datasetPanel_->summary();
  if (!s.env.isEmpty()) hyperPanel_->setEnvironment(s.env);  // metadata, file name or sizes
  hyperPanel_->setDetectedPhysics(s.physics, s.physicsEvidence);
  QString message = tr("Dataset %1: %2 transitions, %3 episodes")
                        .arg(QFileInfo(source).fileName())
                        .arg(QLocale().toString(s.transitions))
                        .arg(QLocale().toString(s.episodes));
  if (!s.clipText.isEmpty()) message += tr(" · %1% of rows have actions outside the bounds: they will be clipped")
                                            .arg(100.0 * s.clipFraction, 0, 'g', 3);
  statusBar()->showMessage(message, 8000);
  updateActions();
}

void MainWindow::updateActions() {
  using S = TrainingSession::State;
  const S state = followed_ ? followed_->state() : S::Idle;
  const bool any = anyActive();
  const bool runActive = session_ && session_->isActive();  // a population's settings are fixed at its start
  trainAction_->setEnabled(!any && !datasetPanel_->currentDataset().isEmpty() && !datasetPanel_->isLoading());
  pauseAction_->setEnabled(state == S::Running || state == S::Starting);
  resumeAction_->setEnabled(state == S::Paused);
  stopAction_->setEnabled(followed_ && followed_->isActive() && state != S::Stopping);
  fineTuneAction_->setEnabled(!any && shownRunId_ > 0);
  hyperPanel_->setTrainingActive(runActive);
  datasetPanel_->setEnabled(!runActive);
}

void MainWindow::showBanner(const QString& text, bool error) { banner_->showMessage(text, error); }

void MainWindow::closeEvent(QCloseEvent* e) {
  if (anyActive()) {
    // Let the runs end cleanly (stored as stopped, checkpointed) without blocking the GUI.
    closeWhenStopped_ = true;
    sendPendingChanges();
    if (session_) session_->stop();
    if (TrainingSession* population = population_->session()) population->stop();
    e->ignore();
    return;
  }
  saveSettings();
  e->accept();
}

void MainWindow::restoreSettings() {
  const WindowSettings w = WindowSettings::load();
  if (!w.geometry.isEmpty()) restoreGeometry(w.geometry);
  if (!w.state.isEmpty()) restoreState(w.state);
  rememberedDataset_ = usableDataset(w.dataset);
  if (!w.sweepDir.isEmpty() && QFileInfo(w.sweepDir).isDir()) sweeps_->openSweep(w.sweepDir);
}

// On a clean close only: a window that tests create and drop writes nothing.
void MainWindow::saveSettings() {
  const WindowSettings before = WindowSettings::load();
  WindowSettings w;
  w.geometry = saveGeometry();
  w.state = saveState();
  w.dataset = datasetPanel_->currentDataset().isEmpty() ? before.dataset : datasetPanel_->currentDataset();
  w.sweepDir = sweeps_->sweepDir().isEmpty() ? before.sweepDir : sweeps_->sweepDir();
  w.save();
}

}  // namespace iqlui
