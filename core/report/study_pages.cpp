#include "core/report/study_pages.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/report/tau_beta_grid.h"

namespace iql::report {

namespace {
constexpr double kMargin = 36.0, kFooterSize = 6.0, kFooterLine = 7.5, kHeaderBottom = 62.0;
const Rgb kGrey = rgb255(90, 90, 90);

std::vector<std::string> footer_lines(const std::string& ids, const std::string& command, double width) {
  auto lines = PdfDocument::wrap("Runs: " + ids, kFooterSize, width);
  for (auto& l : PdfDocument::wrap("Command: " + command, kFooterSize, width)) lines.push_back(l);
  return lines;
}
}  // namespace

Composer::Composer(const StudyData& data, std::string cmd) : doc("IQL Workbench study report"), d(data), command(std::move(cmd)) {}

double Composer::content_width() const { return 841.89 - 2 * kMargin; }

double Composer::content_height(int ids) const {
  std::string fake;
  for (int k = 0; k < ids; ++k) fake += "#0000 ";
  const auto lines = footer_lines(fake, command, content_width() - 40);
  return 595.276 - kHeaderBottom - 24 - double(lines.size()) * kFooterLine - 8;
}

Box Composer::begin(const std::string& title, const std::vector<std::size_t>& runs) {
  doc.begin_page(PageSize::a4_landscape);
  const double w = doc.page_width(), h = doc.page_height();
  const int number = doc.page_count();
  doc.text(kMargin, 40, title, 14.0, Font::bold);
  doc.text(w - kMargin, 40, "IQL Workbench study report", 8.0, Font::regular, Align::right, kGrey);
  doc.set_stroke(rgb255(200, 200, 200));
  doc.set_line_width(0.5);
  doc.line(kMargin, 48, w - kMargin, 48);
  const std::string ids = run_id_list(d, runs);
  const auto lines = footer_lines(ids.empty() ? "none" : ids, command, content_width() - 40);
  double y = h - 24 - double(lines.size() - 1) * kFooterLine;
  const double footer_top = y - kFooterLine - 2;
  doc.line(kMargin, footer_top, w - kMargin, footer_top);
  for (const auto& l : lines) {
    doc.text(kMargin, y, l, kFooterSize, Font::regular, Align::left, kGrey);
    y += kFooterLine;
  }
  doc.text(w - kMargin, h - 24, "page " + std::to_string(number), kFooterSize, Font::regular, Align::right, kGrey);
  result.page_titles.push_back(title);
  result.page_runs.push_back(ids);
  return {kMargin, kHeaderBottom, content_width(), footer_top - 8 - kHeaderBottom};
}

Box Composer::paragraph(const Box& box, const std::string& text, double size) {
  double y = box.y + size;
  for (const auto& l : PdfDocument::wrap(text, size, box.w)) {
    doc.text(box.x, y, l, size);
    y += size * 1.3;
  }
  const double used = y - box.y + 2;
  return {box.x, box.y + used, box.w, box.h - used};
}

std::vector<Box> grid(const Box& box, std::size_t cols, std::size_t rows, double gap) {
  std::vector<Box> out;
  const double cw = (box.w - gap * double(cols - 1)) / double(cols);
  const double ch = (box.h - gap * double(rows - 1)) / double(rows);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) out.push_back({box.x + double(c) * (cw + gap), box.y + double(r) * (ch + gap), cw, ch});
  return out;
}

void heat_map_pages(Composer& c) {
  const auto grids = tau_beta_grids(c.d);
  for (std::size_t first = 0; first < grids.size(); first += 2) {
    const std::size_t last = std::min(grids.size(), first + 2);
    std::vector<std::size_t> runs;
    for (std::size_t g = first; g < last; ++g)
      for (const auto& col : grids[g].runs)
        for (const auto& cell : col) runs.insert(runs.end(), cell.begin(), cell.end());
    for (std::size_t g = first; g < last; ++g) runs.insert(runs.end(), grids[g].left_out.begin(), grids[g].left_out.end());
    Box box = c.begin("tau x beta", runs);
    box = c.paragraph(box,
                      "Mean score (" + stats::eval_choice_description(c.d.scores.eval) +
                          ") of the finished runs in each cell, by final expectile tau and temperature beta; runs tuned "
                          "mid-run and runs of another length are left out, as in the compare view's map.",
                      8.0);
    const auto cells = grid(box, 2, 1, 20.0);
    for (std::size_t g = first; g < last; ++g) {
      const TauBetaGrid& tb = grids[g];
      HeatMap m;
      m.title = std::filesystem::path(tb.dataset).stem().string() + " at " + format_value(double(tb.steps)) + " steps";
      m.x_title = "expectile tau";
      m.y_title = "temperature beta";
      m.scale_title = "mean normalised score";
      for (double t : tb.taus) m.x_labels.push_back(format_value(t));
      for (double b : tb.betas) m.y_labels.push_back(format_value(b));
      m.values = tb.mean;
      m.notes.assign(tb.taus.size(), std::vector<std::string>(tb.betas.size()));
      for (std::size_t i = 0; i < tb.taus.size(); ++i)
        for (std::size_t j = 0; j < tb.betas.size(); ++j) {
          const auto& members = tb.runs[i][j];
          if (members.empty()) continue;
          m.notes[i][j] = members.size() <= 3 ? run_id_list(c.d, members) : "n=" + std::to_string(members.size());
        }
      Box cell = cells[g - first];
      if (!tb.left_out.empty()) {
        cell.h -= 12;
        c.doc.text(cell.x, cell.y + cell.h + 9,
                   PdfDocument::elide("Left out: " + run_id_list(c.d, tb.left_out) + " (tuned mid-run or another length)",
                                      6.5, cell.w),
                   6.5);
      }
      draw_heat_map(c.doc, cell, m);
    }
  }
}

}  // namespace iql::report
