#include "ui/session/session_launches.h"

namespace iqlui {

SessionLaunches* SessionLaunches::instance() {
  static SessionLaunches launches;
  return &launches;
}

}  // namespace iqlui
