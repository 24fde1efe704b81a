#include "ui/runs/run_table_model.h"

#include "ui/runs/run_device_facts.h"
#include "ui/runs/store_access.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFileInfo>
#include <QFont>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <exception>
#include <limits>

namespace iqlui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString qs(const std::string& s) { return QString::fromStdString(s); }

qint64 secondsBetween(const std::string& from, const std::string& to) {
  const QDateTime a = QDateTime::fromString(qs(from), Qt::ISODateWithMs);
  QDateTime b = QDateTime::fromString(qs(to), Qt::ISODateWithMs);
  if (!a.isValid() || !b.isValid()) return -1;
  return std::max<qint64>(0, a.secsTo(b));
}

QString formatNumber(double v) {
  if (std::isnan(v)) return QStringLiteral("–");
  return QString::number(v, 'g', 4);
}

bool sameRow(const RunRow& a, const RunRow& b) {
  const auto& x = a.info;
  const auto& y = b.info;
  return x.id == y.id && x.name == y.name && x.updated == y.updated && x.status == y.status &&
         x.tags == y.tags && x.notes == y.notes && x.steps == y.steps &&
         x.config_json == y.config_json && a.bestScore == b.bestScore &&
         a.finalScore == b.finalScore && a.hasCheckpoint == b.hasCheckpoint &&
         a.tauHistory.changes == b.tauHistory.changes && a.betaHistory.changes == b.betaHistory.changes;
}

}  // namespace

QString formatDuration(qint64 s) {
  if (s < 0) return QStringLiteral("–");
  if (s < 60) return QStringLiteral("%1s").arg(s);
  if (s < 3600) return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
  if (s < 86400)
    return QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
  return QStringLiteral("%1d %2h").arg(s / 86400).arg((s % 86400) / 3600, 2, 10, QChar('0'));
}

double configNumber(const std::string& configJson, const char* key) {
  const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(configJson));
  if (!doc.isObject()) return kNaN;
  const QJsonValue v = doc.object().value(QLatin1String(key));
  return v.isDouble() ? v.toDouble() : kNaN;
}

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunTableModel::setStore(std::shared_ptr<iql::RunStore> store) {
  beginResetModel();
  store_ = std::move(store);
  rows_.clear();
  endResetModel();
  reload();
}

std::vector<RunRow> RunTableModel::readRows() {
  std::vector<RunRow> rows;
  if (!store_) return rows;
  for (iql::RunInfo& info : store_->list_runs()) {
    RunRow r;
    r.tau = configNumber(info.config_json, "expectile");
    r.beta = configNumber(info.config_json, "temperature");
    const std::vector<iql::EventRecord> events = store_->events(info.id);
    r.tauHistory = hyperHistory(info.config_json, events, "expectile");
    r.betaHistory = hyperHistory(info.config_json, events, "temperature");
    r.deviceFacts = runDeviceFacts(events).text;
    if (auto s = store_->best_and_final_score(info.id)) {
      r.bestScore = s->first;
      r.finalScore = s->second;
    }
    r.durationSecs = secondsBetween(info.created, info.updated);
    // resumable only while the checkpoint file is still on disk
    if (auto ckpt = store_->latest_checkpoint(info.id))
      r.hasCheckpoint = QFileInfo::exists(QString::fromStdString(ckpt->path));
    r.info = std::move(info);
    rows.push_back(std::move(r));
  }
  return rows;
}

bool RunTableModel::reload() {
  std::vector<RunRow> fresh;
  try {
    fresh = readRows();
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    return false;
  }
  bool sameIds = fresh.size() == rows_.size();
  for (size_t i = 0; sameIds && i < fresh.size(); ++i) sameIds = fresh[i].info.id == rows_[i].info.id;
  if (!sameIds) {
    beginResetModel();
    rows_ = std::move(fresh);
    endResetModel();
    return true;
  }
  for (size_t i = 0; i < fresh.size(); ++i) {
    if (sameRow(fresh[i], rows_[i])) continue;
    rows_[i] = std::move(fresh[i]);
    Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
  }
  return true;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

int RunTableModel::rowOfRun(qint64 runId) const {
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].info.id == runId) return int(i);
  return -1;
}

