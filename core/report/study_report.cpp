#include "core/report/study_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/report/pdf_document.h"
#include "core/report/report_charts.h"
#include "core/report/study_pages.h"
#include "core/stats/aggregate_report.h"
#include "core/stats/summary_stats.h"

namespace iql::report {

namespace {

std::string interval_text(const stats::Interval& i, int decimals = 1) {
  return format_value(i.point, decimals) + " [" + format_value(i.low, decimals) + ", " + format_value(i.high, decimals) +
         "]";
}

// ---- pages: run set, curves, aggregates, profiles and improvement ----

void run_set_pages(Composer& c) {
  const StudyData& d = c.d;
  const auto keys = differing_config_keys(d);
  Table t;
  const bool several = d.stores.size() > 1;
  if (several) t.header.push_back("Store");
  for (const char* h : {"Run", "Name", "Algorithm", "Dataset", "Seed", "Steps", "Status", "Score", "Group",
                        "Config fields that differ"})
    t.header.push_back(h);
  for (std::size_t k = 0; k < t.header.size(); ++k) {
    const std::string& h = t.header[k];
    t.align.push_back(h == "Seed" || h == "Steps" || h == "Score" ? Align::right : Align::left);
  }
  for (const auto& r : d.runs) {
    std::vector<std::string> row;
    if (several) row.push_back(std::filesystem::path(d.stores[r.store]).filename().string());
    row.push_back("#" + std::to_string(r.info.id));
    row.push_back(r.info.name);
    row.push_back(r.info.algorithm);
    row.push_back(std::filesystem::path(r.info.dataset).stem().string());
    row.push_back(std::to_string(r.info.seed));
    row.push_back(format_value(double(r.info.steps)));
    row.push_back(r.info.status);
    row.push_back(r.score ? format_value(*r.score, 1) : "-");
    row.push_back(r.group.empty() ? "(no score)" : r.group);
    row.push_back(config_summary(r.info, keys));
    t.rows.push_back(std::move(row));
  }
  const double rh = table_row_height(t, c.content_width());
  std::size_t first = 0;
  int part = 1;
  while (first < t.rows.size()) {
    // rows that fit under the page's notes, with a footer sized for them
    const std::size_t fit = std::max<std::size_t>(1, std::size_t(std::floor((c.content_height(24) - 60) / rh)) - 1);
    const std::size_t last = std::min(t.rows.size(), first + fit);
    std::vector<std::size_t> runs;
    for (std::size_t k = first; k < last; ++k) runs.push_back(k);
    Box box = c.begin(part == 1 ? "Run set" : "Run set (continued)", runs);
    if (part == 1) {
      const std::string summary = std::to_string(d.runs.size()) + " runs in " + std::to_string(d.stores.size()) +
                                  (d.stores.size() == 1 ? " store" : " stores") + ", " +
                                  std::to_string(d.groups.size()) + " groups, " + std::to_string(d.datasets.size()) +
                                  (d.datasets.size() == 1 ? " dataset" : " datasets") + "; score: " +
                                  stats::eval_choice_description(d.scores.eval) + ".";
      box = c.paragraph(box, summary, 8.0);
      if (!d.scores.left_out.empty())
        box = c.paragraph(box, "Without the chosen score (not in the statistics): " +
                                   std::to_string(d.scores.left_out.size()) + " runs.", 8.0);
    }
    const int drawn = draw_table(c.doc, box, t, int(first));
    first += std::size_t(std::max(1, drawn));
    ++part;
  }
}

// Mean and sample std over the runs of one group on one dataset at each evaluation step.
Series seed_curve(const StudyData& d, const StudyGroup& g, const std::string& dataset, Rgb color,
                  std::vector<std::size_t>& used) {
  std::map<std::int64_t, std::vector<double>> by_step;
  for (std::size_t k : g.runs) {
    const StudyRun& r = d.runs[k];
    if (r.info.dataset != dataset || r.evaluations.empty()) continue;
    used.push_back(k);
    std::map<std::int64_t, double> last_at;  // a step evaluated twice (stop, resume) counts once
    for (const auto& e : r.evaluations) last_at[e.step] = *e.normalized_score;
    for (const auto& [step, s] : last_at) by_step[step].push_back(s);
  }
  Series s;
  s.label = g.label;
  s.color = color;
  for (const auto& [step, scores] : by_step) {
    const double m = stats::mean(scores), sd = stats::std_dev(scores, stats::StdConvention::Sample);
    s.x.push_back(double(step));
    s.y.push_back(m);
    s.low.push_back(m - sd);
    s.high.push_back(m + sd);
  }
  return s;
}

void curve_pages(Composer& c, const stats::AggregateReport& agg) {
  const StudyData& d = c.d;
  struct Panel {
    LineChart chart;
    std::vector<std::size_t> runs;
  };
  std::vector<Panel> panels;
  {
    Panel p;
    p.chart.title = "IQM over all datasets per group (95% bootstrap band)";
    p.chart.x_title = "training step";
    p.chart.y_title = "normalised score (IQM)";
    for (std::size_t g = 0; g < agg.groups.size(); ++g) {
      Series s;
      s.label = agg.groups[g].label;
      s.color = series_color(int(g));
      for (const auto& pt : agg.groups[g].iqm_curve) {
        s.x.push_back(double(pt.step));
        s.y.push_back(pt.iqm.point);
        s.low.push_back(pt.iqm.low);
        s.high.push_back(pt.iqm.high);
      }
      if (!s.x.empty()) p.chart.series.push_back(std::move(s));
    }
    for (std::size_t k = 0; k < d.runs.size(); ++k)
      if (!d.runs[k].group.empty() && !d.runs[k].evaluations.empty()) p.runs.push_back(k);
    if (!p.chart.series.empty()) panels.push_back(std::move(p));
  }
  for (const auto& dataset : d.datasets) {
    Panel p;
    p.chart.title = std::filesystem::path(dataset).stem().string() + ": mean \xC2\xB1 1 std over seeds";
    p.chart.x_title = "training step";
    p.chart.y_title = "normalised score";
    for (std::size_t g = 0; g < d.groups.size(); ++g) {
      Series s = seed_curve(d, d.groups[g], dataset, series_color(int(g)), p.runs);
      if (!s.x.empty()) p.chart.series.push_back(std::move(s));
    }
    if (!p.chart.series.empty()) panels.push_back(std::move(p));
  }
  for (std::size_t first = 0; first < panels.size(); first += 4) {
    const std::size_t last = std::min(panels.size(), first + 4);
    std::vector<std::size_t> runs;
    for (std::size_t k = first; k < last; ++k) runs.insert(runs.end(), panels[k].runs.begin(), panels[k].runs.end());
    const Box box = c.begin("Learning curves", runs);
    const auto cells = grid(box, last - first <= 2 ? 2 : 2, last - first <= 2 ? 1 : 2, 14.0);
    for (std::size_t k = first; k < last; ++k) draw_line_chart(c.doc, cells[k - first], panels[k].chart);
  }
}

std::vector<std::size_t> scored_runs(const StudyData& d) {
  std::vector<std::size_t> runs;
  for (std::size_t k = 0; k < d.runs.size(); ++k)
    if (!d.runs[k].group.empty()) runs.push_back(k);
  return runs;
}

void aggregate_page(Composer& c, const stats::AggregateReport& agg) {
  Box box = c.begin("Aggregate statistics", scored_runs(c.d));
  box = c.paragraph(box,
                    "Per group over its runs and datasets (normalised scores; score: " +
                        stats::eval_choice_description(agg.eval) + "). Intervals: 95% stratified bootstrap, " +
                        std::to_string(agg.bootstrap.resamples) + " resamples, seed " +
                        std::to_string(agg.bootstrap.seed) +
                        ", runs resampled within each dataset. Optimality gap: mean shortfall below " +
                        format_value(agg.gamma) + ".",
                    8.0);
  Table t;
  t.header = {"Group", "Runs", "Datasets", "Mean \xC2\xB1 std", "Mean [95% CI]", "Median [95% CI]", "IQM [95% CI]",
              "Optimality gap [95% CI]"};
  t.align = {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right, Align::right,
             Align::right};
  for (const auto& g : agg.groups)
    t.rows.push_back({g.label, std::to_string(g.runs), std::to_string(g.tasks),
                      format_value(g.over_runs.mean, 1) + " \xC2\xB1 " + format_value(g.over_runs.std, 1),
                      interval_text(g.aggregates.mean), interval_text(g.aggregates.median),
                      interval_text(g.aggregates.iqm), interval_text(g.aggregates.optimality_gap)});
  const double table_h = table_row_height(t, box.w) * double(std::min<std::size_t>(t.rows.size(), 12) + 1) + 4;
  draw_table(c.doc, {box.x, box.y, box.w, table_h}, t);
  const Box charts{box.x, box.y + table_h + 10, box.w, box.h - table_h - 10};
  const auto cells = grid(charts, 4, 1, 10.0);
  const char* names[4] = {"Mean", "Median", "IQM", "Optimality gap"};
  for (int m = 0; m < 4; ++m) {
    IntervalChart ic;
    ic.title = names[m];
    ic.x_title = "normalised score";
    for (std::size_t g = 0; g < agg.groups.size(); ++g) {
      const auto& a = agg.groups[g].aggregates;
      const stats::Interval& i = m == 0 ? a.mean : m == 1 ? a.median : m == 2 ? a.iqm : a.optimality_gap;
      ic.rows.push_back({agg.groups[g].label, i.point, i.low, i.high, series_color(int(g))});
    }
    draw_interval_chart(c.doc, cells[std::size_t(m)], ic);
  }
}

void profile_page(Composer& c, const stats::AggregateReport& agg) {
  const Box box = c.begin("Performance profiles and probability of improvement", scored_runs(c.d));
  const auto cells = grid(box, agg.groups.size() > 1 ? 2 : 1, 1, 18.0);
  LineChart lc;
  lc.title = "Performance profile (95% bootstrap band)";
  lc.x_title = "normalised score threshold tau";
  lc.y_title = "fraction of runs with score > tau";
  lc.y_min = 0.0;
  lc.y_max = 1.0;
  for (std::size_t g = 0; g < agg.groups.size(); ++g) {
    Series s;
    s.label = agg.groups[g].label;
    s.color = series_color(int(g));
    for (const auto& p : agg.groups[g].profile) {
      s.x.push_back(p.tau);
      s.y.push_back(p.fraction.point);
      s.low.push_back(p.fraction.low);
      s.high.push_back(p.fraction.high);
    }
    lc.series.push_back(std::move(s));
  }
  draw_line_chart(c.doc, cells[0], lc);
  if (agg.groups.size() < 2) return;
  IntervalChart ic;
  ic.title = "Probability of improvement P(X > Y) (95% CI)";
  ic.x_title = "probability (Mann-Whitney per dataset, ties 1/2, mean over shared datasets)";
  ic.has_reference = true;
  ic.reference = 0.5;
  ic.x_min = 0.0;
  ic.x_max = 1.0;
  constexpr std::size_t kMaxPairs = 30;
  for (const auto& imp : agg.improvements) {
    if (ic.rows.size() == kMaxPairs) break;
    ic.rows.push_back({agg.groups[imp.x].label + " > " + agg.groups[imp.y].label, imp.probability.point,
                       imp.probability.low, imp.probability.high, series_color(int(imp.x))});
  }
  Box right = cells[1];
  if (agg.improvements.size() > kMaxPairs) {
    right.h -= 10;
    c.doc.text(right.x, right.y + right.h + 8,
               "First " + std::to_string(kMaxPairs) + " of " + std::to_string(agg.improvements.size()) +
                   " ordered pairs shown (iql runs stats --json lists all).",
               6.5);
  }
  draw_interval_chart(c.doc, right, ic);
}

}  // namespace

StudyReportResult write_study_report(const StudyReportOptions& options, const std::string& out_path) {
  const StudyData d = load_study(options.stores, options.group_by, options.eval);
  const stats::AggregateReport agg = stats::aggregate_report(d.scores, options.bootstrap);
  Composer c(d, options.command.empty() ? study_report_command(options, out_path) : options.command);
  run_set_pages(c);
  curve_pages(c, agg);
  aggregate_page(c, agg);
  profile_page(c, agg);
  heat_map_pages(c);
  selection_pages(c, options.bootstrap);
  c.doc.save(out_path);
  c.result.pages = c.doc.page_count();
  return c.result;
}

std::string study_report_command(const StudyReportOptions& options, const std::string& out_path) {
  auto quoted = [](const std::string& s) {
    if (!s.empty() && s.find_first_of(" \t'\"\\$`()&;|<>*?") == std::string::npos) return s;
    std::string q = "'";
    for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
  };
  std::string dbs;
  for (const auto& s : options.stores) dbs += (dbs.empty() ? "" : ",") + s;
  std::string cmd = "iql runs report --db " + quoted(dbs) + " --group-by " + stats::group_by_name(options.group_by) +
                    " --eval " + stats::eval_choice_name(options.eval);
  const stats::BootstrapSettings defaults;
  if (options.bootstrap.resamples != defaults.resamples)
    cmd += " --resamples " + std::to_string(options.bootstrap.resamples);
  if (options.bootstrap.seed != defaults.seed) cmd += " --seed " + std::to_string(options.bootstrap.seed);
  return cmd + " --out " + quoted(out_path);
}

}  // namespace iql::report
