#include "ui/panels/dataset_panel.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>
#include <exception>
#include "ui/plots/qcp.h"

#include "core/env/builtin_datasets.h"
#include "core/data/dataset_inspector.h"
#include "core/data/preprocess.h"
#include "core/env/env_guess.h"
#include "core/env/env_registry.h"
#include "core/env/physics_detect.h"
#include "core/env/dataset_source.h"
#include "core/util/errors.h"
#include "ui/panels/wheel_guard.h"
#include "ui/plots/maze_view.h"
#include "ui/plots/plot_style.h"

namespace iqlui {

namespace {

// Runs on a pool thread.
DatasetSummary loadSummary(const QString& source) {
  DatasetSummary s;
  s.source = source;
  try {
    const iql::Dataset d = iql::load_dataset(source.toStdString());
    const iql::DatasetStats st = iql::inspect_dataset(d);
    s.statsText = QString::fromStdString(iql::stats_to_text(st));
    for (double r : d.episode_returns()) s.episodeReturns.append(r);
    s.transitions = st.transitions;
    s.episodes = st.episodes;
    s.obsDim = st.obs_dim;
    s.actDim = st.act_dim;
    s.env = QString::fromStdString(iql::guess_env(d));
    if (!s.env.isEmpty()) {
      const iql::ActionClipReport clip = iql::count_actions_outside(d, iql::make_env(s.env.toStdString())->action_high());
      s.clipFraction = clip.fraction();
      if (clip.rows_clipped > 0)
        s.clipText = QStringLiteral("Actions outside %1's bounds: %2 (the official IQL does the same).")
                         .arg(s.env, QString::fromStdString(clip.to_text()).replace(QStringLiteral("; clipped"),
                                                                                    QStringLiteral("; they will be clipped")));
      if (s.env != QLatin1String("pendulum")) {  // only MuJoCo envs have physics variants
        const iql::PhysicsDetection det = iql::detect_physics(d, s.env.toStdString());
        s.physics = QString::fromStdString(det.chosen);
        s.physicsReproduced = det.reproduced;
        s.physicsEvidence = QString::fromStdString(det.to_text()).trimmed();
      }
    }
  } catch (const iql::UserError& e) {
    s.error = QString::fromStdString(e.what());
  } catch (const std::exception& e) {
    s.error = source + ": " + QString::fromStdString(e.what());
  }
  return s;
}

}  // namespace

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent) {
  setAcceptDrops(true);
  QHBoxLayout* row = buildSourceRow();
  buildMessageLabels();
  buildStatsView();
  buildReturnsPlot();
  row->addWidget(buildMazeButton());  // made after the plot, as before: the tab order
  layOutPanel(row);
  WheelGuard::install(this);  // the wheel over the dataset list must not load another dataset

  connect(&watcher_, &QFutureWatcher<DatasetSummary>::finished, this, &DatasetPanel::onLoaded);
}

QHBoxLayout* DatasetPanel::buildSourceRow() {
  combo_ = new QComboBox(this);
  combo_->setObjectName(QStringLiteral("datasetCombo"));
  for (const auto& name : iql::builtin_dataset_names()) combo_->addItem(QString::fromStdString(name));
  combo_->setToolTip(tr("Built-in datasets and files you opened. Drop an HDF5 file here to open it."));
  combo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  combo_->setMinimumContentsLength(12);
  connect(combo_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    const QString source = combo_->itemData(i).toString().isEmpty() ? combo_->itemText(i) : combo_->itemData(i).toString();
    selectDataset(source);
  });
  auto* open = new QPushButton(tr("Open file…"), this);
  open->setObjectName(QStringLiteral("openDataset"));
  open->setToolTip(tr("Open a dataset file: D4RL or Minari HDF5, or NPZ rollouts"));
  connect(open, &QPushButton::clicked, this, &DatasetPanel::openFileDialog);
  auto* folder = new QPushButton(tr("Folder…"), this);
  folder->setObjectName(QStringLiteral("openDatasetFolder"));
  folder->setToolTip(tr("Open a Minari dataset directory"));
  connect(folder, &QPushButton::clicked, this, &DatasetPanel::openFolderDialog);

  auto* row = new QHBoxLayout;
  row->addWidget(combo_, 1);
  row->addWidget(open);
  row->addWidget(folder);
  return row;
}

