#include "core/report/pdf_document.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "core/util/errors.h"

namespace iql::report {

namespace {

constexpr double kA4Short = 595.276, kA4Long = 841.89;  // 210 x 297 mm in points

// Advance widths (1/1000 em) of WinAnsi 32..126 from Adobe's Helvetica and Helvetica-Bold AFM files.
constexpr short kHelvetica[95] = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // space .. /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0 .. ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // @ .. O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,   // P .. _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,   // ` .. o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};       // p .. ~
constexpr short kHelveticaBold[95] = {
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584};

// WinAnsi 0x80..0x9F: the Unicode code point each byte stands for (0: unused).
constexpr unsigned kWinAnsiHigh[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

int glyph_width(unsigned char c, Font font) {
  if (c >= 32 && c <= 126) return (font == Font::bold ? kHelveticaBold : kHelvetica)[c - 32];
  switch (c) {
    case 0x85: return 1000;  // ellipsis
    case 0x95: return 350;   // bullet
    case 0x96: return 556;   // en dash
    case 0x97: return 1000;  // em dash
    case 0x91: case 0x92: return font == Font::bold ? 278 : 222;  // quotes
    case 0xB0: return 400;   // degree
    case 0xB1: case 0xD7: return 584;  // plus-minus, multiply
    case 0xB7: return 278;   // middle dot
    default: return 556;     // accented letters and the rest: a letter's width
  }
}

// Decodes one UTF-8 sequence at s[i], advancing i; malformed bytes decode to U+FFFD.
unsigned next_code_point(const std::string& s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  unsigned cp = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

char winansi_byte(unsigned cp) {
  if (cp >= 32 && cp <= 126) return char(cp);
  if (cp >= 0xA0 && cp <= 0xFF) return char(cp);
  for (int k = 0; k < 32; ++k)
    if (kWinAnsiHigh[k] == cp && cp != 0) return char(0x80 + k);
  if (cp == '\t') return ' ';
  return '?';
}

// Fixed-point without exponent or locale (a Qt program runs with the user's LC_NUMERIC, which may
// write a decimal comma; PDF needs a dot).
std::string num(double v) {
  if (!std::isfinite(v)) v = 0.0;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 3);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string color_op(Rgb c, const char* op) {
  return num(c.r) + " " + num(c.g) + " " + num(c.b) + " " + op + "\n";
}

}  // namespace

Rgb rgb255(int r, int g, int b) { return {r / 255.0, g / 255.0, b / 255.0}; }

PdfDocument::PdfDocument(std::string title) : title_(std::move(title)) {}

PdfDocument::Page& PdfDocument::page() {
  if (pages_.empty()) throw std::logic_error("PdfDocument: draw call before begin_page");
  return pages_.back();
}

void PdfDocument::op(const std::string& s) { page().content += s; }

void PdfDocument::begin_page(PageSize size) {
  Page p;
  p.width = size == PageSize::a4_landscape ? kA4Long : kA4Short;
  p.height = size == PageSize::a4_landscape ? kA4Short : kA4Long;
  p.content = "1 J 1 j\n";  // round caps and joins: curves read smoother
  pages_.push_back(std::move(p));
}

double PdfDocument::page_width() const { return pages_.empty() ? 0.0 : pages_.back().width; }
double PdfDocument::page_height() const { return pages_.empty() ? 0.0 : pages_.back().height; }

void PdfDocument::set_line_width(double w) { op(num(w) + " w\n"); }
void PdfDocument::set_stroke(Rgb c) { op(color_op(c, "RG")); }
void PdfDocument::set_dash(double on, double off) {
  op(on <= 0.0 ? std::string("[] 0 d\n") : "[" + num(on) + " " + num(off) + "] 0 d\n");
}

void PdfDocument::line(double x1, double y1, double x2, double y2) {
  op(num(x1) + " " + num(fy(y1)) + " m " + num(x2) + " " + num(fy(y2)) + " l S\n");
}

void PdfDocument::polyline(const std::vector<Point>& points) {
  if (points.size() < 2) return;
  std::string s = num(points[0].first) + " " + num(fy(points[0].second)) + " m\n";
  for (std::size_t k = 1; k < points.size(); ++k) s += num(points[k].first) + " " + num(fy(points[k].second)) + " l\n";
  op(s + "S\n");
}

void PdfDocument::stroke_rect(double x, double y, double w, double h) {
  op(num(x) + " " + num(fy(y + h)) + " " + num(w) + " " + num(h) + " re S\n");
}

void PdfDocument::fill_rect(double x, double y, double w, double h, Rgb fill) {
  op("q " + color_op(fill, "rg") + num(x) + " " + num(fy(y + h)) + " " + num(w) + " " + num(h) + " re f Q\n");
}

void PdfDocument::fill_polygon(const std::vector<Point>& points, Rgb fill) {
  if (points.size() < 3) return;
  std::string s = "q " + color_op(fill, "rg") + num(points[0].first) + " " + num(fy(points[0].second)) + " m\n";
  for (std::size_t k = 1; k < points.size(); ++k) s += num(points[k].first) + " " + num(fy(points[k].second)) + " l\n";
  op(s + "h f Q\n");
}

void PdfDocument::push_clip(double x, double y, double w, double h) {
  op("q " + num(x) + " " + num(fy(y + h)) + " " + num(w) + " " + num(h) + " re W n\n");
}

void PdfDocument::pop_clip() { op("Q\n"); }

void PdfDocument::text(double x, double y, const std::string& utf8, double size, Font font, Align align, Rgb color,
                       double angle) {
  if (utf8.empty()) return;
  const double w = text_width(utf8, size, font);
  const double shift = align == Align::left ? 0.0 : align == Align::center ? w / 2.0 : w;
  const double rad = angle * M_PI / 180.0, c = std::cos(rad), s = std::sin(rad);
  // the anchor moves back along the text's own direction (upwards in page terms for angle 90)
  const double px = x - shift * c, py = fy(y) - shift * s;
  op("BT " + color_op(color, "rg") + (font == Font::bold ? "/F2 " : "/F1 ") + num(size) + " Tf " + num(c) + " " +
     num(s) + " " + num(-s) + " " + num(c) + " " + num(px) + " " + num(py) + " Tm " + pdf_string(utf8) + " Tj ET\n");
}

double PdfDocument::text_width(const std::string& utf8, double size, Font font) {
  double units = 0.0;
  for (unsigned char c : to_winansi(utf8)) units += glyph_width(c, font);
  return units * size / 1000.0;
}

std::string PdfDocument::elide(const std::string& utf8, double size, double max_width, Font font) {
  if (text_width(utf8, size, font) <= max_width) return utf8;
  // cut at code-point boundaries until prefix + "..." fits
  std::vector<std::size_t> cuts;
  for (std::size_t i = 0; i < utf8.size();) {
    cuts.push_back(i);
    next_code_point(utf8, i);
  }
  for (std::size_t k = cuts.size(); k-- > 0;) {
    const std::string candidate = utf8.substr(0, cuts[k]) + "...";
    if (text_width(candidate, size, font) <= max_width) return candidate;
  }
  return "";
}

std::vector<std::string> PdfDocument::wrap(const std::string& utf8, double size, double max_width, Font font) {
  std::vector<std::string> lines;
  std::string current;
  std::size_t i = 0;
  while (i < utf8.size()) {
    while (i < utf8.size() && utf8[i] == ' ') ++i;
    std::size_t j = utf8.find(' ', i);
    if (j == std::string::npos) j = utf8.size();
    if (j == i) break;
    const std::string word = utf8.substr(i, j - i);
    i = j;
    const std::string joined = current.empty() ? word : current + " " + word;
    if (text_width(joined, size, font) <= max_width) {
      current = joined;
      continue;
    }
    if (!current.empty()) lines.push_back(current);
    current = elide(word, size, max_width, font);
  }
  if (!current.empty()) lines.push_back(current);
  return lines;
}

std::string PdfDocument::to_winansi(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) out += winansi_byte(next_code_point(utf8, i));
  return out;
}

std::string PdfDocument::pdf_string(const std::string& utf8) {
  std::string out = "(";
  for (char ch : to_winansi(utf8)) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 32 || c > 126) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + ")";
}

std::string PdfDocument::bytes() const {
  if (pages_.empty()) throw std::logic_error("PdfDocument: a PDF needs at least one page");
  // Objects: 1 catalog, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 info, then each page and its
  // content stream (6 + 2k, 7 + 2k).
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";  // the binary comment marks the file as binary
  std::vector<std::size_t> offsets;
  auto object = [&](const std::string& body) {
    offsets.push_back(out.size());
    out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  const int n = int(pages_.size());
  object("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (int k = 0; k < n; ++k) kids += (k ? " " : "") + std::to_string(6 + 2 * k) + " 0 R";
  object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n) + " >>");
  object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  object("<< /Title " + pdf_string(title_) + " /Producer (IQL Workbench) >>");
  for (int k = 0; k < n; ++k) {
    const Page& p = pages_[std::size_t(k)];
    object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(p.width) + " " + num(p.height) +
           "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents " + std::to_string(7 + 2 * k) + " 0 R >>");
    object("<< /Length " + std::to_string(p.content.size()) + " >>\nstream\n" + p.content + "\nendstream");
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);  // exactly 20 bytes per entry
    out += buf;
  }
  out += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R /Info 5 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

void PdfDocument::save(const std::string& path) const {
  const std::string data = bytes();
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw ConfigError("cannot write the report to " + path);
  f.write(data.data(), std::streamsize(data.size()));
  f.close();
  if (!f) throw ConfigError("cannot write the report to " + path + " (disk full?)");
}

}  // namespace iql::report
