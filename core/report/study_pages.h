// How the study report's pages are framed (core/report/study_report.h): each page has a title, the
// figures in a content box, and a footer with the ids of the runs it draws on and the command that
// made the report. The page composers of the heat-map and offline-selection pages live in their own
// files; the rest in study_report.cpp. Internal to core/report.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/report/pdf_document.h"
#include "core/report/report_charts.h"
#include "core/report/study_data.h"
#include "core/report/study_report.h"
#include "core/stats/bootstrap.h"

namespace iql::report {

struct Composer {
  Composer(const StudyData& data, std::string cmd);
  // A new A4 landscape page: title, footer (run ids of `runs`, indices into StudyData::runs, and the
  // command); returns the box left for the figures.
  Box begin(const std::string& title, const std::vector<std::size_t>& runs);
  // Wrapped text at the top of box; returns the box below it.
  Box paragraph(const Box& box, const std::string& text, double size);
  double content_width() const;
  // The content height of a page whose footer lists `id_lines` lines' worth of run ids.
  double content_height(int ids) const;

  PdfDocument doc;
  const StudyData& d;
  std::string command;
  StudyReportResult result;
};

// box split into cols x rows cells with gap points between them, row by row.
std::vector<Box> grid(const Box& box, std::size_t cols, std::size_t rows, double gap);

void heat_map_pages(Composer& c);
void selection_pages(Composer& c, const stats::BootstrapSettings& bootstrap);

}  // namespace iql::report
