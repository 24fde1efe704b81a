#include "ui/runs/runs_browser.h"

#include "ui/plots/maze_view.h"
#include "ui/runs/store_access.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFileDialog>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <exception>
#include <stdexcept>
#include <fstream>
#include <functional>

#include "core/store/run_store.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/runs/policy_export_action.h"
#include "ui/runs/study_report_action.h"

using iqlui::RunTableModel;

namespace {
// QTableView whose editing state can be asked from outside. Enter opens the current run only when no
// cell editor is open: the Enter that confirms a rename or tag edit goes to the editor alone (as a
// window-wide Return shortcut it also opened the run and jumped to the Training tab).
class RunsTableView : public QTableView {
public:
  using QTableView::QTableView;
  bool isEditing() const { return state() == QAbstractItemView::EditingState; }
  std::function<void()> onEnter;
  std::function<void()> onResize;

protected:
  void keyPressEvent(QKeyEvent* e) override {
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) && !isEditing() && e->modifiers() == Qt::NoModifier) {
      if (onEnter) onEnter();
      e->accept();
      return;
    }
    QTableView::keyPressEvent(e);
  }
  void resizeEvent(QResizeEvent* e) override {
    QTableView::resizeEvent(e);
    if (onResize) onResize();
  }
};

// A run's identity and the numbers a reader compares come first; where it ran (dataset, env), how
// long it took and its tags follow and may scroll out of a narrow window.
constexpr int kVisualOrder[] = {RunTableModel::Id,    RunTableModel::Name,      RunTableModel::Tau,
                                RunTableModel::Beta,  RunTableModel::Seed,      RunTableModel::Status,
                                RunTableModel::Steps, RunTableModel::BestScore, RunTableModel::FinalScore,
                                RunTableModel::Dataset, RunTableModel::Env,     RunTableModel::Duration,
                                RunTableModel::Tags};
constexpr int kKeyColumns = 9;  // the first nine of kVisualOrder stay in view
}  // namespace

