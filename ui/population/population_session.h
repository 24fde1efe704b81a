// A population run driven from the GUI: iql::run_population on its own thread, controlled through a
// thread-safe iql::RunControl (pause, resume, stop, live changes to one member or all), so the GUI
// thread never waits on training. Member metrics are coalesced in a buffer that a GUI-side timer
// drains ten times a second; evaluations, start and outcome arrive as queued calls.
#pragma once
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QVector>
#include <memory>
#include <vector>

#include "core/train/train_config.h"
#include "ui/session/session_types.h"

namespace iql {
class RunControl;
}

namespace iqlui {

struct PopulationBuffer;

class PopulationSession : public QObject {
  Q_OBJECT
public:
  explicit PopulationSession(QObject* parent = nullptr);
  ~PopulationSession() override;  // stops the run and joins its thread

  // Starts a population (each member a stored run in dbPath; empty: the default store). Runs once.
  void start(const std::vector<iql::TrainConfig>& members, const QString& dbPath);
  bool isActive() const { return active_; }
  const std::vector<iql::TrainConfig>& members() const { return members_; }
  QString populationId() const { return populationId_; }
  QVector<qint64> runIds() const { return runIds_; }
  void setDrainIntervalMs(int ms) { drainTimer_.setInterval(ms); }

public Q_SLOTS:
  void pause();
  void resume();
  void stop();
  // member < 0: every member.
  void changeHyperparameter(const QString& name, double value, int member = -1);

Q_SIGNALS:
  void started(const QString& populationId, const QVector<qint64>& runIds);
  void metricsBatch(int member, const QVector<iqlui::MetricSample>& batch);
  void evaluation(int member, const iqlui::EvalSample& result);
  void progress(qint64 step, qint64 total, double stepsPerSec);
  void finished(const QString& status);
  void failed(const QString& message);

private:
  void drain();
  void onDone();
  QThread* thread_ = nullptr;
  std::shared_ptr<iql::RunControl> control_;
  std::shared_ptr<PopulationBuffer> buffer_;
  QTimer drainTimer_;
  std::vector<iql::TrainConfig> members_;
  QString populationId_;
  QVector<qint64> runIds_;
  bool active_ = false;
};

}  // namespace iqlui