void DatasetPanel::buildMessageLabels() {
  busy_ = new QProgressBar(this);
  busy_->setRange(0, 0);  // indeterminate
  busy_->setMaximumHeight(10);
  busy_->setTextVisible(false);
  busy_->setVisible(false);

  error_ = new QLabel(this);
  error_->setObjectName(QStringLiteral("datasetError"));
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
  error_->setVisible(false);

  warning_ = new QLabel(this);
  warning_->setObjectName(QStringLiteral("datasetWarning"));
  warning_->setWordWrap(true);
  warning_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  warning_->setStyleSheet(QStringLiteral("QLabel { color: #7a4b00; background: #fff4e0; padding: 2px; }"));
  warning_->setVisible(false);
  physicsLabel_ = new QLabel(this);
  physicsLabel_->setObjectName(QStringLiteral("datasetPhysics"));
  physicsLabel_->setWordWrap(true);
  physicsLabel_->setVisible(false);
}

void DatasetPanel::buildStatsView() {
  stats_ = new QPlainTextEdit(this);
  stats_->setObjectName(QStringLiteral("datasetStats"));
  stats_->setReadOnly(true);
  stats_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::TypeWriter);
  mono.setPointSizeF(8.5);
  stats_->setFont(mono);
  stats_->setMaximumHeight(150);
}

void DatasetPanel::buildReturnsPlot() {
  returnsPlot_ = new QCustomPlot(this);
  returnsPlot_->setMinimumHeight(140);
  applyPlotStyle(returnsPlot_, tr("Episode returns"));
  returnsPlot_->xAxis->setLabel(tr("return"));
  returnsPlot_->yAxis->setLabel(tr("episodes"));
  returnsBars_ = new QCPBars(returnsPlot_->xAxis, returnsPlot_->yAxis);
  returnsBars_->setWidthType(QCPBars::wtPlotCoords);
  QColor fill = seriesColor(0);
  fill.setAlpha(150);
  returnsBars_->setBrush(fill);
  returnsBars_->setPen(QPen(seriesColor(0).darker(130), 0.6));
}

// AntMaze data only: the maze view (walls, goal, xy coverage, planner episodes)
QPushButton* DatasetPanel::buildMazeButton() {
  auto* maze = new QPushButton(tr("Maze view…"), this);
  maze->setObjectName(QStringLiteral("mazeView"));
  maze->setVisible(false);
  connect(maze, &QPushButton::clicked, this, [this] { MazeView::openForDataset(current_, this); });
  return maze;
}

void DatasetPanel::layOutPanel(QHBoxLayout* sourceRow) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(sourceRow);
  layout->addWidget(busy_);
  layout->addWidget(error_);
  layout->addWidget(warning_);
  layout->addWidget(physicsLabel_);
  layout->addWidget(stats_);
  layout->addWidget(returnsPlot_, 1);
}

QString DatasetPanel::errorText() const { return error_->isHidden() ? QString() : error_->text(); }
QString DatasetPanel::warningText() const { return warning_->isHidden() ? QString() : warning_->text(); }
QString DatasetPanel::physicsText() const { return physicsLabel_->isHidden() ? QString() : physicsLabel_->text(); }

void DatasetPanel::selectDataset(const QString& source) {
  if (source.isEmpty()) return;
  if (watcher_.isRunning()) {
    queued_ = source;  // the latest request wins once the running load ends
    return;
  }
  pending_ = source;
  busy_->setVisible(true);
  Q_EMIT loadingChanged(true);
  watcher_.setFuture(QtConcurrent::run(loadSummary, source));
}

void DatasetPanel::openFileDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open dataset"), QString(),
                                                    tr("Datasets (*.hdf5 *.h5 *.npz);;D4RL / Minari HDF5 (*.hdf5 *.h5);;NPZ rollouts (*.npz);;All files (*)"));
  if (!path.isEmpty()) selectDataset(path);
}

