// In the Runs table, the Enter that confirms a rename or a tag edit only confirms it: it neither
// opens the run nor leaves the tab. Enter with no editor open still opens the current run.
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "core/store/run_store.h"
#include "core/config/train_config.h"
#include "ui/runs/run_table_model.h"
#include "ui/runs/runs_browser.h"

using iqlui::RunTableModel;

class TestRunsTableEnter : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void enterConfirmsEditWithoutOpening() {
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.db");
    qint64 id = 0;
    {
      iql::RunStore store(db.toStdString());
      iql::RunInfo info;
      info.name = "first name";
      info.status = "finished";
      info.algorithm = "iql";
      info.dataset = "pendulum-medium";
      info.env = "pendulum";
      info.config_json = iql::TrainConfig{}.to_json();
      id = store.create_run(info);
    }
    RunsBrowser w;
    w.resize(1000, 500);
    w.setDatabase(db);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy open(&w, &RunsBrowser::openRunRequested);
    w.selectRuns({id});
    w.tableView()->setFocus();

    for (int column : {int(RunTableModel::Name), int(RunTableModel::Tags)}) {
      const int row = w.model()->rowOfRun(id);
      const QModelIndex idx = w.proxy()->mapFromSource(w.model()->index(row, column));
      w.tableView()->setCurrentIndex(idx);
      w.tableView()->edit(idx);
      auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
      QVERIFY2(editor, "an inline editor has focus");
      editor->selectAll();
      QTest::keyClicks(editor, column == RunTableModel::Name ? QStringLiteral("renamed") : QStringLiteral("a, b"));
      QTest::keyClick(editor, Qt::Key_Return);
      QCoreApplication::processEvents();
      QCOMPARE(open.count(), 0);
    }
    {
      iql::RunStore store(db.toStdString());
      const auto run = store.get_run(id);
      QCOMPARE(QString::fromStdString(run->name), QString("renamed"));
      QCOMPARE(run->tags, (std::vector<std::string>{"a", "b"}));
    }
    // No editor open: Enter opens the current run.
    QTest::keyClick(w.tableView(), Qt::Key_Return);
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.at(0).at(0).toLongLong(), id);
  }
};

QTEST_MAIN(TestRunsTableEnter)
#include "test_runs_table_enter.moc"
