#include "ui/sweeps/sweep_task_model.h"

#include <QBrush>
#include <QColor>

namespace iqlui {

SweepTaskModel::SweepTaskModel(QObject* parent) : QAbstractTableModel(parent) {}

void SweepTaskModel::setStatus(const iql::SweepStatus& status) {
  if (status.tasks.size() == status_.tasks.size() && !status_.tasks.empty()) {
    status_ = status;  // same rows: repaint in place, keeping selection and scroll position
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    return;
  }
  beginResetModel();
  status_ = status;
  endResetModel();
}

int SweepTaskModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(status_.tasks.size());
}

int SweepTaskModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SweepTaskModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& t = status_.tasks[static_cast<size_t>(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Task: return t.index;
      case State: return QString::fromStdString(t.state);
      case Slurm: return QString::fromStdString(t.slurm_state);
      case Progress: return QStringLiteral("%1%").arg(100.0 * t.progress(), 0, 'f', 0);
      case Attempts: return t.attempts;
      case Runs: {
        QStringList points;
        for (const auto& m : t.members) points << QString::fromStdString(m.point);
        return points.join(QStringLiteral("; "));
      }
      case Message: return QString::fromStdString(t.message);
    }
  }
  if (role == Qt::ToolTipRole && index.column() == Runs) {  // the cell is elided: every run, one a line
    QStringList points;
    for (const auto& m : t.members) points << QString::fromStdString(m.point);
    return points.join(QLatin1Char('\n'));
  }
  if (role == Qt::ToolTipRole && (index.column() == Message || index.column() == State) && !t.log_tail.empty())
    return QString::fromStdString(t.log_tail);
  if (role == Qt::ForegroundRole && index.column() == State) {
    if (t.state == "failed" || t.state == "lost") return QBrush(QColor(200, 40, 40));
    if (t.state == "finished") return QBrush(QColor(30, 130, 60));
  }
  if (role == Qt::UserRole && index.column() == Progress) return t.progress();
  return {};
}

QVariant SweepTaskModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {"Task", "State", "Slurm", "Progress", "Attempts", "Runs", "Message"};
  return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

}  // namespace iqlui