RunsBrowser::RunsBrowser(QWidget* parent) : QWidget(parent) {
  model_ = new RunTableModel(this);
  proxy_ = new iqlui::RunSortFilterProxy(this);
  proxy_->setSourceModel(model_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  buildToolbar();
  layout->addWidget(toolbar_);
  buildTable();
  buildSplitter();
  layout->addWidget(splitter_, 1);

  status_ = new QLabel(this);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  autoRefresh_ = new QTimer(this);
  autoRefresh_->setInterval(2000);
  connect(autoRefresh_, &QTimer::timeout, this, &RunsBrowser::autoRefreshTick);

  connectViewSignals();
  connectActions();
  updateActions();
}

void RunsBrowser::buildToolbar() {
  toolbar_ = new QToolBar(this);
  toolbar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  toolbar_->setIconSize(QSize(16, 16));
  createActions();
  for (QAction* a : {openAct_, resumeAct_}) toolbar_->addAction(a);
  toolbar_->addSeparator();
  for (QAction* a : {renameAct_, tagsAct_, notesAct_, exportAct_, exportPolicyAct_, studyReportAct_, deleteAct_})
    toolbar_->addAction(a);
  toolbar_->addSeparator();
  toolbar_->addAction(compareAct_);
  toolbar_->addAction(mazeAct_);
  toolbar_->addAction(refreshAct_);
  auto* spacer = new QWidget(toolbar_);
  spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  toolbar_->addWidget(spacer);
  filter_ = new QLineEdit(toolbar_);
  filter_->setPlaceholderText(tr("Filter by name, dataset, tag or status"));
  filter_->setClearButtonEnabled(true);
  filter_->setMinimumWidth(240);
  toolbar_->addWidget(filter_);
}

// Actions belong to the browser (shortcuts work anywhere in it); the toolbar and the table's
// context menu show them.
void RunsBrowser::createActions() {
  auto make = [this](const QString& text, const QString& tip, const QKeySequence& key = {}) {
    auto* a = new QAction(text, this);
    a->setToolTip(tip);
    if (!key.isEmpty()) {
      a->setShortcut(key);
      a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    }
    addAction(a);
    return a;
  };
  openAct_ = make(tr("Open"), tr("Show the run in the training plots (double-click, or Enter in the table)"));
  resumeAct_ = make(tr("Resume"), tr("Continue training an interrupted or stopped run from its last checkpoint"));
  renameAct_ = make(tr("Rename"), tr("Rename the run"), QKeySequence(Qt::Key_F2));
  tagsAct_ = make(tr("Tags"), tr("Edit the comma-separated tags of the run"));
  notesAct_ = make(tr("Notes"), tr("Edit the notes of the run"));
  deleteAct_ = make(tr("Delete"), tr("Delete the selected runs and everything stored with them"),
                    QKeySequence::Delete);
  exportAct_ = make(tr("Export CSV"), tr("Write the run's metrics to a CSV file (step,key,value)"));
  exportPolicyAct_ = make(tr("Export policy..."), tr("Write the run's policy (latest checkpoint) as ONNX (.onnx) or "
                                                     "TorchScript (.pt), with a JSON contract beside it"));
  studyReportAct_ = make(tr("Study report..."), tr("Write a PDF study report of the runs in this store: statistics "
                                                   "with intervals, curves, tau x beta map, offline selection"));
  compareAct_ = make(tr("Compare"), tr("Compare the selected runs: curves, config differences, tau x beta map"));
  refreshAct_ = make(tr("Refresh"), tr("Re-read the runs (also automatic every 2 s)"), QKeySequence::Refresh);
  mazeAct_ = make(tr("Maze paths"), tr("AntMaze runs: the maze with the data's coverage and the run's evaluation "
                                      "episodes drawn over it (where a policy stitches the data together)"));
}

void RunsBrowser::buildTable() {
  auto* view = new RunsTableView(this);
  view->onEnter = [this] { openCurrent(); };
  view->onResize = [this] { fitNameColumn(); };
  table_ = view;
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(-1, Qt::AscendingOrder);  // list_runs order (newest first) until a click
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
  table_->setAlternatingRowColors(true);
  table_->setWordWrap(false);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
  table_->horizontalHeader()->setStretchLastSection(false);  // the name takes the spare width, not tags
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  table_->horizontalHeader()->setHighlightSections(false);
  table_->setTextElideMode(Qt::ElideRight);  // a long name ends in "…" (its tooltip has the notes)
  QHeaderView* header = table_->horizontalHeader();
  for (int v = 0; v < int(std::size(kVisualOrder)); ++v) header->moveSection(header->visualIndex(kVisualOrder[v]), v);
  table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  for (QAction* a : {openAct_, resumeAct_, renameAct_, tagsAct_, notesAct_, exportAct_, exportPolicyAct_, compareAct_,
                     deleteAct_})
    table_->addAction(a);
}

void RunsBrowser::buildSplitter() {
  compare_ = new iqlui::CompareView(this);
  compare_->setVisible(false);

  splitter_ = new QSplitter(Qt::Vertical, this);
  splitter_->addWidget(table_);
  splitter_->addWidget(compare_);
  splitter_->setStretchFactor(0, 2);
  splitter_->setStretchFactor(1, 3);
  splitter_->setChildrenCollapsible(false);
}

// The filter, the table, the model and the comparison keep the actions and the status line current.
void RunsBrowser::connectViewSignals() {
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  connect(filter_, &QLineEdit::textChanged, this, [this] { updateActions(); });
  connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (index.isValid()) Q_EMIT openRunRequested(index.data(RunTableModel::RunIdRole).toLongLong());
  });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    updateActions();
    // an open comparison (curves, differences, heat map) follows the selection
    const QList<qint64> ids = selectedRunIds();
    if (compare_->isVisible() && !ids.isEmpty() && ids != compare_->runIds()) compare_->setRuns(ids);
  });
  connect(table_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] { updateActions(); });
  connect(model_, &QAbstractItemModel::modelReset, this, [this] {
    fitColumns();  // new rows: dataset, env and "3 → 9.74" columns fit their contents
    updateActions();
  });
  connect(model_, &QAbstractItemModel::dataChanged, this, [this] { updateActions(); });
  connect(model_, &RunTableModel::errorOccurred, this, [this](const QString& m) { showMessage(m, true); });
  connect(compare_, &iqlui::CompareView::errorOccurred, this, [this](const QString& m) { showMessage(m, true); });
}

