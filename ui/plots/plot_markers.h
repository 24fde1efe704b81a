// Vertical marker lines on a QCustomPlot at steps where something changed (a live tau/beta change,
// the switch to the online phase). Each carries a compact label (a glyph and the new value, e.g.
// "β 9.74"); the full text ("beta 3→9.74 at step 1,200") is given for hover read-outs. Labels are
// stacked on up to four rows so they never overlap one another; a label with no free row is hidden
// (its line stays, the hover text still names it).
#pragma once
#include <QRectF>
#include <QString>
#include <vector>

class QCustomPlot;
class QCPItemStraightLine;
class QCPItemText;

namespace iqlui {

class PlotMarkers {
public:
  explicit PlotMarkers(QCustomPlot* plot) : plot_(plot) {}
  void add(double step, const QString& compact, const QString& full);
  void clear();
  void layout();  // call after the x range changes, before replotting
  int count() const { return static_cast<int>(markers_.size()); }
  double step(int i) const { return markers_[size_t(i)].step; }
  // Full texts of markers within `pixels` of pixel x (for the hover read-out).
  QString fullTextNear(double pixelX, double pixels = 6.0) const;
  // Label rectangles in pixels (visible labels only), for tests of non-overlap.
  std::vector<QRectF> labelRects() const;

private:
  struct Marker {
    double step;
    QString full;
    QCPItemStraightLine* line;
    QCPItemText* text;
  };
  QCustomPlot* plot_;
  std::vector<Marker> markers_;
};

}  // namespace iqlui
