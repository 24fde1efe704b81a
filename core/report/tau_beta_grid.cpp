#include "core/report/tau_beta_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace iql::report {

std::vector<TauBetaGrid> tau_beta_grids(const StudyData& d) {
  std::vector<TauBetaGrid> out;
  for (const auto& dataset : d.datasets) {
    TauBetaGrid g;
    g.dataset = dataset;
    std::vector<std::size_t> eligible;
    for (std::size_t k = 0; k < d.runs.size(); ++k) {
      const StudyRun& r = d.runs[k];
      if (r.info.dataset != dataset || r.info.status != "finished") continue;
      if (!r.score || !std::isfinite(*r.score) || !std::isfinite(r.tau) || !std::isfinite(r.beta)) continue;
      if (r.tuned) {
        g.left_out.push_back(k);
        continue;
      }
      eligible.push_back(k);
    }
    // like with like: the most common step count, the longest on a tie
    std::map<std::int64_t, int> per_steps;
    for (std::size_t k : eligible) ++per_steps[d.runs[k].info.steps];
    int most = 0;
    for (const auto& [steps, n] : per_steps)
      if (n >= most) {
        most = n;
        g.steps = steps;
      }
    std::map<std::pair<double, double>, std::vector<std::size_t>> cells;
    std::set<double> taus, betas;
    for (std::size_t k : eligible) {
      const StudyRun& r = d.runs[k];
      if (r.info.steps != g.steps) {
        g.left_out.push_back(k);
        continue;
      }
      cells[{r.tau, r.beta}].push_back(k);
      taus.insert(r.tau);
      betas.insert(r.beta);
    }
    if (cells.size() < 2) continue;
    g.taus.assign(taus.begin(), taus.end());
    g.betas.assign(betas.begin(), betas.end());
    g.mean.assign(g.taus.size(), std::vector<double>(g.betas.size(), std::numeric_limits<double>::quiet_NaN()));
    g.runs.assign(g.taus.size(), std::vector<std::vector<std::size_t>>(g.betas.size()));
    for (const auto& [key, members] : cells) {
      const auto i = std::size_t(std::find(g.taus.begin(), g.taus.end(), key.first) - g.taus.begin());
      const auto j = std::size_t(std::find(g.betas.begin(), g.betas.end(), key.second) - g.betas.begin());
      double sum = 0.0;
      for (std::size_t k : members) sum += *d.runs[k].score;
      g.mean[i][j] = sum / double(members.size());
      g.runs[i][j] = members;
    }
    std::sort(g.left_out.begin(), g.left_out.end());
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace iql::report