void RunsBrowser::connectActions() {
  connect(openAct_, &QAction::triggered, this, &RunsBrowser::openCurrent);
  connect(resumeAct_, &QAction::triggered, this, &RunsBrowser::resumeCurrent);
  connect(renameAct_, &QAction::triggered, this, &RunsBrowser::renameCurrent);
  connect(tagsAct_, &QAction::triggered, this, &RunsBrowser::editTags);
  connect(notesAct_, &QAction::triggered, this, &RunsBrowser::editNotes);
  connect(deleteAct_, &QAction::triggered, this, &RunsBrowser::deleteSelected);
  connect(exportAct_, &QAction::triggered, this, &RunsBrowser::exportCurrent);
  connect(exportPolicyAct_, &QAction::triggered, this, [this] {
    const qint64 id = currentRunId();
    const int row = model_->rowOfRun(id);
    if (row < 0) return;
    const QString suggested = iqlui::suggestedPolicyFile(QString::fromStdString(model_->runAt(row).info.name), id);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export policy"), suggested, iqlui::policyExportFilter());
    if (!path.isEmpty()) exportPolicy(id, path);
  });
  connect(studyReportAct_, &QAction::triggered, this, [this] {
    if (!store_) return;
    const QString storePath = QString::fromStdString(store_->path());
    const QString path = QFileDialog::getSaveFileName(this, tr("Study report"), iqlui::suggestedStudyReportFile(storePath),
                                                      iqlui::studyReportFilter());
    if (!path.isEmpty()) writeStudyReport(path);
  });
  connect(compareAct_, &QAction::triggered, this, &RunsBrowser::compareSelected);
  connect(mazeAct_, &QAction::triggered, this, [this] {
    const int row = model_->rowOfRun(currentRunId());
    if (row < 0 || !store_) return;
    const auto& r = model_->runAt(row);
    const auto ckpt = store_->latest_checkpoint(r.info.id);
    if (!ckpt) return;
    iqlui::MazeView::openForDataset(QString::fromStdString(r.info.dataset), this, QString::fromStdString(ckpt->path));
  });
  connect(refreshAct_, &QAction::triggered, this, [this] {
    refresh();
    if (compare_->isVisible()) compare_->setRuns(compare_->runIds());
  });
}

RunsBrowser::~RunsBrowser() = default;

void RunsBrowser::setDatabase(const QString& path) {
  std::shared_ptr<iql::RunStore> store;
  if (!path.isEmpty()) {
    try {
      store = iqlui::openStoreForReading(path.toStdString());
    } catch (const std::exception& e) {
      showMessage(QString::fromUtf8(e.what()), true);
      return;
    }
  }
  dbPath_ = path;
  store_ = store;
  storeFileExisted_ = !path.isEmpty() && QFileInfo::exists(path);
  compare_->setStore(store_);
  compare_->setVisible(false);
  model_->setStore(store_);
  table_->resizeColumnsToContents();
  fitColumns();
  showMessage(QString());
}

void RunsBrowser::fitColumns() {
  // Contents decide the widths (capped), the name takes what is left; an empty Tags column stays narrow.
  QHeaderView* header = table_->horizontalHeader();
  header->setSectionResizeMode(QHeaderView::Interactive);
  table_->resizeColumnsToContents();
  nameFit_ = std::min(table_->columnWidth(RunTableModel::Name) + 10, 360);
  for (int c = 0; c < model_->columnCount(); ++c)
    table_->setColumnWidth(c, std::min(table_->columnWidth(c) + 10, c == RunTableModel::Tags ? 140 : 220));
  fitNameColumn();
}

