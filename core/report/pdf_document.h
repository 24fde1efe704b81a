// A small PDF 1.4 writer for the study report: A4 pages, the standard Helvetica fonts (never embedded,
// every reader has them) with WinAnsi text, lines, polylines, polygons and rectangles in RGB.
// Content streams are left uncompressed and the cross-reference table is written byte-exact, so the
// file reads in any viewer and its text can be checked with pdftotext. Qt-free and torch-free.
//
// Coordinates are points (1/72 inch) from the page's top-left corner, y growing downwards, as on a
// screen; the writer flips them to PDF's bottom-left origin. Text is UTF-8: characters WinAnsi lacks
// print as '?'.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace iql::report {

struct Rgb {
  double r = 0.0, g = 0.0, b = 0.0;  // each in [0, 1]
};
Rgb rgb255(int r, int g, int b);

enum class PageSize { a4_portrait, a4_landscape };
enum class Font { regular, bold };
enum class Align { left, center, right };

using Point = std::pair<double, double>;

class PdfDocument {
public:
  explicit PdfDocument(std::string title = {});

  // Starts a new page; every drawing call after it goes onto that page. Graphics state (colours,
  // line width, dash) starts afresh on each page.
  void begin_page(PageSize size);
  int page_count() const { return int(pages_.size()); }
  double page_width() const;   // of the current page
  double page_height() const;

  void set_line_width(double w);
  void set_stroke(Rgb c);
  void set_dash(double on, double off);  // on <= 0: solid
  void line(double x1, double y1, double x2, double y2);
  void polyline(const std::vector<Point>& points);  // fewer than 2 points: nothing
  void stroke_rect(double x, double y, double w, double h);
  void fill_rect(double x, double y, double w, double h, Rgb fill);
  void fill_polygon(const std::vector<Point>& points, Rgb fill);  // closed; fewer than 3 points: nothing
  // Everything drawn until pop_clip() stays inside the rectangle.
  void push_clip(double x, double y, double w, double h);
  void pop_clip();

  // Text on the baseline y; align says which point of the text x is. angle: 0 horizontal, 90 reads
  // upwards (a y-axis title).
  void text(double x, double y, const std::string& utf8, double size, Font font = Font::regular,
            Align align = Align::left, Rgb color = {}, double angle = 0.0);

  // Width in points of the text as text() sets it (Helvetica's AFM metrics).
  static double text_width(const std::string& utf8, double size, Font font = Font::regular);
  // The longest prefix of the text that fits max_width with "..." appended; the text itself if it fits.
  static std::string elide(const std::string& utf8, double size, double max_width, Font font = Font::regular);
  // Words wrapped into lines no wider than max_width (a word wider than that is elided).
  static std::vector<std::string> wrap(const std::string& utf8, double size, double max_width,
                                       Font font = Font::regular);

  // UTF-8 to WinAnsi bytes ('?' for what WinAnsi lacks) and to a PDF literal string with ( ) \ and
  // every byte outside printable ASCII escaped: "(a\(b\))". Exposed for the tests.
  static std::string to_winansi(const std::string& utf8);
  static std::string pdf_string(const std::string& utf8);

  // The whole file. Throws std::logic_error without pages.
  std::string bytes() const;
  // Writes bytes() to path; throws iql::ConfigError naming the path when it cannot be written.
  void save(const std::string& path) const;

private:
  struct Page {
    double width = 0.0, height = 0.0;
    std::string content;
  };
  Page& page();
  double fy(double y) const { return page_height() - y; }
  void op(const std::string& s);

  std::string title_;
  std::vector<Page> pages_;
};

}  // namespace iql::report
