// Table model over RunStore::list_runs() for the Runs tab: one row per stored run with its
// id and hyperparameters (tau, beta, seed from config_json; "3 → 9.74" when changed mid-run, from the
// run's hyperparameter events), status, progress, best/final D4RL-normalised
// score, duration and tags. Name and tags are editable and written straight to the store.
//
// Sorting and filtering go through RunSortFilterProxy: Qt::UserRole (SortRole) holds typed values
// (double, qlonglong, QString) so numeric columns sort numerically, and runs without a value (no
// score yet) stay at the bottom in either order. FilterRole (on column 0) joins name, dataset, tags
// and status for the filter box.
#pragma once
#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

#include "core/store/run_store.h"
#include "ui/runs/hyper_history.h"

namespace iqlui {

struct RunRow {
  iql::RunInfo info;
  double tau = 0.0;   // starting value; NaN when config_json has no expectile
  double beta = 0.0;  // starting value; NaN when config_json has no temperature
  HyperHistory tauHistory, betaHistory;  // start/final and live changes (from the run's events)
  std::optional<double> bestScore;
  std::optional<double> finalScore;
  qint64 durationSecs = -1;  // created -> updated; -1 when a timestamp does not parse
  bool hasCheckpoint = false;
  QString deviceFacts;  // what it trained on (run_device_facts.h); empty for runs stored before devices
};

// Formats seconds as "42s", "3m 05s", "2h 07m", "1d 04h".
QString formatDuration(qint64 seconds);
// expectile/temperature of a config_json; NaN when absent or not a number.
double configNumber(const std::string& configJson, const char* key);

class RunTableModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { Id, Name, Dataset, Env, Tau, Beta, Seed, Status, Steps, BestScore, FinalScore, Duration,
                Tags, ColumnCount };
  enum Role {
    SortRole = Qt::UserRole,  // typed value for sorting (invalid QVariant: no value)
    RunIdRole,                // qlonglong run id (every column)
    StatusRole,               // status string (every column)
    FilterRole,               // "name dataset tags status" (column 0)
  };

  explicit RunTableModel(QObject* parent = nullptr);

  // The store is shared with the browser (GUI thread only). nullptr empties the model.
  void setStore(std::shared_ptr<iql::RunStore> store);
  iql::RunStore* store() const { return store_.get(); }

  // Re-reads the runs. When the same runs are listed in the same order the rows are updated in
  // place (dataChanged only), so selections, editors and scroll position survive; otherwise the
  // model is reset. Returns false (and emits errorOccurred) when the store fails.
  bool reload();

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

  const RunRow& runAt(int row) const { return rows_[size_t(row)]; }
  qint64 runIdAt(int row) const { return rows_[size_t(row)].info.id; }
  int rowOfRun(qint64 runId) const;  // -1 when absent

  static QColor statusColor(const QString& status);
  static QStringList parseTags(const QString& text);  // comma separated, trimmed, no empties

Q_SIGNALS:
  void errorOccurred(const QString& message);

private:
  QVariant displayValue(const RunRow& r, int column) const;
  QVariant sortValue(const RunRow& r, int column) const;
  std::vector<RunRow> readRows();

  std::shared_ptr<iql::RunStore> store_;
  std::vector<RunRow> rows_;
};

// Sorts by RunTableModel::SortRole, keeps rows without a value last in both orders, and filters
// case-insensitively on FilterRole.
class RunSortFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit RunSortFilterProxy(QObject* parent = nullptr);

protected:
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

}  // namespace iqlui