// The name fills what the other columns leave; in a narrow window it shrinks (elided) so that the id,
// settings, status, steps and scores stay in view, and only dataset, env, duration and tags scroll.
void RunsBrowser::fitNameColumn() {
  const int viewport = table_->viewport()->width();
  int others = 0, key = 0;
  for (int v = 0; v < int(std::size(kVisualOrder)); ++v) {
    const int c = kVisualOrder[v];
    if (c == RunTableModel::Name || table_->isColumnHidden(c)) continue;
    others += table_->columnWidth(c);
    if (v < kKeyColumns) key += table_->columnWidth(c);
  }
  constexpr int kMinName = 120;
  const int width = viewport - others >= std::min(nameFit_, kMinName + 60)
                        ? viewport - others  // everything fits: the name takes the rest
                        : std::max(kMinName, std::min(nameFit_, viewport - key));
  table_->setColumnWidth(RunTableModel::Name, std::max(kMinName, width));
}

void RunsBrowser::refresh() {
  if (!store_) return;
  // Opened before the file existed (an empty read-only view): open the file now that a run made it.
  if (!storeFileExisted_ && QFileInfo::exists(dbPath_)) {
    setDatabase(dbPath_);
    return;
  }
  const QList<qint64> selected = selectedRunIds();
  const qint64 current = currentRunId();
  model_->reload();
  // A run that finished (or any other change of status, a run added or deleted) changes what the
  // comparison shows: its curves end, the heat map gains a cell.
  QString statuses;
  for (int row = 0; row < model_->rowCount(); ++row)
    statuses += QStringLiteral("%1:%2;").arg(model_->runAt(row).info.id).arg(QString::fromStdString(model_->runAt(row).info.status));
  const bool changed = statuses != statuses_;
  statuses_ = statuses;
  if (changed && compare_->isVisible()) compare_->setRuns(compare_->runIds());
  if (selectedRunIds() != selected || currentRunId() != current) {
    selectRuns(selected);
    const int row = model_->rowOfRun(current);
    if (row >= 0) {
      const QModelIndex idx = proxy_->mapFromSource(model_->index(row, 0));
      if (idx.isValid()) table_->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::NoUpdate);
    }
  }
  updateActions();
}

void RunsBrowser::autoRefreshTick() {
  if (!isVisible() || !store_) return;
  // never pull the rug from under an open editor or dialog
  if (static_cast<RunsTableView*>(table_)->isEditing() || QApplication::activeModalWidget()) return;
  refresh();
}

void RunsBrowser::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  autoRefreshTick();  // a running run's steps and duration are current the moment the tab shows
  autoRefresh_->start();
}

void RunsBrowser::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  autoRefresh_->stop();
}

QList<qint64> RunsBrowser::selectedRunIds() const {
  QModelIndexList rows = table_->selectionModel()->selectedRows();
  std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
  QList<qint64> ids;
  for (const QModelIndex& i : rows) ids << i.data(RunTableModel::RunIdRole).toLongLong();
  return ids;
}

qint64 RunsBrowser::currentRunId() const {
  const QModelIndex cur = table_->selectionModel()->currentIndex();
  if (cur.isValid() && table_->selectionModel()->isRowSelected(cur.row(), QModelIndex()))
    return cur.data(RunTableModel::RunIdRole).toLongLong();
  const QList<qint64> ids = selectedRunIds();
  return ids.isEmpty() ? -1 : ids.front();
}

void RunsBrowser::selectRuns(const QList<qint64>& runIds) {
  QItemSelection selection;
  QModelIndex first;
  for (qint64 id : runIds) {
    const int row = model_->rowOfRun(id);
    if (row < 0) continue;
    const QModelIndex idx = proxy_->mapFromSource(model_->index(row, 0));
    if (!idx.isValid()) continue;  // filtered out
    if (!first.isValid()) first = idx;
    selection.select(idx, idx.siblingAtColumn(proxy_->columnCount() - 1));
  }
  table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
  if (first.isValid()) {
    table_->selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
    table_->scrollTo(first);
  }
  updateActions();
}

