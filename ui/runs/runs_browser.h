// The "Runs" tab: every stored run in a sortable, filterable table (name and tags editable in
// place), actions to open, resume, rename, tag, annotate, delete and export runs, and a comparison
// panel (CompareView) under the table for the selected runs, which follows the selection once open.
// Refreshes itself every 2 s while visible, keeping the selection; the comparison is redrawn when a
// run's status changes (a run finished).
#pragma once
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class QTimer;
class QToolBar;

namespace iql {
class RunStore;
}
namespace iqlui {
class CompareView;
class RunSortFilterProxy;
class RunTableModel;
}  // namespace iqlui

class RunsBrowser : public QWidget {
  Q_OBJECT
public:
  explicit RunsBrowser(QWidget* parent = nullptr);
  ~RunsBrowser() override;

  // Opens (or creates) the run database; an empty path closes it.
  void setDatabase(const QString& path);
  // Re-reads the runs, keeping the selection and the current run.
  void refresh();

  QString databasePath() const { return dbPath_; }
  QList<qint64> selectedRunIds() const;  // in table order
  qint64 currentRunId() const;           // -1 when none
  void selectRuns(const QList<qint64>& runIds);
  // Shows the comparison of the selected runs (the "Compare" action).
  void compareSelected();
  // Writes the run's metrics as CSV (step,key,value); false and a status message on failure.
  bool exportCsv(qint64 runId, const QString& filePath);
  // Writes the run's policy (latest checkpoint) as ONNX or TorchScript by the file's extension, with its
  // JSON sidecar (Export policy...); false and a status message on failure.
  bool exportPolicy(qint64 runId, const QString& filePath);
  // Writes the study report of every run in the store to filePath (Study report...); false and a status
  // message on failure.
  bool writeStudyReport(const QString& filePath);

  // For the main window and tests.
  QTableView* tableView() const { return table_; }
  QLineEdit* filterEdit() const { return filter_; }
  iqlui::RunTableModel* model() const { return model_; }
  iqlui::RunSortFilterProxy* proxy() const { return proxy_; }
  iqlui::CompareView* compareView() const { return compare_; }
  QTimer* autoRefreshTimer() const { return autoRefresh_; }
  QLabel* statusLabel() const { return status_; }
  QAction* openAction() const { return openAct_; }
  QAction* resumeAction() const { return resumeAct_; }
  QAction* renameAction() const { return renameAct_; }
  QAction* tagsAction() const { return tagsAct_; }
  QAction* notesAction() const { return notesAct_; }
  QAction* deleteAction() const { return deleteAct_; }
  QAction* exportAction() const { return exportAct_; }
  QAction* exportPolicyAction() const { return exportPolicyAct_; }
  QAction* studyReportAction() const { return studyReportAct_; }
  QAction* compareAction() const { return compareAct_; }
  QAction* refreshAction() const { return refreshAct_; }
  QAction* mazeAction() const { return mazeAct_; }

Q_SIGNALS:
  void openRunRequested(qint64 runId);
  void resumeRunRequested(qint64 runId);

protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

private:
  // The constructor's parts, in widget-creation (and so tab) order.
  void buildToolbar();  // toolbar_ with the actions (createActions) and the filter
  void createActions();
  void buildTable();    // table_: the runs, with the actions in its context menu
  void buildSplitter();  // splitter_: table_ over compare_
  void connectViewSignals();
  void connectActions();

  void updateActions();
  void fitColumns();
  void fitNameColumn();
  void showMessage(const QString& text, bool error = false);
  void openCurrent();
  void resumeCurrent();
  void renameCurrent();
  void editTags();
  void editNotes();
  void deleteSelected();
  void exportCurrent();
  void autoRefreshTick();

  QString dbPath_;
  std::shared_ptr<iql::RunStore> store_;  // read-only view (ui/runs/store_access.h)
  bool storeFileExisted_ = false;          // false: store_ is an empty view of a file not made yet
  QString statuses_;                       // "id:status;" of every run at the last refresh
  int nameFit_ = 200;                      // the width the Name column's contents ask for
  iqlui::RunTableModel* model_ = nullptr;
  iqlui::RunSortFilterProxy* proxy_ = nullptr;
  QToolBar* toolbar_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QTableView* table_ = nullptr;
  QSplitter* splitter_ = nullptr;
  iqlui::CompareView* compare_ = nullptr;
  QLabel* status_ = nullptr;
  QTimer* autoRefresh_ = nullptr;
  QAction* openAct_ = nullptr;
  QAction* resumeAct_ = nullptr;
  QAction* renameAct_ = nullptr;
  QAction* tagsAct_ = nullptr;
  QAction* notesAct_ = nullptr;
  QAction* deleteAct_ = nullptr;
  QAction* exportAct_ = nullptr;
  QAction* exportPolicyAct_ = nullptr;
  QAction* studyReportAct_ = nullptr;  // the store's study report as a PDF (ui/runs/study_report_action.h)
  QAction* compareAct_ = nullptr;
  QAction* refreshAct_ = nullptr;
  QAction* mazeAct_ = nullptr;  // AntMaze runs: the maze view with the run's evaluation paths
};
