// Announces every TrainingSession as it starts, wherever it was created (the Population tab owns
// its own session), so the main window's toolbar and status bar can follow whichever one trains.
#pragma once
#include <QObject>

namespace iqlui {

class TrainingSession;

class SessionLaunches : public QObject {
  Q_OBJECT
public:
  static SessionLaunches* instance();  // GUI thread only

Q_SIGNALS:
  // Emitted from TrainingSession's launch, after its state became Starting.
  void launched(iqlui::TrainingSession* session);

private:
  SessionLaunches() = default;
};

}  // namespace iqlui
