#include "ui/panels/wheel_guard.h"

#include <QSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QWidget>

namespace iqlui {

void WheelGuard::install(QWidget* root) {
  auto* guard = new WheelGuard(root);
  QList<QWidget*> fields;
  for (auto* w : root->findChildren<QAbstractSpinBox*>()) fields << w;
  for (auto* w : root->findChildren<QComboBox*>()) fields << w;
  for (auto* w : root->findChildren<QSlider*>()) fields << w;  // not scroll bars: they scroll
  for (QWidget* w : fields) {
    w->setFocusPolicy(Qt::StrongFocus);  // not WheelFocus: the wheel alone never focuses a field
    w->installEventFilter(guard);
  }
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Wheel) {
    auto* w = qobject_cast<QWidget*>(watched);
    if (w && !w->hasFocus()) {
      event->ignore();  // not accepted: QApplication passes it on to the parents (the scroll area)
      return true;      // and the field itself never sees it
    }
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace iqlui