QColor RunTableModel::statusColor(const QString& status) {
  if (status == QLatin1String("interrupted")) return QColor(204, 102, 0);  // amber
  if (status == QLatin1String("failed")) return QColor(190, 30, 30);
  if (status == QLatin1String("running")) return QColor(0, 100, 190);
  if (status == QLatin1String("paused")) return QColor(120, 90, 160);
  if (status == QLatin1String("finished")) return QColor(0, 130, 70);
  return QColor(90, 90, 90);  // stopped
}

QStringList RunTableModel::parseTags(const QString& text) {
  QStringList tags;
  for (const QString& part : text.split(QLatin1Char(','))) {
    const QString t = part.trimmed();
    if (!t.isEmpty() && !tags.contains(t)) tags << t;
  }
  return tags;
}

QVariant RunTableModel::displayValue(const RunRow& r, int column) const {
  const auto& i = r.info;
  switch (column) {
    case Id: return QString::number(i.id);
    case Name: return qs(i.name);
    case Dataset: return QFileInfo(qs(i.dataset)).fileName();  // the full path is the tooltip
    case Env: return qs(i.env);
    case Tau: return r.tauHistory.changed() ? r.tauHistory.text() : formatNumber(r.tau);
    case Beta: return r.betaHistory.changed() ? r.betaHistory.text() : formatNumber(r.beta);
    case Seed: return QString::number(i.seed);
    case Status: return qs(i.status);
    case Steps: return QLocale().toString(qlonglong(i.steps));
    case BestScore: return r.bestScore ? QString::number(*r.bestScore, 'f', 1) : QStringLiteral("–");
    case FinalScore: return r.finalScore ? QString::number(*r.finalScore, 'f', 1) : QStringLiteral("–");
    case Duration: return formatDuration(r.durationSecs);
    case Tags: {
      QStringList tags;
      for (const auto& t : i.tags) tags << qs(t);
      return tags.join(QStringLiteral(", "));
    }
  }
  return {};
}

QVariant RunTableModel::sortValue(const RunRow& r, int column) const {
  const auto& i = r.info;
  switch (column) {
    case Id: return QVariant(qlonglong(i.id));
    case Tau: return std::isnan(r.tau) ? QVariant() : QVariant(r.tau);
    case Beta: return std::isnan(r.beta) ? QVariant() : QVariant(r.beta);
    case Seed: return QVariant(qlonglong(i.seed));
    case Steps: return QVariant(qlonglong(i.steps));
    case BestScore: return r.bestScore ? QVariant(*r.bestScore) : QVariant();
    case FinalScore: return r.finalScore ? QVariant(*r.finalScore) : QVariant();
    case Duration: return r.durationSecs < 0 ? QVariant() : QVariant(qlonglong(r.durationSecs));
    default: return displayValue(r, column).toString().toLower();
  }
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size()) || index.column() >= ColumnCount)
    return {};
  const RunRow& r = rows_[size_t(index.row())];
  const int col = index.column();
  const QString status = qs(r.info.status);
  switch (role) {
    case Qt::DisplayRole: return displayValue(r, col);
    case Qt::EditRole:
      if (col == Tags) {
        QStringList tags;
        for (const auto& t : r.info.tags) tags << qs(t);
        return tags.join(QStringLiteral(", "));
      }
      return displayValue(r, col);
    case SortRole: return sortValue(r, col);
    case RunIdRole: return QVariant(qlonglong(r.info.id));
    case StatusRole: return status;
    case FilterRole: {
      if (col != 0) return {};
      QStringList parts{qs(r.info.name), qs(r.info.dataset), status};
      for (const auto& t : r.info.tags) parts << qs(t);
      return parts.join(QLatin1Char(' '));
    }
    case Qt::TextAlignmentRole:
      if (col == Id || col == Tau || col == Beta || col == Seed || col == Steps || col == BestScore ||
          col == FinalScore || col == Duration)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
      if (col == Status) return QBrush(statusColor(status));
      return {};
    case Qt::BackgroundRole:
      if (status == QLatin1String("interrupted")) return QBrush(QColor(255, 236, 204));
      if (status == QLatin1String("failed")) return QBrush(QColor(252, 226, 226));
      return {};
    case Qt::FontRole:
      if ((col == Tau && r.tauHistory.changed()) || (col == Beta && r.betaHistory.changed())) {
        QFont f;
        f.setItalic(true);  // changed mid-run (the tooltip lists the changes)
        return f;
      }
      if (col == Status && (status == QLatin1String("interrupted") || status == QLatin1String("running"))) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case Qt::ToolTipRole:
      if (col == Name && !r.info.notes.empty()) return qs(r.info.notes);
      if (col == Status && status == QLatin1String("interrupted"))
        return tr("The process writing this run ended without finishing it.%1")
            .arg(r.hasCheckpoint ? tr(" It can be resumed from its last checkpoint.") : QString());
      if (col == Dataset) return qs(r.info.dataset);
      if (col == Tau) return r.tauHistory.tooltip(QStringLiteral("τ"));
      if (col == Beta) return r.betaHistory.tooltip(QStringLiteral("β"));
      if (col == Duration) {
        const QString span = tr("%1 → %2").arg(qs(r.info.created), qs(r.info.updated));
        return r.deviceFacts.isEmpty() ? span : tr("%1\ntrained on %2").arg(span, r.deviceFacts);
      }
      return {};
  }
  return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    switch (section) {
      case Id: return tr("ID");
      case Name: return tr("Name");
      case Dataset: return tr("Dataset");
      case Env: return tr("Env");
      case Tau: return tr("τ");
      case Beta: return tr("β");
      case Seed: return tr("Seed");
      case Status: return tr("Status");
      case Steps: return tr("Steps");
      case BestScore: return tr("Best");
      case FinalScore: return tr("Final");
      case Duration: return tr("Duration");
      case Tags: return tr("Tags");
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case Id: return tr("Run id, as in \"Run #N\"");
      case Tau: return tr("Expectile tau (start → final when changed mid-run)");
      case Beta: return tr("Temperature beta (start → final when changed mid-run)");
      case BestScore: return tr("Best D4RL-normalised evaluation score");
      case FinalScore: return tr("Last D4RL-normalised evaluation score");
      case Duration: return tr("Time from creation to the last training write (edits to name, tags or notes do not count)");
    }
  }
  return {};
}

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
  if (index.column() == Name || index.column() == Tags) f |= Qt::ItemIsEditable;
  return f;
}