void RunsBrowser::updateActions() {
  const QList<qint64> ids = selectedRunIds();
  const bool one = ids.size() == 1;
  bool resumable = false, maze = false;
  if (one) {
    const int row = model_->rowOfRun(ids.front());
    if (row >= 0) {
      const auto& r = model_->runAt(row);
      resumable = (r.info.status == "interrupted" || r.info.status == "stopped") && r.hasCheckpoint;
      maze = r.hasCheckpoint && r.info.env.rfind("antmaze", 0) == 0;
    }
  }
  mazeAct_->setEnabled(maze);
  openAct_->setEnabled(!ids.isEmpty());
  resumeAct_->setEnabled(resumable);
  renameAct_->setEnabled(one);
  tagsAct_->setEnabled(one);
  notesAct_->setEnabled(one);
  exportAct_->setEnabled(one);
  exportPolicyAct_->setEnabled(one);
  deleteAct_->setEnabled(!ids.isEmpty());
  compareAct_->setEnabled(!ids.isEmpty());
  refreshAct_->setEnabled(store_ != nullptr);
  if (!status_->property("error").toBool()) {
    const int total = model_->rowCount(), shown = proxy_->rowCount();
    QString text = shown == total ? (total == 1 ? tr("1 run") : tr("%1 runs").arg(total)) : tr("%1 of %2 runs shown").arg(shown).arg(total);
    if (ids.size() > 1) text += tr(" · %1 selected").arg(ids.size());
    if (dbPath_.isEmpty()) text = tr("No run database open");
    status_->setText(text);
  }
}

void RunsBrowser::showMessage(const QString& text, bool error) {
  status_->setProperty("error", error && !text.isEmpty());
  status_->setStyleSheet(error ? QStringLiteral("color: #b01e1e;") : QString());
  if (text.isEmpty()) updateActions();
  else status_->setText(text);
}

void RunsBrowser::openCurrent() {
  const qint64 id = currentRunId();
  if (id >= 0) Q_EMIT openRunRequested(id);
}

void RunsBrowser::resumeCurrent() {
  updateActions();
  if (!resumeAct_->isEnabled()) return;
  const qint64 id = currentRunId();
  if (id >= 0) Q_EMIT resumeRunRequested(id);
}

void RunsBrowser::renameCurrent() {
  const int row = model_->rowOfRun(currentRunId());
  if (row < 0) return;
  const QModelIndex idx = proxy_->mapFromSource(model_->index(row, RunTableModel::Name));
  table_->setCurrentIndex(idx);
  table_->edit(idx);
}

void RunsBrowser::editTags() {
  const int row = model_->rowOfRun(currentRunId());
  if (row < 0) return;
  const QModelIndex idx = proxy_->mapFromSource(model_->index(row, RunTableModel::Tags));
  table_->setCurrentIndex(idx);
  table_->edit(idx);
}

void RunsBrowser::editNotes() {
  const qint64 id = currentRunId();
  const int row = model_->rowOfRun(id);
  if (row < 0 || !store_) return;
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Notes: %1").arg(QString::fromStdString(model_->runAt(row).info.name)));
  auto* layout = new QVBoxLayout(&dialog);
  auto* edit = new QPlainTextEdit(&dialog);
  edit->setObjectName(QStringLiteral("notesEdit"));
  edit->setPlainText(QString::fromStdString(model_->runAt(row).info.notes));
  edit->setPlaceholderText(tr("What was this run for? What did you learn?"));
  layout->addWidget(edit);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, &dialog);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(buttons);
  dialog.resize(460, 300);
  if (dialog.exec() != QDialog::Accepted) return;
  try {
    iqlui::openStoreForEditing(*store_).set_notes(id, edit->toPlainText().toStdString());
    showMessage(tr("Notes saved"));
  } catch (const std::exception& e) {
    showMessage(QString::fromUtf8(e.what()), true);
  }
  refresh();
}

