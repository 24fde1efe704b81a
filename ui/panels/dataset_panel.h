// Chooses the training dataset: a combo of built-in datasets, an Open button for HDF5 files, and
// drag-and-drop of files. Each load also guesses the environment, counts actions outside its bounds
// (they are clipped at training, as the official IQL does: a warning says how many) and replays a
// few hundred transitions under each physics variant to say which simulator recorded the data. Loading and inspection run off the GUI thread (QtConcurrent) behind a busy
// indicator; the panel then shows summary statistics and a histogram of episode returns. A file that
// fails to load shows the core's error message here and changes nothing else.
#pragma once
#include <QFutureWatcher>
#include <QString>
#include <QVector>
#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPlainTextEdit;
class QPushButton;
class QCustomPlot;
class QCPBars;

namespace iqlui {

struct DatasetSummary {
  QString source;    // built-in name or file path
  QString error;     // non-empty when loading failed
  QString statsText;
  QVector<double> episodeReturns;
  qint64 transitions = 0, episodes = 0;
  int obsDim = 0, actDim = 0;
  // Load-time checks against the environment the dataset belongs to (iql::guess_env; empty: unknown).
  QString env;
  QString clipText;          // non-empty when some recorded actions lie outside the env's bounds
  double clipFraction = 0.0;
  QString physics;           // detected variant ("" when not checked)
  QString physicsEvidence;   // multi-line evidence (iql::PhysicsDetection::to_text)
  bool physicsReproduced = false;
};

class DatasetPanel : public QWidget {
  Q_OBJECT
public:
  explicit DatasetPanel(QWidget* parent = nullptr);

  QString currentDataset() const { return current_; }  // the last one that loaded
  bool isLoading() const { return watcher_.isRunning(); }
  QString errorText() const;
  QString warningText() const;  // the clipping warning shown, or empty
  QString physicsText() const;
  const DatasetSummary& summary() const { return summary_; }

public Q_SLOTS:
  void selectDataset(const QString& nameOrPath);  // loads it in the background
  void openFileDialog();
  void openFolderDialog();  // Minari datasets are directories

Q_SIGNALS:
  void datasetChanged(const QString& nameOrPath);  // after a successful load
  void loadFailed(const QString& message);
  void loadingChanged(bool loading);

protected:
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

private:
  // The constructor's parts, called in widget-creation (and so tab) order.
  QHBoxLayout* buildSourceRow();  // combo_, Open file…, Folder…
  void buildMessageLabels();      // busy_, error_, warning_, physicsLabel_
  void buildStatsView();          // stats_
  void buildReturnsPlot();        // returnsPlot_, returnsBars_
  QPushButton* buildMazeButton();
  void layOutPanel(QHBoxLayout* sourceRow);

  void onLoaded();
  void showReturns(const QVector<double>& returns);
  void syncCombo();

  QComboBox* combo_;
  QProgressBar* busy_;
  QLabel* error_;
  QLabel* warning_;  // actions outside the bounds: they will be clipped
  QLabel* physicsLabel_;
  QPlainTextEdit* stats_;
  QCustomPlot* returnsPlot_;
  QCPBars* returnsBars_;
  QFutureWatcher<DatasetSummary> watcher_;
  QString current_;
  QString pending_;
  QString queued_;  // requested while another load was running
  DatasetSummary summary_;
};

}  // namespace iqlui