bool RunTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::EditRole || !store_)
    return false;
  RunRow& r = rows_[size_t(index.row())];
  try {
    if (index.column() == Name) {
      const QString name = value.toString().trimmed();
      if (name.isEmpty()) return false;
      openStoreForEditing(*store_).rename_run(r.info.id, name.toStdString());
      r.info.name = name.toStdString();
    } else if (index.column() == Tags) {
      std::vector<std::string> tags;
      for (const QString& t : parseTags(value.toString())) tags.push_back(t.toStdString());
      openStoreForEditing(*store_).set_tags(r.info.id, tags);
      r.info.tags = tags;
    } else {
      return false;
    }
    if (auto fresh = store_->get_run(r.info.id)) {
      r.info.updated = fresh->updated;
      r.durationSecs = secondsBetween(r.info.created, r.info.updated);
    }
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    return false;
  }
  Q_EMIT dataChanged(index.siblingAtColumn(0), index.siblingAtColumn(ColumnCount - 1));
  return true;
}

RunSortFilterProxy::RunSortFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(RunTableModel::SortRole);
  setFilterRole(RunTableModel::FilterRole);
  setFilterKeyColumn(0);
  setFilterCaseSensitivity(Qt::CaseInsensitive);
  setDynamicSortFilter(true);
}

bool RunSortFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const QVariant l = left.data(sortRole());
  const QVariant r = right.data(sortRole());
  const bool lv = l.isValid(), rv = r.isValid();
  // rows without a value sort last whatever the order (the view reverses for descending)
  if (!lv || !rv) {
    if (lv == rv) return left.row() < right.row();
    return sortOrder() == Qt::AscendingOrder ? lv : !lv;
  }
  if (l.userType() == QMetaType::QString && r.userType() == QMetaType::QString)
    return QString::localeAwareCompare(l.toString(), r.toString()) < 0;
  const QPartialOrdering c = QVariant::compare(l, r);
  if (c == QPartialOrdering::Less) return true;
  if (c == QPartialOrdering::Greater) return false;
  return left.row() < right.row();
}

}  // namespace iqlui