void DatasetPanel::openFolderDialog() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Minari dataset directory"));
  if (!dir.isEmpty()) selectDataset(dir);
}

void DatasetPanel::onLoaded() {
  const DatasetSummary s = watcher_.result();
  if (!queued_.isEmpty()) {
    const QString next = std::exchange(queued_, QString());
    if (next != s.source) {
      selectDataset(next);  // a newer request superseded this one
      return;
    }
  }
  busy_->setVisible(false);
  Q_EMIT loadingChanged(false);
  if (!s.error.isEmpty()) {
    error_->setText(s.error);
    error_->setVisible(true);
    syncCombo();  // back to the dataset still in use
    Q_EMIT loadFailed(s.error);
    return;
  }
  error_->setVisible(false);
  warning_->setText(s.clipText);
  warning_->setVisible(!s.clipText.isEmpty());
  if (s.physics.isEmpty() || s.env == QLatin1String("pendulum")) {
    physicsLabel_->setVisible(false);
  } else {
    const QString first = s.physicsEvidence.section(QLatin1Char('\n'), 0, 0);
    physicsLabel_->setText(tr("Physics (auto): %1").arg(first.section(QStringLiteral(": "), 1, -1)));
    physicsLabel_->setToolTip(s.physicsEvidence);
    physicsLabel_->setStyleSheet(s.physicsReproduced ? QStringLiteral("QLabel { color: #1b5e20; }")
                                                     : QStringLiteral("QLabel { color: #555; }"));
    physicsLabel_->setVisible(true);
  }
  summary_ = s;
  current_ = s.source;
  QString header = QFileInfo(s.source).fileName();
  stats_->setPlainText(header + "\n" + s.statsText.trimmed());
  showReturns(s.episodeReturns);
  if (auto* maze = findChild<QPushButton*>(QStringLiteral("mazeView"))) maze->setVisible(MazeView::isAntMazeEnvironment(s.env));
  if (!iql::is_builtin_dataset(s.source.toStdString()) && combo_->findData(s.source) < 0) {
    combo_->addItem(QFileInfo(s.source).fileName(), s.source);
    combo_->setItemData(combo_->count() - 1, s.source, Qt::ToolTipRole);
  }
  syncCombo();
  Q_EMIT datasetChanged(s.source);
}

void DatasetPanel::syncCombo() {
  int i = combo_->findData(current_);
  if (i < 0) i = combo_->findText(current_);
  if (i >= 0) combo_->setCurrentIndex(i);
}

void DatasetPanel::showReturns(const QVector<double>& returns) {
  returnsBars_->data()->clear();
  if (!returns.isEmpty()) {
    const auto [mn, mx] = std::minmax_element(returns.begin(), returns.end());
    const int bins = std::clamp(static_cast<int>(std::sqrt(returns.size())) + 1, 5, 40);
    const double lo = *mn, width = std::max((*mx - *mn) / bins, 1e-9);
    QVector<double> centres(bins), counts(bins, 0.0);
    for (int b = 0; b < bins; ++b) centres[b] = lo + (b + 0.5) * width;
    for (double r : returns) counts[std::clamp(static_cast<int>((r - lo) / width), 0, bins - 1)] += 1;
    returnsBars_->setWidth(width);
    returnsBars_->setData(centres, counts, true);
    returnsPlot_->rescaleAxes();
    returnsPlot_->xAxis->scaleRange(1.1);
    returnsPlot_->yAxis->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.15);
  }
  returnsPlot_->replot(QCustomPlot::rpQueuedReplot);
}

void DatasetPanel::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void DatasetPanel::dropEvent(QDropEvent* e) {
  const auto urls = e->mimeData()->urls();
  if (!urls.isEmpty() && urls.first().isLocalFile()) {
    selectDataset(urls.first().toLocalFile());
    e->acceptProposedAction();
  }
}

}  // namespace iqlui
