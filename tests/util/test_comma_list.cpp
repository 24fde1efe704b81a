// split_comma_list: items in order, empty items dropped, spaces kept as given.
#include <QtTest/QtTest>

#include "core/util/comma_list.h"

using iql::split_comma_list;
using List = std::vector<std::string>;

class TestCommaList : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void splits() {
    QCOMPARE(split_comma_list("0.6,0.8"), (List{"0.6", "0.8"}));
    QCOMPARE(split_comma_list("a,,b,"), (List{"a", "b"}));
    QCOMPARE(split_comma_list(""), List{});
    QCOMPARE(split_comma_list(",,"), List{});
    QCOMPARE(split_comma_list("one"), (List{"one"}));
    QCOMPARE(split_comma_list(" x , y"), (List{" x ", " y"}));
  }
};

QTEST_GUILESS_MAIN(TestCommaList)
#include "test_comma_list.moc"
