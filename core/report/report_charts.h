// The study report's figures drawn straight into a PdfDocument: a line chart with bands, a scatter,
// an interval chart (point and bar per row, as rliable draws aggregates), a heat map with its values
// in the cells, and a table. Each draws inside the box it is given (title, axes, tick labels and
// legend included), so a page is laid out by splitting its area into boxes. Qt-free.
#pragma once
#include <string>
#include <vector>

#include "core/report/pdf_document.h"

namespace iql::report {

struct Box {
  double x = 0.0, y = 0.0, w = 0.0, h = 0.0;  // top-left corner and size, in points
};

// Distinguishable colours for series k = 0, 1, ... (Tableau 10, then repeating).
Rgb series_color(int k);
// Viridis at t in [0, 1] (clamped): the heat map's scale, as the GUI's map uses.
Rgb viridis(double t);
// Round tick values covering [lo, hi] (about `target` of them, steps of 1, 2 or 5 times a power of 10).
std::vector<double> nice_ticks(double lo, double hi, int target);
// A tick or cell value in few characters: "0.25", "1,000", "2.5e+06".
std::string format_value(double v, int decimals = -1);

struct Series {
  std::string label;
  Rgb color;
  std::vector<double> x, y;
  std::vector<double> low, high;  // the band around y (same length as x), or both empty
};
struct LineChart {
  std::string title, x_title, y_title;
  std::vector<Series> series;
  double y_min = 0.0, y_max = 0.0;  // fixed y range when y_max > y_min; otherwise from the data
};
void draw_line_chart(PdfDocument& doc, const Box& box, const LineChart& chart);

struct ScatterPoint {
  double x = 0.0, y = 0.0;
  std::string label;  // printed beside the point (e.g. "#12"); may be empty
  Rgb color;
};
struct ScatterChart {
  std::string title, x_title, y_title;
  std::vector<ScatterPoint> points;
  bool diagonal = false;  // draw y = x (estimate and truth on one scale)
};
void draw_scatter(PdfDocument& doc, const Box& box, const ScatterChart& chart);

struct IntervalRow {
  std::string label;
  double point = 0.0, low = 0.0, high = 0.0;  // NaN bounds: the point alone
  Rgb color;
};
struct IntervalChart {
  std::string title, x_title;
  std::vector<IntervalRow> rows;
  bool has_reference = false;  // a dashed vertical line, e.g. at 0.5 for probability of improvement
  double reference = 0.0;
  double x_min = 0.0, x_max = 0.0;  // fixed range when x_max > x_min
};
void draw_interval_chart(PdfDocument& doc, const Box& box, const IntervalChart& chart);

struct HeatMap {
  std::string title, x_title, y_title, scale_title;
  std::vector<std::string> x_labels, y_labels;
  std::vector<std::vector<double>> values;             // [x][y]; NaN: an empty cell
  std::vector<std::vector<std::string>> notes;         // [x][y], printed under the value (run ids); optional
};
void draw_heat_map(PdfDocument& doc, const Box& box, const HeatMap& map);

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<Align> align;  // per column; missing: left
  double font_size = 8.0;    // shrunk (down to 5 pt) until the columns fit the box's width
};
// Draws rows first_row, first_row + 1, ... while they fit the box's height (the header repeats) and
// returns how many it drew. Cells too wide even at the smallest size are elided.
int draw_table(PdfDocument& doc, const Box& box, const Table& table, int first_row = 0);
// The height one row of the table takes at its fitted size, for laying out a page.
double table_row_height(const Table& table, double width);

}  // namespace iql::report
