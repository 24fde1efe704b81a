// CpuSlots: a local sweep's CPUs dealt out in disjoint groups, taken and given back; pinning off when
// there are too few CPUs; and a process pinned to a group resolves threads 0 (auto) to the group's
// size, which is what makes an auto-threads sweep task train with one count whatever else runs.
#include <QtTest/QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include "core/runtime/training_slots.h"
#include "core/sweep/cpu_slots.h"

using namespace iql;

class TestCpuSlots : public QObject {
  Q_OBJECT

  // The auto thread count a child process sees after pinning itself to `cpus`.
  static int auto_threads_when_pinned(const std::vector<int>& cpus) {
    const pid_t pid = fork();
    if (pid == 0) _exit(pin_to_cpus(cpus) ? runtime::default_training_threads() : 100);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

private Q_SLOTS:
  void disjointGroupsInOrder() {
    CpuSlots s({0, 1, 2, 3, 4, 5, 6}, 2, 3);
    QVERIFY(s.pinned());
    QCOMPARE(s.cpus(0), (std::vector<int>{0, 1}));
    QCOMPARE(s.cpus(1), (std::vector<int>{2, 3}));
    QCOMPARE(s.cpus(2), (std::vector<int>{4, 5}));
  }

  void takeAndGiveBack() {
    CpuSlots s({0, 1, 2}, 1, 3);
    QCOMPARE(s.take(), 0);
    QCOMPARE(s.take(), 1);
    QCOMPARE(s.take(), 2);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, s.take());
    s.give_back(1);
    QCOMPARE(s.take(), 1);
  }

  void tooFewCpusPinsNothing() {
    CpuSlots s({0, 1}, 2, 2);
    QVERIFY(!s.pinned());
    QCOMPARE(s.cpus(0), (std::vector<int>{0, 1}));
    QCOMPARE(s.cpus(1), (std::vector<int>{0, 1}));
  }

  void pinnedProcessResolvesAutoThreadsToItsGroup() {
    const auto cpus = usable_cpu_ids();
    QVERIFY(!cpus.empty());
    QCOMPARE(auto_threads_when_pinned({cpus[0]}), 1);
    if (cpus.size() >= 2) QCOMPARE(auto_threads_when_pinned({cpus[0], cpus[1]}), 2);
  }
};

QTEST_GUILESS_MAIN(TestCpuSlots)
#include "test_cpu_slots.moc"
