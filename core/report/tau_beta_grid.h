// The report's tau x beta map, by the rules of the compare view's map (ui/runs/score_heatmap.h): per
// dataset, finished runs placed at their expectile (tau) and temperature (beta), runs tuned mid-run
// left out, only runs of the most common step count (the longest on a tie) pooled, and each cell the
// mean of its runs' scores (the study's chosen evaluation). A dataset forms a grid when at least two
// cells hold runs. Qt-free.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/report/study_data.h"

namespace iql::report {

struct TauBetaGrid {
  std::string dataset;
  std::int64_t steps = 0;
  std::vector<double> taus, betas;                          // ascending
  std::vector<std::vector<double>> mean;                    // [tau][beta]; NaN: empty cell
  std::vector<std::vector<std::vector<std::size_t>>> runs;  // [tau][beta]: indices into StudyData::runs
  std::vector<std::size_t> left_out;                        // candidates not pooled (tuned, other length)
};

// One grid per dataset whose runs form one (two or more filled cells), in dataset order.
std::vector<TauBetaGrid> tau_beta_grids(const StudyData& d);

}  // namespace iql::report
