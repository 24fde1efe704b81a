// Scrolling the settings panel with the mouse wheel: a spin box, combo box or slider the pointer
// passes over keeps its value and leaves the event unaccepted, which is what makes QApplication hand
// a real (spontaneous) wheel event on to the parents, the scroll area (a synthesised event, as sent
// here, is never propagated by Qt); a field the user clicked into (focused) still steps with the wheel.
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QScrollArea>
#include <QSlider>
#include <QWheelEvent>
#include <QtTest/QtTest>

#include "ui/panels/hyperparameter_panel.h"
#include "ui/panels/slider_spin.h"

using iqlui::HyperparameterPanel;

namespace {
// One notch of the wheel towards the user (scrolls down, steps a spin box down), at the widget's centre.
bool wheelDown(QWidget* w) {
  const QPointF pos(w->width() / 2.0, w->height() / 2.0);
  QWheelEvent e(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                false);
  QApplication::sendEvent(w, &e);
  return e.isAccepted();
}
}  // namespace

class TestWheelGuard : public QObject {
  Q_OBJECT
private:
  // The panel in a short scroll area, as the hyperparameter dock holds it.
  struct Window {
    QScrollArea area;
    HyperparameterPanel* panel = new HyperparameterPanel;
    Window() {
      area.setWidget(panel);
      area.setWidgetResizable(true);
      area.resize(360, 260);  // far shorter than the panel: it scrolls
      area.show();
      area.activateWindow();
    }
  };

private Q_SLOTS:
  void unfocusedFieldsKeepTheirValueAndPassTheWheelOn() {
    Window w;
    QVERIFY(QTest::qWaitForWindowActive(&w.area));
    auto* valueLr = w.panel->findChild<QDoubleSpinBox*>(QStringLiteral("valueLr"));
    QVERIFY(valueLr);
    QCOMPARE(valueLr->value(), 3e-4);  // the quick-start setting
    QVERIFY(!valueLr->hasFocus());
    QCOMPARE(valueLr->focusPolicy(), Qt::StrongFocus);

    QVERIFY2(!wheelDown(valueLr), "left for the scroll area");
    QCOMPARE(valueLr->value(), 3e-4);

    QSpinBox* steps = w.panel->stepsBox();
    const int stepsBefore = steps->value();
    QVERIFY(!wheelDown(steps));
    QCOMPARE(steps->value(), stepsBefore);

    auto* algorithm = w.panel->findChild<QComboBox*>(QStringLiteral("algorithm"));
    QVERIFY(algorithm);
    const int algorithmBefore = algorithm->currentIndex();
    QVERIFY(!wheelDown(algorithm));
    QCOMPARE(algorithm->currentIndex(), algorithmBefore);

    QSlider* tau = w.panel->expectileControl()->slider();
    const int tauBefore = tau->value();
    QVERIFY(!wheelDown(tau));
    QCOMPARE(tau->value(), tauBefore);
    QCOMPARE(w.panel->config().expectile, w.panel->expectileControl()->value());
  }

  void aFocusedSpinBoxStepsWithTheWheel() {
    Window w;
    QVERIFY(QTest::qWaitForWindowActive(&w.area));
    QSpinBox* steps = w.panel->stepsBox();
    steps->setFocus(Qt::MouseFocusReason);
    QTRY_VERIFY(steps->hasFocus());
    const int before = steps->value();
    QVERIFY(wheelDown(steps));
    QCOMPARE(steps->value(), before - steps->singleStep());
  }
};

QTEST_MAIN(TestWheelGuard)
#include "test_wheel_guard.moc"
