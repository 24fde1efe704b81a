// Shared by the sweep tests that run real tasks: the iql binary as a process, reference runs trained
// in this process with run_training(), and the comparison of a collected run against its reference.
#pragma once
#include <QtTest/QtTest>

#include <string>
#include <vector>

#include "core/store/run_store.h"
#include "core/sweep/sweep_plan.h"
#include "core/train/training_run.h"

namespace sweeptest {

struct Proc {
  int code = -1;
  QString out, err;
};

inline Proc run_iql(const QStringList& args, int timeout_ms = 120000) {
  QProcess p;
  p.start(IQL_CLI_PATH, args);
  if (!p.waitForFinished(timeout_ms)) {
    p.kill();
    p.waitForFinished();
    return {-1, {}, "timeout"};
  }
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

inline Proc run_cmd(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  p.waitForFinished(60000);
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// A small, quick Pendulum run (eval only at the end, no probes).
inline QString small_base(int steps, const QString& extra = {}) {
  return QString(R"("base":{"dataset":"pendulum-medium","env":"pendulum","steps":%1,"hidden":32,"batch_size":64,)"
                 R"("threads":1,"eval_interval":0,"eval_episodes":2,"log_interval":50,"probe_interval":0%2})")
      .arg(steps)
      .arg(extra);
}

inline void write_text(const QString& path, const QString& text) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(text.toUtf8());
}

struct Reference {
  std::vector<iql::MetricPoint> metrics;
  double final_return = 0;
};

// The same member trained here, uninterrupted, into its own store.
inline Reference reference_run(const iql::TrainConfig& cfg, const std::string& db) {
  iql::RunOptions o;
  o.db_path = db;
  iql::RunControl control;
  const auto out = iql::run_training(cfg, o, control, {});
  iql::RunStore store(db);
  return {store.metrics(out.run_id), out.final_evaluation ? out.final_evaluation->return_mean : std::nan("")};
}

// Every metric (step, key, value) and the last evaluation are bit-identical.
inline bool same_as_reference(iql::RunStore& store, int64_t run, const Reference& ref, QString* why) {
  const auto m = store.metrics(run);
  if (m.size() != ref.metrics.size()) {
    *why = QString("run %1: %2 metric rows, reference %3").arg(run).arg(m.size()).arg(ref.metrics.size());
    return false;
  }
  for (size_t i = 0; i < m.size(); ++i)
    if (m[i].step != ref.metrics[i].step || m[i].key != ref.metrics[i].key ||
        !(m[i].value == ref.metrics[i].value || (std::isnan(m[i].value) && std::isnan(ref.metrics[i].value)))) {
      *why = QString("run %1: %2 at step %3 is %4, reference %5")
                 .arg(run)
                 .arg(QString::fromStdString(m[i].key))
                 .arg(m[i].step)
                 .arg(m[i].value, 0, 'g', 17)
                 .arg(ref.metrics[i].value, 0, 'g', 17);
      return false;
    }
  const auto ev = store.evaluations(run);
  if (ev.empty() || ev.back().return_mean != ref.final_return) {
    *why = QString("run %1: final return %2, reference %3").arg(run).arg(ev.empty() ? NAN : ev.back().return_mean).arg(ref.final_return);
    return false;
  }
  return true;
}

}  // namespace sweeptest
