// Scrolling a settings panel must not change the fields the pointer passes over: spin boxes, combo
// boxes and sliders under the panel take focus only by click or Tab (Qt::StrongFocus), and a wheel
// event on one without focus is ignored there and travels on to the scroll area around the panel.
#pragma once
#include <QObject>

class QWidget;

namespace iqlui {

class WheelGuard : public QObject {
  Q_OBJECT
public:
  // Guards every spin box, combo box and slider below root now (the guard is root's child).
  static void install(QWidget* root);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  using QObject::QObject;
};

}  // namespace iqlui
