// iql-workbench: the desktop GUI. Options:
//   --db FILE          run store (default: RunStore::default_path())
//   --dataset NAME     built-in dataset name or file to select (default: the last session's
//                      dataset if it still opens, else pendulum-medium)
//   --screenshot FILE  grab the window to PNG once it is shown and the dataset has loaded
//                      (with --quit-when-done: when the run has finished), then quit
//   --train-steps N    press Train with N steps once the dataset has loaded
//   --quit-when-done   quit when that run finishes (exit status 1 if it failed)
#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstring>

#include "core/config/train_config.h"
#include "core/runtime/process_setup.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/hyperparameter_panel.h"
#include "ui/plots/training_plots.h"
#include "ui/session/training_session.h"

namespace {
void setNames() {
  QCoreApplication::setApplicationName(QStringLiteral("IQL Workbench"));
  QCoreApplication::setOrganizationName(QStringLiteral("iql-workbench"));
  QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
}

// --help and --version need no display: answer them from a QCoreApplication, before QApplication
// (which aborts without a display) exists.
bool wantsInfoOnly(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    for (const char* o : {"-h", "--help", "-?", "--help-all", "-v", "--version"})
      if (std::strcmp(argv[i], o) == 0) return true;
  return false;
}
}  // namespace

int main(int argc, char** argv) {
  iql::runtime::prepare_process(argc, argv);  // BLAS core and OpenMP waiting, before any BLAS call
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Offline reinforcement learning with Implicit Q-Learning"));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption db(QStringLiteral("db"), QStringLiteral("Run store (SQLite file)."), QStringLiteral("FILE"));
  QCommandLineOption dataset(QStringLiteral("dataset"), QStringLiteral("Dataset to select (built-in name or file)."),
                             QStringLiteral("NAME"), QStringLiteral("pendulum-medium"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save the window as PNG, then quit."),
                                QStringLiteral("FILE"));
  QCommandLineOption trainSteps(QStringLiteral("train-steps"), QStringLiteral("Start training N steps at once."),
                                QStringLiteral("N"));
  QCommandLineOption quitWhenDone(QStringLiteral("quit-when-done"), QStringLiteral("Quit when the run ends."));
  parser.addOptions({db, dataset, screenshot, trainSteps, quitWhenDone});
  if (wantsInfoOnly(argc, argv)) {
    QCoreApplication core(argc, argv);
    setNames();
    parser.process(core);  // prints help or version and exits 0
    return 0;
  }

  QApplication app(argc, argv);
  setNames();
  parser.process(app);

  qint64 steps = 0;
  if (parser.isSet(trainSteps)) {
    bool ok = false;
    steps = parser.value(trainSteps).toLongLong(&ok);
    if (!ok || steps < 1) {
      qCritical("--train-steps expects a positive integer, got '%s'", qPrintable(parser.value(trainSteps)));
      return 2;
    }
  }

  iqlui::MainWindow window(parser.value(db));
  window.show();
  const QString shotPath = parser.value(screenshot);
  const bool quit = parser.isSet(quitWhenDone);
  int exitCode = 0;

  auto grabAndMaybeQuit = [&](bool quitAfter) {
    if (!shotPath.isEmpty()) {
      window.trainingPlots()->flushNow();
      if (!window.grab().save(shotPath)) {
        qCritical("could not write %s", qPrintable(shotPath));
        exitCode = 1;
      }
    }
    if (quitAfter) QTimer::singleShot(0, &app, [&] { app.exit(exitCode); });
  };

  // Once the dataset is in: train (if asked) or take the screenshot.
  bool firstLoad = true;
  QObject::connect(window.datasetPanel(), &iqlui::DatasetPanel::datasetChanged, &window, [&] {
    if (!firstLoad) return;
    firstLoad = false;
    if (steps > 0) {
      iql::TrainConfig cfg = window.hyperparameterPanel()->config();
      cfg.steps = steps;
      if (cfg.eval_interval > steps) cfg.eval_interval = steps;
      if (cfg.probe_interval > steps / 4) cfg.probe_interval = std::max<int64_t>(1, steps / 4);
      window.hyperparameterPanel()->setConfig(cfg);
      window.startTraining();
    } else if (!shotPath.isEmpty()) {
      QTimer::singleShot(300, &window, [&] { grabAndMaybeQuit(true); });
    }
  });
  QObject::connect(window.datasetPanel(), &iqlui::DatasetPanel::loadFailed, &window, [&](const QString& msg) {
    if (!firstLoad) return;
    firstLoad = false;
    if (quit || !shotPath.isEmpty()) {
      qCritical("%s", qPrintable(msg));
      exitCode = 1;
      grabAndMaybeQuit(true);
    }
  });
  QObject::connect(&window, &iqlui::MainWindow::trainingFinished, &window, [&](const QString& status, qint64 runId) {
    qInfo("run %lld %s", static_cast<long long>(runId), qPrintable(status));
    if (quit) grabAndMaybeQuit(true);
  });
  QObject::connect(&window, &iqlui::MainWindow::trainingFailed, &window, [&](const QString& msg) {
    qCritical("%s", qPrintable(msg));
    exitCode = 1;
    if (quit) grabAndMaybeQuit(true);
  });

  // The window remembers its last dataset (and size and sweep folder) between starts.
  const QString remembered = window.rememberedDataset();
  window.datasetPanel()->selectDataset(parser.isSet(dataset) || remembered.isEmpty() ? parser.value(dataset) : remembered);
  const int rc = app.exec();
  return rc != 0 ? rc : exitCode;
}
