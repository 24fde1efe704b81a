#include "ui/replay/run_replay.h"

#include <exception>

#include "core/store/run_store.h"
#include "core/config/train_config.h"

namespace iqlui {

RunReplay loadRunReplay(const QString& dbPath, qint64 runId) {
  RunReplay r;
  r.runId = runId;
  try {
    iql::RunStore store(dbPath.toStdString(), iql::RunStore::Mode::read_only);
    const auto info = store.get_run(runId);
    if (!info) {
      r.error = QStringLiteral("no run with id %1 in %2").arg(runId).arg(dbPath);
      return r;
    }
    r.name = QString::fromStdString(info->name);
    r.status = QString::fromStdString(info->status);
    r.dataset = QString::fromStdString(info->dataset);
    r.algorithm = QString::fromStdString(info->algorithm);
    r.steps = info->steps;
    try {
      const iql::TrainConfig cfg = iql::TrainConfig::from_json(info->config_json);
      r.expectile = cfg.expectile;
      r.temperature = cfg.temperature;
      r.maxWeight = cfg.max_weight;
    } catch (const std::exception&) {
      // an older or foreign config: keep the defaults for the reference lines
    }

    for (const iql::MetricPoint& p : store.metrics(runId)) {  // sorted by step
      if (r.metrics.isEmpty() || r.metrics.last().step != p.step) r.metrics.append(MetricSample{p.step, {}});
      r.metrics.last().values.append({QString::fromStdString(p.key), p.value});
    }
    for (const auto& e : store.evaluations(runId)) r.evaluations.append(toSample(e));
    for (const auto& e : store.events(runId)) r.events.append(toSample(e));

    double tau = r.expectile, beta = r.temperature;
    int nextEvent = 0;
    for (const auto& h : store.histograms(runId)) {  // by step, then name
      if (r.probes.isEmpty() || r.probes.last().step != h.step) {
        for (; nextEvent < r.events.size() && r.events[nextEvent].step <= h.step; ++nextEvent) {
          const EventSample& e = r.events[nextEvent];
          if (e.kind != QLatin1String("hyperparameter")) continue;
          if (e.name == QLatin1String("expectile")) tau = e.newValue;
          if (e.name == QLatin1String("temperature")) beta = e.newValue;
        }
        ProbeSample p;
        p.step = h.step;
        p.expectile = tau;
        p.temperature = beta;
        p.maxWeight = r.maxWeight;
        r.probes.append(p);
      }
      r.probes.last().histograms.append(toSample(h));
    }
  } catch (const std::exception& e) {
    r.error = QString::fromStdString(e.what());
  }
  return r;
}

}  // namespace iqlui
