#include "ui/sweeps/sweeps_view.h"

#include <QCryptographicHash>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/store/run_store.h"
#include "core/sweep/shard_merge.h"
#include "core/sweep/sweep_folder.h"
#include "ui/population/ope_scatter.h"
#include "ui/runs/compare_view.h"
#include "ui/sweeps/sweep_best.h"
#include "ui/sweeps/sweep_task_model.h"

namespace iqlui {

SweepsView::SweepsView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  auto* open = new QPushButton(tr("Open sweep folder..."), this);
  open->setObjectName(QStringLiteral("openSweep"));
  connect(open, &QPushButton::clicked, this, &SweepsView::chooseFolder);
  fullTitle_ = tr("No sweep open. Start one with iql sweep run SPEC, then open its folder here.");
  title_ = new QLabel(fullTitle_, this);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  title_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // a long folder is elided, never widens the window
  title_->installEventFilter(this);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  progress_->setMaximumWidth(240);
  bar->addWidget(open);
  bar->addWidget(title_, 1);
  bar->addWidget(progress_);
  layout->addLayout(bar);
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  layout->addWidget(summary_);

  auto* split = new QSplitter(Qt::Vertical, this);
  model_ = new SweepTaskModel(this);
  table_ = new QTableView(split);
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setWordWrap(false);  // a long list of runs is elided (its tooltip has them all), not wrapped
  table_->setTextElideMode(Qt::ElideRight);
  table_->verticalHeader()->hide();
  compare_ = new CompareView(split);
  connect(compare_, &CompareView::errorOccurred, this, &SweepsView::errorOccurred);
  ope_ = new OpeScatter(split);
  ope_->setVisible(false);  // until the sweep's runs have offline estimates
  connect(ope_, &OpeScatter::estimatesChanged, ope_, &QWidget::setVisible);
  connect(ope_, &OpeScatter::errorOccurred, this, &SweepsView::errorOccurred);
  split->addWidget(table_);
  split->addWidget(compare_);
  split->addWidget(ope_);
  split->setStretchFactor(1, 2);
  split->setStretchFactor(2, 1);
  layout->addWidget(split, 1);

  timer_ = new QTimer(this);
  timer_->setInterval(2000);
  connect(timer_, &QTimer::timeout, this, &SweepsView::refresh);
  watcher_ = new QFutureWatcher<Snapshot>(this);
  connect(watcher_, &QFutureWatcher<Snapshot>::finished, this, &SweepsView::apply);
}

SweepsView::~SweepsView() {
  timer_->stop();
  watcher_->waitForFinished();  // the worker holds copies only, but let it end before the widgets go
}

void SweepsView::setRefreshInterval(int ms) { timer_->setInterval(ms); }

void SweepsView::chooseFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open sweep folder"), dir_);
  if (!dir.isEmpty()) openSweep(dir);
}

bool SweepsView::openSweep(const QString& dir) {
  std::string sweep_id;
  try {
    sweep_id = iql::SweepFolder(dir.toStdString()).plan().sweep_id;
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    return false;
  }
  watcher_->waitForFinished();
  dir_ = QDir(dir).absolutePath();
  // the view store lives in the cache, one per sweep: the sweep folder is only ever read
  const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/sweeps");
  QDir().mkpath(cache);
  viewDb_ = cache + QLatin1Char('/') + QString::fromStdString(sweep_id) + QStringLiteral(".db");
  try {
    store_ = std::make_shared<iql::RunStore>(viewDb_.toStdString());
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    return false;
  }
  compare_->setStore(store_);
  ope_->setStore(store_);
  compare_->clear();
  shownRuns_.clear();
  fullTitle_ = tr("Sweep %1 in %2").arg(QString::fromStdString(sweep_id), dir_);
  title_->setToolTip(fullTitle_);
  elideTitle();
  model_->setStatus({});
  refresh();
  timer_->start();
  return true;
}

void SweepsView::refresh() {
  if (dir_.isEmpty() || watcher_->isRunning()) return;
  const std::string dir = dir_.toStdString(), db = viewDb_.toStdString();
  watcher_->setFuture(QtConcurrent::run([dir, db]() {
    Snapshot s;
    try {
      const iql::SweepFolder folder(dir);
      s.status = iql::sweep_status(folder, true);
      const auto c = iql::collect_sweep(folder, db);
      s.rowsCopied = c.rows_copied;
      s.runsChanged = c.runs_added + c.runs_updated;
      for (auto id : iql::collected_runs(db, s.status.sweep_id)) s.runIds << id;
      if (!c.errors.empty()) s.error = QString::fromStdString(c.errors.front());
    } catch (const std::exception& e) {
      s.error = QString::fromUtf8(e.what());
    }
    return s;
  }));
}

QString SweepsView::summary() const { return summary_->text(); }

bool SweepsView::eventFilter(QObject* watched, QEvent* event) {
  if (watched == title_ && event->type() == QEvent::Resize) elideTitle();
  return QWidget::eventFilter(watched, event);
}

void SweepsView::elideTitle() {
  if (!fullTitle_.isEmpty()) title_->setText(title_->fontMetrics().elidedText(fullTitle_, Qt::ElideMiddle, title_->width()));
}

void SweepsView::fitColumns() {
  // Columns as wide as their contents; a column no task fills (Slurm for a local sweep, Message when
  // nothing failed) is hidden, and the last shown text column takes the remaining width.
  auto empty = [this](int column) {
    for (int r = 0; r < model_->rowCount(); ++r)
      if (!model_->data(model_->index(r, column), Qt::DisplayRole).toString().isEmpty()) return false;
    return true;
  };
  QHeaderView* h = table_->horizontalHeader();
  h->setStretchLastSection(false);
  const bool messages = !empty(SweepTaskModel::Message);
  table_->setColumnHidden(SweepTaskModel::Slurm, empty(SweepTaskModel::Slurm));
  table_->setColumnHidden(SweepTaskModel::Message, !messages);
  for (int c = 0; c < SweepTaskModel::ColumnCount; ++c) h->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(messages ? SweepTaskModel::Message : SweepTaskModel::Runs, QHeaderView::Stretch);
}

void SweepsView::apply() {
  const Snapshot s = watcher_->result();
  if (!s.error.isEmpty()) Q_EMIT errorOccurred(s.error);
  const auto& st = s.status;
  model_->setStatus(st);
  progress_->setValue(static_cast<int>(1000 * st.progress()));
  progress_->setFormat(QStringLiteral("%1%").arg(100.0 * st.progress(), 0, 'f', 0));
  QString text = tr("%1 tasks: %2 finished, %3 running, %4 pending, %5 requeued, %6 failed, %7 lost")
                     .arg(st.tasks.size())
                     .arg(st.count("finished"))
                     .arg(st.count("running"))
                     .arg(st.count("pending"))
                     .arg(st.count("requeued"))
                     .arg(st.count("failed"))
                     .arg(st.count("lost"));
  const QString best = bestSoFarText(st);
  if (!best.isEmpty()) text += QStringLiteral(" | ") + best;
  summary_->setText(text);
  fitColumns();
  // redraw the comparison only when runs arrived or moved on (it reads every run's series)
  if (s.runIds != shownRuns_ || s.rowsCopied > 0 || s.runsChanged > 0) {
    shownRuns_ = s.runIds;
    compare_->setRuns(s.runIds);
    ope_->setRuns(s.runIds);
  }
  Q_EMIT refreshed();
}

}  // namespace iqlui
