#include "core/report/report_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace iql::report {

namespace {

constexpr double kTitleSize = 9.5, kLabelSize = 7.5, kTickSize = 6.5;
const Rgb kAxis = rgb255(90, 90, 90), kGrid = rgb255(225, 225, 225), kText = rgb255(30, 30, 30);

Rgb blend(Rgb c, double alpha) {  // c over white at opacity alpha (PDF 1.4 transparency not needed)
  return {1.0 - alpha * (1.0 - c.r), 1.0 - alpha * (1.0 - c.g), 1.0 - alpha * (1.0 - c.b)};
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
  // A range with room: a single value (or none) gets a unit-wide span around it.
  Range padded() const {
    Range r = *this;
    if (r.empty()) return {0.0, 1.0};
    if (r.hi - r.lo < 1e-12 * std::max(1.0, std::abs(r.hi))) {
      r.lo -= 1.0;
      r.hi += 1.0;
    }
    return r;
  }
};

// The plot area of a chart in `box` after its title, tick labels and axis titles, and the mapping
// of data to it; draws the frame, grid, ticks and titles.
struct Axes {
  Box area;
  Range xr, yr;
  double px(double x) const { return area.x + (x - xr.lo) / (xr.hi - xr.lo) * area.w; }
  double py(double y) const { return area.y + area.h - (y - yr.lo) / (yr.hi - yr.lo) * area.h; }
};

Axes draw_axes(PdfDocument& doc, const Box& box, const std::string& title, const std::string& x_title,
               const std::string& y_title, Range xr, Range yr, double legend_height, bool y_ticks = true) {
  const bool x_ticks = true;
  const auto xt = nice_ticks(xr.lo, xr.hi, 6), yt = nice_ticks(yr.lo, yr.hi, 5);
  xr.lo = std::min(xr.lo, xt.front());
  xr.hi = std::max(xr.hi, xt.back());
  yr.lo = std::min(yr.lo, yt.front());
  yr.hi = std::max(yr.hi, yt.back());
  double label_w = 0.0;
  if (y_ticks)
    for (double v : yt) label_w = std::max(label_w, PdfDocument::text_width(format_value(v), kTickSize));
  Axes a;
  a.xr = xr;
  a.yr = yr;
  const double left = (y_title.empty() ? 4.0 : 14.0) + label_w + 4.0;
  const double top = title.empty() ? 4.0 : 16.0;
  const double bottom = (x_ticks ? 12.0 : 2.0) + (x_title.empty() ? 0.0 : 11.0) + legend_height;
  a.area = {box.x + left, box.y + top, box.w - left - 6.0, box.h - top - bottom};
  if (!title.empty())
    doc.text(box.x + box.w / 2, box.y + 10.5,
             PdfDocument::elide(title, kTitleSize, box.w, Font::bold), kTitleSize, Font::bold, Align::center, kText);
  doc.set_line_width(0.4);
  doc.set_stroke(kGrid);
  if (y_ticks)
    for (double v : yt) doc.line(a.area.x, a.py(v), a.area.x + a.area.w, a.py(v));
  if (x_ticks)
    for (double v : xt) doc.line(a.px(v), a.area.y, a.px(v), a.area.y + a.area.h);
  doc.set_stroke(kAxis);
  doc.set_line_width(0.6);
  doc.stroke_rect(a.area.x, a.area.y, a.area.w, a.area.h);
  for (double v : y_ticks ? yt : std::vector<double>{})
    doc.text(a.area.x - 3, a.py(v) + 2.2, format_value(v), kTickSize, Font::regular, Align::right, kText);
  if (x_ticks) {
    // thin the labels when they would touch
    double widest = 0.0;
    for (double v : xt) widest = std::max(widest, PdfDocument::text_width(format_value(v), kTickSize));
    const double spacing = xt.size() > 1 ? a.px(xt[1]) - a.px(xt[0]) : a.area.w;
    const std::size_t every = spacing > widest + 4 ? 1 : std::size_t(std::ceil((widest + 4) / std::max(spacing, 1.0)));
    for (std::size_t k = 0; k < xt.size(); k += every)
      doc.text(a.px(xt[k]), a.area.y + a.area.h + 8.5, format_value(xt[k]), kTickSize, Font::regular, Align::center,
               kText);
  }
  if (!x_title.empty())
    doc.text(a.area.x + a.area.w / 2, a.area.y + a.area.h + (x_ticks ? 19.5 : 9.5),
             PdfDocument::elide(x_title, kLabelSize, a.area.w), kLabelSize, Font::regular, Align::center, kText);
  if (!y_title.empty())
    doc.text(box.x + 8.5, a.area.y + a.area.h / 2, PdfDocument::elide(y_title, kLabelSize, a.area.h), kLabelSize,
             Font::regular, Align::center, kText, 90.0);
  return a;
}

// A legend under the plot: coloured swatches with labels, as many per line as fit. Returns its height
// when draw is false (layout) and draws it at y when true.
double legend(PdfDocument* doc, double x, double y, double w, const std::vector<std::pair<std::string, Rgb>>& items) {
  const double line_h = 9.0;
  double cx = x, cy = y;
  int lines = items.empty() ? 0 : 1;
  for (const auto& [label, color] : items) {
    const std::string text = PdfDocument::elide(label, kTickSize, w - 16);
    const double item_w = 14 + PdfDocument::text_width(text, kTickSize) + 8;
    if (cx > x && cx + item_w > x + w) {
      cx = x;
      cy += line_h;
      ++lines;
    }
    if (doc) {
      doc->fill_rect(cx, cy - 4.5, 10, 4, color);
      doc->text(cx + 13, cy, text, kTickSize, Font::regular, Align::left, kText);
    }
    cx += item_w;
  }
  return lines * line_h + (lines ? 3.0 : 0.0);
}

}  // namespace

