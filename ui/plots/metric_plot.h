// A live line plot of one or more metric series against the training step: EMA smoothing with the
// raw curve faded behind, log-scale toggle, hover read-out, drag/wheel zoom (double-click refits),
// PNG/PDF/CSV export (buttons and right-click menu) and labelled vertical marker lines at steps where
// a hyperparameter changed. Points are buffered and drawn by a 40 ms single-shot replot timer, so
// redraws stay near 25 Hz however fast data arrives.
#pragma once
#include <QColor>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <vector>

#include "ui/plots/smoothing.h"

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
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
  bool hasSeries(const QString& key) const;
  void appendPoint(const QString& key, double step, double value);
  void addMarker(double step, const QString& label);
  void clear();  // every series' data and every marker

  int pointCount(const QString& key) const;
  int markerCount() const { return static_cast<int>(markers_.size()); }
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
  struct Marker {
    double step;
    QCPItemStraightLine* line;
    QCPItemText* text;
  };

  QWidget* buildToolbar();
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
  std::vector<Series> series_;
  std::vector<Marker> markers_;
  QTimer replotTimer_;
  double smoothing_ = 0.6;
  bool logScale_ = false;
  bool follow_ = true;  // rescale to the data until the user zooms or pans
};

}  // namespace iqlui
