// The tasks of a sweep as a table (one row per task): state, Slurm state, progress, attempts, runs and
// the failure message. Fed whole SweepStatus snapshots by the SweepsView; GUI thread only.
#pragma once
#include <QAbstractTableModel>

#include "core/sweep/sweep_status.h"

namespace iqlui {

class SweepTaskModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { Task, State, Slurm, Progress, Attempts, Runs, Message, ColumnCount };
  explicit SweepTaskModel(QObject* parent = nullptr);

  void setStatus(const iql::SweepStatus& status);
  const iql::SweepStatus& status() const { return status_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
  iql::SweepStatus status_;
};

}  // namespace iqlui