Rgb series_color(int k) {
  static const int kColors[10][3] = {{78, 121, 167}, {242, 142, 43}, {225, 87, 89},  {118, 183, 178}, {89, 161, 79},
                                     {237, 201, 72}, {176, 122, 161}, {255, 157, 167}, {156, 117, 95}, {186, 176, 172}};
  const auto& c = kColors[((k % 10) + 10) % 10];
  return rgb255(c[0], c[1], c[2]);
}

Rgb viridis(double t) {
  static const int kStops[5][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 4.0;
  const int i = std::min(3, int(t));
  const double f = t - i;
  auto mix = [&](int c) { return (kStops[i][c] + f * (kStops[i + 1][c] - kStops[i][c])) / 255.0; };
  return {mix(0), mix(1), mix(2)};
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo) return {lo};
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> ticks;
  for (double v = std::floor(lo / step) * step; v <= hi + step * 0.5 && ticks.size() < 50; v += step)
    ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  if (ticks.back() < hi) ticks.push_back(ticks.back() + step);
  return ticks;
}

std::string format_value(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  const double a = std::abs(v);
  if (decimals >= 0) {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  } else if (a != 0.0 && (a >= 1e6 || a < 1e-3)) {
    std::snprintf(buf, sizeof buf, "%.2g", v);
  } else if (a >= 1000.0 && a == std::floor(a)) {  // step counts: thousands separated
    std::string digits = std::to_string(static_cast<long long>(a));
    for (int k = int(digits.size()) - 3; k > 0; k -= 3) digits.insert(std::size_t(k), ",");
    return (v < 0 ? "-" : "") + digits;
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    if (a >= 100.0) std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  std::string s(buf);
  std::replace(s.begin(), s.end(), ',', '.');  // a user's locale may write a decimal comma
  return s;
}

void draw_line_chart(PdfDocument& doc, const Box& box, const LineChart& chart) {
  Range xr, yr;
  for (const auto& s : chart.series) {
    for (std::size_t k = 0; k < s.x.size(); ++k) {
      xr.add(s.x[k]);
      yr.add(s.y[k]);
      if (k < s.low.size()) yr.add(s.low[k]);
      if (k < s.high.size()) yr.add(s.high[k]);
    }
  }
  if (chart.y_max > chart.y_min) yr = {chart.y_min, chart.y_max};
  std::vector<std::pair<std::string, Rgb>> items;
  for (const auto& s : chart.series) items.push_back({s.label, s.color});
  const double legend_h = legend(nullptr, 0, 0, box.w - 20, items);
  const Axes a = draw_axes(doc, box, chart.title, chart.x_title, chart.y_title, xr.padded(), yr.padded(), legend_h);
  doc.push_clip(a.area.x, a.area.y, a.area.w, a.area.h);
  for (const auto& s : chart.series) {  // bands first, under every line
    if (s.low.size() != s.x.size() || s.high.size() != s.x.size()) continue;
    std::vector<Point> poly;
    for (std::size_t k = 0; k < s.x.size(); ++k)
      if (std::isfinite(s.high[k])) poly.push_back({a.px(s.x[k]), a.py(s.high[k])});
    for (std::size_t k = s.x.size(); k-- > 0;)
      if (std::isfinite(s.low[k])) poly.push_back({a.px(s.x[k]), a.py(s.low[k])});
    doc.fill_polygon(poly, blend(s.color, 0.22));
  }
  doc.set_line_width(1.2);
  for (const auto& s : chart.series) {
    std::vector<Point> line;
    for (std::size_t k = 0; k < s.x.size(); ++k)
      if (std::isfinite(s.y[k])) line.push_back({a.px(s.x[k]), a.py(s.y[k])});
    doc.set_stroke(s.color);
    if (line.size() == 1) doc.fill_rect(line[0].first - 1.5, line[0].second - 1.5, 3, 3, s.color);
    doc.polyline(line);
  }
  doc.pop_clip();
  legend(&doc, a.area.x, a.area.y + a.area.h + (chart.x_title.empty() ? 20.0 : 30.0), box.w - 20, items);
}

void draw_scatter(PdfDocument& doc, const Box& box, const ScatterChart& chart) {
  Range xr, yr;
  for (const auto& p : chart.points) {
    xr.add(p.x);
    yr.add(p.y);
  }
  if (chart.diagonal && !xr.empty()) {  // one scale for both axes, so y = x is the diagonal
    xr.add(yr.lo);
    xr.add(yr.hi);
    yr = xr;
  }
  Range xp = xr.padded(), yp = yr.padded();
  const double mx = (xp.hi - xp.lo) * 0.06, my = (yp.hi - yp.lo) * 0.06;
  xp = {xp.lo - mx, xp.hi + mx};
  yp = {yp.lo - my, yp.hi + my};
  const Axes a = draw_axes(doc, box, chart.title, chart.x_title, chart.y_title, xp, yp, 0.0);
  doc.push_clip(a.area.x, a.area.y, a.area.w, a.area.h);
  if (chart.diagonal) {
    doc.set_stroke(kAxis);
    doc.set_line_width(0.6);
    doc.set_dash(3, 2);
    const double lo = std::max(a.xr.lo, a.yr.lo), hi = std::min(a.xr.hi, a.yr.hi);
    doc.line(a.px(lo), a.py(lo), a.px(hi), a.py(hi));
    doc.set_dash(0, 0);
  }
  for (const auto& p : chart.points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    doc.fill_rect(a.px(p.x) - 2.2, a.py(p.y) - 2.2, 4.4, 4.4, p.color);
    if (!p.label.empty()) doc.text(a.px(p.x) + 3.5, a.py(p.y) - 2.5, p.label, 5.5, Font::regular, Align::left, kText);
  }
  doc.pop_clip();
}

void draw_interval_chart(PdfDocument& doc, const Box& box, const IntervalChart& chart) {
  Range xr;
  for (const auto& r : chart.rows) {
    xr.add(r.point);
    xr.add(r.low);
    xr.add(r.high);
  }
  if (chart.has_reference) xr.add(chart.reference);
  if (chart.x_max > chart.x_min) xr = {chart.x_min, chart.x_max};
  double label_w = 0.0;
  for (const auto& r : chart.rows) label_w = std::max(label_w, PdfDocument::text_width(r.label, kTickSize));
  label_w = std::min(label_w, box.w * 0.45);
  // rows as the y axis: the axes' own y ticks are replaced by the labels
  Box inner{box.x + label_w + 4, box.y, box.w - label_w - 4, box.h};
  Range yr{0.0, double(std::max<std::size_t>(1, chart.rows.size()))};
  const Axes a = draw_axes(doc, inner, chart.title.empty() ? "" : " ", chart.x_title, "", xr.padded(), yr, 0.0, false);
  if (!chart.title.empty())
    doc.text(box.x + box.w / 2, box.y + 10.5, PdfDocument::elide(chart.title, kTitleSize, box.w, Font::bold),
             kTitleSize, Font::bold, Align::center, kText);
  const double row_h = a.area.h / double(std::max<std::size_t>(1, chart.rows.size()));
  if (chart.has_reference) {
    doc.set_stroke(kAxis);
    doc.set_dash(3, 2);
    doc.line(a.px(chart.reference), a.area.y, a.px(chart.reference), a.area.y + a.area.h);
    doc.set_dash(0, 0);
  }
  for (std::size_t k = 0; k < chart.rows.size(); ++k) {
    const auto& r = chart.rows[k];
    const double cy = a.area.y + (double(k) + 0.5) * row_h;
    doc.text(a.area.x - 4, cy + 2.3, PdfDocument::elide(r.label, kTickSize, label_w + 8), kTickSize, Font::regular,
             Align::right, kText);
    if (std::isfinite(r.low) && std::isfinite(r.high))
      doc.fill_rect(a.px(r.low), cy - std::min(5.0, row_h * 0.3), std::max(0.8, a.px(r.high) - a.px(r.low)),
                    2 * std::min(5.0, row_h * 0.3), blend(r.color, 0.55));
    if (std::isfinite(r.point)) {
      doc.set_stroke(r.color);
      doc.set_line_width(1.6);
      doc.line(a.px(r.point), cy - std::min(6.5, row_h * 0.4), a.px(r.point), cy + std::min(6.5, row_h * 0.4));
    }
  }
}

void draw_heat_map(PdfDocument& doc, const Box& box, const HeatMap& map) {
  const std::size_t nx = map.x_labels.size(), ny = map.y_labels.size();
  Range vr;
  for (const auto& col : map.values)
    for (double v : col) vr.add(v);
  vr = vr.padded();
  if (!map.title.empty())
    doc.text(box.x + box.w / 2, box.y + 10.5, PdfDocument::elide(map.title, kTitleSize, box.w, Font::bold), kTitleSize,
             Font::bold, Align::center, kText);
  double label_w = 0.0;
  for (const auto& l : map.y_labels) label_w = std::max(label_w, PdfDocument::text_width(l, kTickSize));
  const double left = 14 + label_w + 5, top = 18, bottom = 26, scale_w = 46;
  const Box area{box.x + left, box.y + top, box.w - left - scale_w - 8, box.h - top - bottom};
  if (nx == 0 || ny == 0 || area.w <= 0 || area.h <= 0) return;
  const double cw = area.w / double(nx), ch = area.h / double(ny);
  const double value_size = std::clamp(std::min(cw / 5.0, ch / 3.2), 5.0, 10.0);
  for (std::size_t i = 0; i < nx; ++i) {
    for (std::size_t j = 0; j < ny; ++j) {
      const double v = i < map.values.size() && j < map.values[i].size() ? map.values[i][j] : NAN;
      const double x = area.x + double(i) * cw, y = area.y + area.h - double(j + 1) * ch;  // beta grows upwards
      if (!std::isfinite(v)) {
        doc.fill_rect(x + 0.5, y + 0.5, cw - 1, ch - 1, rgb255(240, 240, 240));
        continue;
      }
      const double t = (v - vr.lo) / (vr.hi - vr.lo);
      doc.fill_rect(x + 0.5, y + 0.5, cw - 1, ch - 1, viridis(t));
      const Rgb ink = t > 0.6 ? Rgb{0, 0, 0} : Rgb{1, 1, 1};  // dark on the bright end, white on the dark
      const std::string note = i < map.notes.size() && j < map.notes[i].size() ? map.notes[i][j] : std::string();
      const double cy = y + ch / 2 + (note.empty() ? value_size * 0.35 : -value_size * 0.1);
      doc.text(x + cw / 2, cy, format_value(v, 1), value_size, Font::bold, Align::center, ink);
      if (!note.empty())
        doc.text(x + cw / 2, cy + value_size * 0.95, PdfDocument::elide(note, value_size * 0.7, cw - 4),
                 value_size * 0.7, Font::regular, Align::center, ink);
    }
  }
  doc.set_stroke(kAxis);
  doc.set_line_width(0.6);
  doc.stroke_rect(area.x, area.y, area.w, area.h);
  for (std::size_t i = 0; i < nx; ++i)
    doc.text(area.x + (double(i) + 0.5) * cw, area.y + area.h + 9, PdfDocument::elide(map.x_labels[i], kTickSize, cw),
             kTickSize, Font::regular, Align::center, kText);
  for (std::size_t j = 0; j < ny; ++j)
    doc.text(area.x - 3, area.y + area.h - (double(j) + 0.5) * ch + 2.3, map.y_labels[j], kTickSize, Font::regular,
             Align::right, kText);
  doc.text(area.x + area.w / 2, area.y + area.h + 20, map.x_title, kLabelSize, Font::regular, Align::center, kText);
  doc.text(box.x + 8.5, area.y + area.h / 2, map.y_title, kLabelSize, Font::regular, Align::center, kText, 90.0);
  // the colour scale: a vertical bar with its range
  const double sx = area.x + area.w + 10, sw = 10;
  const int steps = 40;
  for (int k = 0; k < steps; ++k)
    doc.fill_rect(sx, area.y + area.h * (1.0 - double(k + 1) / steps), sw, area.h / steps + 0.3,
                  viridis((k + 0.5) / steps));
  doc.stroke_rect(sx, area.y, sw, area.h);
  doc.text(sx + sw + 2, area.y + 5, format_value(vr.hi, 1), kTickSize, Font::regular, Align::left, kText);
  doc.text(sx + sw + 2, area.y + area.h, format_value(vr.lo, 1), kTickSize, Font::regular, Align::left, kText);
  doc.text(sx + sw + 12, area.y + area.h / 2, PdfDocument::elide(map.scale_title, kLabelSize, area.h), kLabelSize,
           Font::regular, Align::center, kText, 90.0);
}

namespace {
struct TableLayout {
  double size = 8.0;
  std::vector<double> widths;
  double row_h() const { return size * 1.55; }
};
TableLayout fit_table(const Table& t, double width) {
  const std::size_t cols = t.header.size();
  TableLayout layout;
  for (layout.size = t.font_size;; layout.size -= 0.5) {
    layout.widths.assign(cols, 0.0);
    for (std::size_t c = 0; c < cols; ++c) {
      layout.widths[c] = PdfDocument::text_width(t.header[c], layout.size, Font::bold);
      for (const auto& row : t.rows)
        if (c < row.size()) layout.widths[c] = std::max(layout.widths[c], PdfDocument::text_width(row[c], layout.size));
      layout.widths[c] += layout.size;  // padding
    }
    double total = 0.0;
    for (double w : layout.widths) total += w;
    if (total <= width || layout.size <= 5.0) {
      if (total > width) {  // still too wide: the widest columns give way
        const double scale = width / total;
        for (double& w : layout.widths) w *= scale;
      }
      return layout;
    }
  }
}
}  // namespace

double table_row_height(const Table& table, double width) { return fit_table(table, width).row_h(); }

int draw_table(PdfDocument& doc, const Box& box, const Table& table, int first_row) {
  const TableLayout layout = fit_table(table, box.w);
  const double rh = layout.row_h(), pad = layout.size / 2;
  auto row = [&](const std::vector<std::string>& cells, double y, Font font) {
    double x = box.x;
    for (std::size_t c = 0; c < layout.widths.size(); ++c) {
      const double w = layout.widths[c];
      const Align al = c < table.align.size() ? table.align[c] : Align::left;
      const std::string text = c < cells.size() ? PdfDocument::elide(cells[c], layout.size, w - pad, font) : "";
      const double tx = al == Align::left ? x + pad / 2 : al == Align::right ? x + w - pad / 2 : x + w / 2;
      doc.text(tx, y + rh * 0.68, text, layout.size, font, al, kText);
      x += w;
    }
  };
  double total_w = 0.0;
  for (double w : layout.widths) total_w += w;
  doc.fill_rect(box.x, box.y, total_w, rh, rgb255(232, 236, 242));
  row(table.header, box.y, Font::bold);
  double y = box.y + rh;
  int drawn = 0;
  for (std::size_t r = std::size_t(std::max(0, first_row)); r < table.rows.size(); ++r) {
    if (y + rh > box.y + box.h) break;
    if (drawn % 2 == 1) doc.fill_rect(box.x, y, total_w, rh, rgb255(247, 247, 247));
    row(table.rows[r], y, Font::regular);
    y += rh;
    ++drawn;
  }
  doc.set_stroke(rgb255(180, 180, 180));
  doc.set_line_width(0.5);
  doc.line(box.x, box.y + rh, box.x + total_w, box.y + rh);
  doc.line(box.x, y, box.x + total_w, y);
  return drawn;
}

}  // namespace iql::report
