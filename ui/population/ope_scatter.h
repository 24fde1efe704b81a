// How far an offline policy estimate can be trusted (issue 21, item 3), for the members of a population
// or a sweep: where the members have true scores, a scatter of each member's offline estimate (the
// chosen method's, at its latest checkpoint) against its true score (core/ope/true_scores.h, as iql ope
// judges: a final evaluation where there is one, else the last evaluation; the caption says which),
// with Spearman's rank correlation, regret@1 and regret@3 and their bootstrap intervals
// (core/stats/selection_stats.h) in the caption.
// Where fewer than two members have a true score, a ranking of the members by the estimate with the
// estimator's own interval over initial states where it stored one. Both scales are normalised scores where
// every member has them, else returns. Reads the store on the GUI thread: a few rows per member.
#pragma once
#include <QList>
#include <QString>
#include <QVector>
#include <QWidget>
#include <memory>
#include <optional>

#include "core/stats/selection_stats.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QStackedWidget;
class QTableWidget;

namespace iql {
class RunStore;
}

namespace iqlui {

class OpeScatter : public QWidget {
  Q_OBJECT
public:
  struct Member {
    qint64 runId = 0;
    QString label;                 // "#12 τ 0.7 β 3"
    double estimate = 0.0;         // as stored (an error stays an error)
    std::optional<double> truth;   // final evaluation, else last evaluation
    bool truthIsFinal = false;
    int truthEpisodes = 0;
    QString uncertainty;           // the estimator's interval, "[40.20, 52.00]"; empty where it stored none
  };

  explicit OpeScatter(QWidget* parent = nullptr);

  void setStore(std::shared_ptr<iql::RunStore> store);
  void setRuns(const QList<qint64>& runIds);  // re-reads the store
  void refresh();

  // True when any member has an offline estimate: the views show the widget only then.
  bool hasEstimates() const { return !methods_.isEmpty(); }
  QStringList methods() const { return methods_; }
  QString currentMethod() const;
  void setMethod(const QString& method);
  const QVector<Member>& members() const { return members_; }  // of the current method
  bool showsScatter() const;  // else the ranking
  // Each side's scale: normalised scores where every member has one, else returns (an error's value).
  bool estimateNormalised() const { return estimateNormalised_; }
  bool truthNormalised() const { return truthNormalised_; }
  // An error (a TD error): lower predicts better, so the statistics rank its negation.
  static bool lowerIsBetter(const QString& method);
  const iql::stats::SelectionStats& selection() const { return selection_; }
  iql::stats::BootstrapSettings bootstrapSettings() const { return settings_; }

  QComboBox* methodCombo() const { return methodCombo_; }
  QLabel* caption() const { return caption_; }
  QCustomPlot* plot() const { return plot_; }
  QTableWidget* ranking() const { return ranking_; }

Q_SIGNALS:
  void estimatesChanged(bool any);  // after every read of the store
  void errorOccurred(const QString& message);

private:
  void readMethods();
  void rebuild();
  void readMembers(const QString& method);
  void drawScatter();
  void fillRanking();

  std::shared_ptr<iql::RunStore> store_;
  QList<qint64> runIds_;
  QStringList methods_;
  QVector<Member> members_;
  bool estimateNormalised_ = false, truthNormalised_ = false;
  iql::stats::SelectionStats selection_;
  iql::stats::BootstrapSettings settings_;

  QComboBox* methodCombo_ = nullptr;
  QLabel* caption_ = nullptr;
  QStackedWidget* stack_ = nullptr;
  QCustomPlot* plot_ = nullptr;
  QTableWidget* ranking_ = nullptr;
};

}  // namespace iqlui
