// The study report's offline-selection pages: for each OPE method with estimates on two or more runs
// that have the chosen true score, the estimate against that score, with Spearman's rho and regret@1/@3
// (core/stats/selection_stats.h). An error-type method (a TD error: lower predicts better) is negated
// for the statistics and says so.
#include <algorithm>
#include <cmath>
#include <map>

#include "core/report/study_pages.h"
#include "core/stats/selection_stats.h"

namespace iql::report {

namespace {
struct MethodData {
  std::vector<std::size_t> runs;
  std::vector<double> estimate, truth;
  bool normalised = true;  // every estimate on the normalised scale
};

std::string interval_text(const stats::Interval& i) {
  return format_value(i.point, 2) + " [" + format_value(i.low, 2) + ", " + format_value(i.high, 2) + "]";
}
}  // namespace

void selection_pages(Composer& c, const stats::BootstrapSettings& bootstrap) {
  std::map<std::string, MethodData> methods;
  for (std::size_t k = 0; k < c.d.runs.size(); ++k) {
    const StudyRun& r = c.d.runs[k];
    if (!r.score || r.ope.empty()) continue;
    std::map<std::string, const OpeEstimateRecord*> latest;  // per method, the latest checkpoint's
    for (const auto& e : r.ope)
      if (!latest.count(e.method) || e.step >= latest[e.method]->step) latest[e.method] = &e;
    for (const auto& [method, e] : latest) {
      MethodData& m = methods[method];
      m.runs.push_back(k);
      m.truth.push_back(*r.score);
      m.estimate.push_back(e->normalized_score ? *e->normalized_score : e->value);
      if (!e->normalized_score) m.normalised = false;
    }
  }
  std::vector<std::pair<std::string, MethodData>> shown;
  for (auto& [name, m] : methods)
    if (m.runs.size() >= 2) shown.push_back({name, std::move(m)});
  for (std::size_t first = 0; first < shown.size(); first += 4) {
    const std::size_t last = std::min(shown.size(), first + 4);
    std::vector<std::size_t> runs;
    for (std::size_t k = first; k < last; ++k) runs.insert(runs.end(), shown[k].second.runs.begin(), shown[k].second.runs.end());
    Box box = c.begin("Offline policy selection", runs);
    box = c.paragraph(box,
                      "Each run's offline estimate (its latest checkpoint's) against its true score (" +
                          stats::eval_choice_description(c.d.scores.eval) +
                          "). Spearman's rho and regret@k (true score lost by deploying the best of the top k by the "
                          "estimate) with 95% bootstrap intervals over runs (" +
                          std::to_string(bootstrap.resamples) + " resamples).",
                      8.0);
    const auto cells = grid(box, last - first == 1 ? 1 : 2, last - first <= 2 ? 1 : 2, 16.0);
    for (std::size_t k = first; k < last; ++k) {
      const auto& [name, m] = shown[k];
      const bool error = name.find("error") != std::string::npos;  // lower predicts better
      std::vector<double> ranked = m.estimate;
      if (error)
        for (double& v : ranked) v = -v;
      const auto st = stats::selection_stats(ranked, m.truth, bootstrap);
      ScatterChart sc;
      sc.title = name + (error ? " (an error: lower predicts better)" : "");
      sc.x_title = "true normalised score";
      sc.y_title = m.normalised ? "estimate (normalised score)" : "estimate (return scale)";
      sc.diagonal = m.normalised && !error;
      for (std::size_t i = 0; i < m.runs.size(); ++i)
        sc.points.push_back({m.truth[i], m.estimate[i], run_tag(c.d, c.d.runs[m.runs[i]]), series_color(0)});
      Box cell = cells[k - first];
      cell.h -= 11;
      draw_scatter(c.doc, cell, sc);
      c.doc.text(cell.x + cell.w / 2, cell.y + cell.h + 8,
                 PdfDocument::elide("Spearman " + interval_text(st.spearman) + "   regret@1 " +
                                        interval_text(st.regret_at_1) + "   regret@3 " + interval_text(st.regret_at_3) +
                                        "   (" + std::to_string(st.members) + " runs)",
                                    7.0, cell.w),
                 7.0, Font::regular, Align::center);
    }
  }
}

}  // namespace iql::report