void RunsBrowser::deleteSelected() {
  const QList<qint64> ids = selectedRunIds();
  if (ids.isEmpty() || !store_) return;
  QString what;
  if (ids.size() == 1) {
    const int row = model_->rowOfRun(ids.front());
    what = tr("Delete run \"%1\" (#%2)?")
               .arg(row >= 0 ? QString::fromStdString(model_->runAt(row).info.name) : QString())
               .arg(ids.front());
  } else {
    what = tr("Delete %1 runs?").arg(ids.size());
  }
  QMessageBox box(QMessageBox::Warning, tr("Delete runs"), what, QMessageBox::Yes | QMessageBox::Cancel, this);
  box.setObjectName(QStringLiteral("deleteConfirmation"));
  box.setInformativeText(tr("Their metrics, evaluations, events, histograms and checkpoint records are "
                            "deleted from the database. This cannot be undone."));
  box.setDefaultButton(QMessageBox::Cancel);
  if (box.exec() != QMessageBox::Yes) return;
  int deleted = 0;
  try {
    iql::RunStore writable = iqlui::openStoreForEditing(*store_);
    for (qint64 id : ids) {
      writable.delete_run(id);
      ++deleted;
    }
  } catch (const std::exception& e) {
    showMessage(QString::fromUtf8(e.what()), true);
  }
  QList<qint64> compared = compare_->runIds();
  for (qint64 id : ids) compared.removeAll(id);
  refresh();
  if (compare_->isVisible()) compare_->setRuns(compared);
  if (deleted == ids.size()) showMessage(deleted == 1 ? tr("Deleted 1 run") : tr("Deleted %1 runs").arg(deleted));
}

bool RunsBrowser::exportCsv(qint64 runId, const QString& filePath) {
  if (!store_) return false;
  try {
    std::ofstream out(filePath.toStdString(), std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(filePath.toStdString() + ": cannot open for writing");
    store_->export_csv(runId, out);
    out.flush();
    if (!out) throw std::runtime_error(filePath.toStdString() + ": write failed");
  } catch (const std::exception& e) {
    showMessage(QString::fromUtf8(e.what()), true);
    return false;
  }
  showMessage(tr("Exported run #%1 to %2").arg(runId).arg(QDir::toNativeSeparators(filePath)));
  return true;
}

bool RunsBrowser::exportPolicy(qint64 runId, const QString& filePath) {
  if (!store_) return false;
  try {
    showMessage(iqlui::exportRunPolicy(*store_, runId, filePath));
    return true;
  } catch (const std::exception& e) {
    showMessage(QString::fromUtf8(e.what()), true);
    return false;
  }
}

bool RunsBrowser::writeStudyReport(const QString& filePath) {
  if (!store_) return false;
  try {
    showMessage(iqlui::writeStoreStudyReport(QString::fromStdString(store_->path()), filePath));
    return true;
  } catch (const std::exception& e) {
    showMessage(QString::fromUtf8(e.what()), true);
    return false;
  }
}

void RunsBrowser::exportCurrent() {
  const qint64 id = currentRunId();
  const int row = model_->rowOfRun(id);
  if (row < 0) return;
  QString base = QString::fromStdString(model_->runAt(row).info.name);
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
  const QString suggested = QDir::home().filePath(QStringLiteral("%1-%2.csv").arg(base).arg(id));
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export metrics"), suggested, tr("CSV files (*.csv)"));
  if (!path.isEmpty()) exportCsv(id, path);
}

void RunsBrowser::compareSelected() {
  const QList<qint64> ids = selectedRunIds();
  if (ids.isEmpty()) return;
  const bool wasHidden = compare_->isHidden();
  compare_->setRuns(ids);
  compare_->setVisible(true);
  if (wasHidden) {
    // The table keeps room for a few rows; the curves, map and config differences get the rest.
    const int h = std::max(splitter_->height(), 400);
    const int table = std::clamp(h / 4, 90, 220);
    splitter_->setSizes({table, h - table});
  }
}
