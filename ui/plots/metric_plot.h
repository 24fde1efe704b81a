// A live line plot of one or more metric series against the training step: EMA smoothing with the
// raw curve faded behind, log-scale toggle, a read-out line above the plot (hover values, else a
// summary such as the latest and best score), drag/wheel zoom (double-click refits), PNG/PDF/CSV
// export carrying the run's id and settings, and compact marker lines (PlotMarkers) at steps where a
// hyperparameter changed. The legend sits below the axes so it never covers data; an empty plot says
// it is waiting for the first step and shows no made-up axis numbers. Points are buffered and drawn by a 40 ms single-shot replot
// timer, so redraws stay near 25 Hz however fast data arrives.
#pragma once
#include <QColor>
#include <QPair>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <vector>

#include "ui/plots/plot_markers.h"
#include "ui/plots/smoothing.h"

class QCustomPlot;
class QCPAxis;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QCheckBox;
class QLabel;
class QSlider;
class QMouseEvent;

namespace iqlui {

class MetricPlot : public QWidget {
  Q_OBJECT
public:
  enum class Axis { Left, Right };
  MetricPlot(const QString& title, const QString& yLabel, QWidget* parent = nullptr);

  // smoothable = false for sparse series (evaluations): drawn as points joined by lines.
  void addSeries(const QString& key, const QString& label, const QColor& color, Axis axis = Axis::Left,
                 bool smoothable = true);
  void setRightAxisLabel(const QString& label);
  // Ties the right axis to the left one: its range is always scale * left + offset (the normalised
  // score of a return, say), so a point on either axis is drawn at one height. Right-axis series are
  // fitted through the inverse map; setAxisIncludes(Right, ...) no longer applies.
  void tieRightAxis(double scale, double offset);
  void untieRightAxis();
  bool rightAxisTied() const { return tied_; }
  // Shows or hides the right axis with its series (and their legend entries).
  void setRightAxisShown(bool shown);
  bool rightAxisShown() const { return rightShown_; }
  bool hasSeries(const QString& key) const;
  void appendPoint(const QString& key, double step, double value);
  void addMarker(double step, const QString& label) { addMarker(step, label, label); }
  void addMarker(double step, const QString& compact, const QString& full);
  void clear();  // every series' data and every marker
  // The axis range always includes [lo, hi] (e.g. 0..100 for normalised scores).
  void setAxisIncludes(Axis axis, double lo, double hi);
  // Shown above the plot when the mouse is not over it (e.g. "latest 72.3 · best 95.8").
  void setSummary(const QString& html, const QString& tooltip = QString());
  QString summary() const { return summary_; }
  // Run id and settings written into exported PNG titles and CSV headers.
  void setExportContext(const QString& context) { exportContext_ = context; }

  int pointCount(const QString& key) const;
  int markerCount() const { return markers_.count(); }
  const PlotMarkers& markers() const { return markers_; }
  bool showsWaitingText() const;
  QString title() const { return title_; }
  QCustomPlot* plot() const { return plot_; }

  void setSmoothing(double weight);  // 0 .. 0.99
  double smoothing() const { return smoothing_; }
  void setLogScale(bool on);
  bool logScale() const { return logScale_; }
  void flushNow();  // apply buffered points and replot immediately (tests, export)

  bool exportPng(const QString& path);
  bool exportPdf(const QString& path);
  bool exportCsv(const QString& path) const;

private:
  struct Series {
    QString key, label;
    QColor color;
    Axis axis = Axis::Left;
    bool smoothable = true;
    QCPGraph* raw = nullptr;
    QCPGraph* smooth = nullptr;
    QVector<double> x, y;
    int drawn = 0;  // points already handed to the graphs
    EmaSmoother ema;
  };
  QWidget* buildToolbar();
  bool shown(const Series& s) const { return s.axis == Axis::Left || rightShown_; }
  void applyTie();
  void showAxisNumbers(bool on);
  void fitAxis(QCPAxis* axis, double lo, double hi, bool haveData, const QPair<double, double>& includes);
  Series* find(const QString& key);
  const Series* find(const QString& key) const;
  void scheduleReplot();
  void applyPending();
  void restyle(Series& s);
  void rebuildSmoothed(Series& s);
  void fit();
  void onMouseMove(QMouseEvent* e);
  void showContextMenu(const QPoint& pos);
  void exportWithDialog(const QString& format);
  QString defaultFileName(const QString& suffix) const;

  QString title_;
  QCustomPlot* plot_ = nullptr;
  QSlider* smoothingSlider_ = nullptr;
  QLabel* smoothingLabel_ = nullptr;
  QCheckBox* logBox_ = nullptr;
  QLabel* readout_ = nullptr;
  QCPItemStraightLine* cursor_ = nullptr;
  QCPItemText* waiting_ = nullptr;
  QCPTextElement* titleElement_ = nullptr;
  std::vector<Series> series_;
  PlotMarkers markers_;
  QPair<double, double> leftIncludes_{1, 0}, rightIncludes_{1, 0};  // lo > hi: none
  QString summary_, exportContext_;
  QTimer replotTimer_;
  double smoothing_ = 0.6;
  bool logScale_ = false;
  bool follow_ = true;  // rescale to the data until the user zooms or pans
  bool hasRight_ = false, rightShown_ = true, tied_ = false;
  double tieScale_ = 1.0, tieOffset_ = 0.0;
};

}  // namespace iqlui
