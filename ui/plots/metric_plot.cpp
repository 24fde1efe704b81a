#include "ui/plots/metric_plot.h"

#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QSlider>
#include <QTextStream>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include "ui/plots/qcp.h"

#include "ui/plots/plot_export.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/readable_ticker.h"

namespace iqlui {

namespace {
// A tick step of 0.000299999 next to 0.0003 says nothing: give a nearly constant series a range
// of at least 2% of its magnitude so tick labels differ in the first four significant digits.
QCPRange readableRange(double lo, double hi) {
  const double centre = 0.5 * (lo + hi), size = hi - lo;
  const double minSize = std::max(std::abs(centre) * 0.02, 1e-12);
  if (size >= minSize) return QCPRange(lo, hi);
  return QCPRange(centre - minSize / 2, centre + minSize / 2);
}
}  // namespace

MetricPlot::MetricPlot(const QString& title, const QString& yLabel, QWidget* parent)
    : QWidget(parent), title_(title), plot_(new QCustomPlot(this)), markers_(plot_) {
  plot_->setObjectName(QStringLiteral("plot"));
  plot_->setMinimumSize(190, 150);  // three side by side fit a 1100-pixel window with the docks
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setNoAntialiasingOnDrag(true);
  applyPlotStyle(plot_, title);
  plot_->xAxis->setLabel(QStringLiteral("step"));
  plot_->yAxis->setLabel(yLabel);
  plot_->legend->setVisible(false);  // shown once a series has points (restyle)
  titleElement_ = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0));
  placeLegendBelow(plot_);
  for (QCPAxis* axis : {plot_->yAxis, plot_->yAxis2}) axis->setNumberPrecision(4);
  plot_->xAxis->ticker()->setTickCount(4);  // step labels stay apart in a narrow plot

  waiting_ = new QCPItemText(plot_);
  waiting_->position->setType(QCPItemPosition::ptAxisRectRatio);
  waiting_->position->setCoords(0.5, 0.5);
  waiting_->setText(tr("waiting for\nthe first step"));  // two lines: fits the narrowest plot
  waiting_->setTextAlignment(Qt::AlignCenter);
  waiting_->setColor(QColor(130, 130, 130));
  waiting_->setSelectable(false);

  cursor_ = new QCPItemStraightLine(plot_);
  cursor_->setPen(QPen(QColor(120, 120, 120, 140), 1));
  cursor_->setVisible(false);
  cursor_->setSelectable(false);

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(40);
  connect(&replotTimer_, &QTimer::timeout, this, &MetricPlot::applyPending);
  // Fits, drags and wheel zooms all move the left axis; a tied right axis follows every change.
  connect(plot_->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { applyTie(); });
  showAxisNumbers(false);
  // Marker labels are placed in pixels: again whenever the layout moved the axes (tick labels
  // appearing with the first point, a resize), just before drawing.
  connect(plot_, &QCustomPlot::afterLayout, this, [this] { markers_.layout(); });

  connect(plot_, &QCustomPlot::mouseMove, this, &MetricPlot::onMouseMove);
  connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) follow_ = false;
  });
  connect(plot_, &QCustomPlot::mouseWheel, this, [this] { follow_ = false; });
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { fit(); });
  plot_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(plot_, &QWidget::customContextMenuRequested, this, &MetricPlot::showContextMenu);

  readout_ = new QLabel(this);
  readout_->setObjectName(QStringLiteral("readout"));
  readout_->setTextFormat(Qt::RichText);
  readout_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
  readout_->setMinimumHeight(readout_->fontMetrics().height() + 2);
  readout_->setContentsMargins(4, 0, 4, 0);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(1);
  layout->addWidget(readout_);
  layout->addWidget(plot_, 1);
  layout->addWidget(buildToolbar());
}

QWidget* MetricPlot::buildToolbar() {
  // Compact, so that three plots side by side fit a 1100-pixel window without clipped captions.
  auto* bar = new QWidget(this);
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(4, 0, 4, 0);
  row->setSpacing(4);

  auto* smoothLabel = new QLabel(tr("EMA"), bar);
  smoothLabel->setToolTip(tr("Exponential moving average smoothing"));
  row->addWidget(smoothLabel);
  smoothingSlider_ = new QSlider(Qt::Horizontal, bar);
  smoothingSlider_->setObjectName(QStringLiteral("smoothing"));
  smoothingSlider_->setRange(0, 99);
  smoothingSlider_->setValue(static_cast<int>(std::lround(smoothing_ * 100)));
  smoothingSlider_->setMinimumWidth(28);
  smoothingSlider_->setMaximumWidth(90);
  smoothingSlider_->setToolTip(tr("Exponential moving average weight (0 = raw). The raw curve stays faded behind; "
                                  "sparse series such as evaluations are never smoothed."));
  row->addWidget(smoothingSlider_, 1);
  smoothingLabel_ = new QLabel(QString::number(smoothing_, 'f', 2), bar);
  smoothingLabel_->setMinimumWidth(smoothingLabel_->fontMetrics().horizontalAdvance(QStringLiteral("0.00")) + 2);
  row->addWidget(smoothingLabel_);
  connect(smoothingSlider_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });

  logBox_ = new QCheckBox(tr("log"), bar);
  logBox_->setObjectName(QStringLiteral("logScale"));
  logBox_->setToolTip(tr("Logarithmic y axis"));
  connect(logBox_, &QCheckBox::toggled, this, &MetricPlot::setLogScale);
  row->addWidget(logBox_);

  auto* fitButton = new QToolButton(bar);
  fitButton->setText(tr("Fit"));
  fitButton->setToolTip(tr("Fit the axes to the data and follow new points (or double-click the plot)"));
  connect(fitButton, &QToolButton::clicked, this, &MetricPlot::fit);
  row->addWidget(fitButton);

  auto* exportButton = new QToolButton(bar);
  exportButton->setText(tr("Save"));
  exportButton->setToolTip(tr("Export as PNG, PDF or CSV (with the run's id and settings)"));
  exportButton->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(exportButton);
  menu->addAction(tr("PNG image…"), this, [this] { exportWithDialog("png"); });
  menu->addAction(tr("PDF document…"), this, [this] { exportWithDialog("pdf"); });
  menu->addAction(tr("CSV data…"), this, [this] { exportWithDialog("csv"); });
  exportButton->setMenu(menu);
  row->addWidget(exportButton);
  return bar;
}

void MetricPlot::addSeries(const QString& key, const QString& label, const QColor& color, Axis axis,
                           bool smoothable) {
  Series s;
  s.key = key;
  s.label = label;
  s.color = color;
  s.axis = axis;
  s.smoothable = smoothable;
  s.ema = EmaSmoother(smoothing_);
  QCPAxis* valueAxis = axis == Axis::Right ? plot_->yAxis2 : plot_->yAxis;
  if (axis == Axis::Right) {
    hasRight_ = true;
    plot_->yAxis2->setVisible(rightShown_);
    plot_->yAxis2->setTickLabels(!waiting_->visible());
  }
  s.raw = plot_->addGraph(plot_->xAxis, valueAxis);
  s.smooth = plot_->addGraph(plot_->xAxis, valueAxis);
  s.raw->setName(label);
  s.smooth->setName(label);
  if (!smoothable) s.raw->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
  series_.push_back(s);
  restyle(series_.back());
}

void MetricPlot::setRightAxisLabel(const QString& label) { plot_->yAxis2->setLabel(label); }

void MetricPlot::tieRightAxis(double scale, double offset) {
  if (!(scale != 0.0) || !std::isfinite(scale) || !std::isfinite(offset)) return untieRightAxis();
  tied_ = true;
  tieScale_ = scale;
  tieOffset_ = offset;
  applyTie();
  scheduleReplot();
}

void MetricPlot::untieRightAxis() {
  tied_ = false;
  scheduleReplot();
}

void MetricPlot::applyTie() {
  if (!tied_) return;
  const QCPRange left = plot_->yAxis->range();
  const double a = tieScale_ * left.lower + tieOffset_, b = tieScale_ * left.upper + tieOffset_;
  plot_->yAxis2->setRangeReversed(plot_->yAxis->rangeReversed() != (tieScale_ < 0));
  plot_->yAxis2->setRange(QCPRange(std::min(a, b), std::max(a, b)));
}

void MetricPlot::setRightAxisShown(bool shown) {
  if (rightShown_ == shown) return;
  rightShown_ = shown;
  plot_->yAxis2->setVisible(hasRight_ && shown);
  for (auto& s : series_)
    if (s.axis == Axis::Right) restyle(s);
  scheduleReplot();
}

void MetricPlot::showAxisNumbers(bool on) {
  // An empty plot's 0..5 would be made up: its axes keep their names and drop their numbers.
  plot_->xAxis->setTickLabels(on);
  plot_->yAxis->setTickLabels(on);
  plot_->yAxis2->setTickLabels(on && hasRight_);
}

bool MetricPlot::hasSeries(const QString& key) const { return find(key) != nullptr; }

MetricPlot::Series* MetricPlot::find(const QString& key) {
  for (auto& s : series_)
    if (s.key == key) return &s;
  return nullptr;
}

const MetricPlot::Series* MetricPlot::find(const QString& key) const {
  for (auto& s : series_)
    if (s.key == key) return &s;
  return nullptr;
}

void MetricPlot::appendPoint(const QString& key, double step, double value) {
  Series* s = find(key);
  if (!s) return;
  s->x.append(step);
  s->y.append(value);
  scheduleReplot();
}

void MetricPlot::addMarker(double step, const QString& compact, const QString& full) {
  markers_.add(step, compact, full);
  scheduleReplot();
}

void MetricPlot::setAxisIncludes(Axis axis, double lo, double hi) {
  (axis == Axis::Right ? rightIncludes_ : leftIncludes_) = {lo, hi};
  scheduleReplot();
}

void MetricPlot::setSummary(const QString& html, const QString& tooltip) {
  summary_ = html;
  readout_->setToolTip(tooltip);
  if (!cursor_->visible()) readout_->setText(html);
}

bool MetricPlot::showsWaitingText() const { return waiting_->visible(); }

void MetricPlot::clear() {
  for (auto& s : series_) {
    s.x.clear();
    s.y.clear();
    s.drawn = 0;
    s.ema.reset();
    s.raw->data()->clear();
    s.smooth->data()->clear();
    restyle(s);
  }
  markers_.clear();
  follow_ = true;
  // The next run's plot must not open on this run's ranges.
  for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis, plot_->yAxis2}) axis->setRange(0.0, 1.0);
  applyTie();
  summary_.clear();
  readout_->clear();
  cursor_->setVisible(false);
  scheduleReplot();
}

int MetricPlot::pointCount(const QString& key) const {
  const Series* s = find(key);
  return s ? s->x.size() : 0;
}

void MetricPlot::setSmoothing(double weight) {
  weight = std::clamp(weight, 0.0, 0.99);
  if (weight == smoothing_) return;
  const bool wasOff = smoothing_ <= 0.0;
  smoothing_ = weight;
  smoothingLabel_->setText(QString::number(weight, 'f', 2));
  const int sliderValue = static_cast<int>(std::lround(weight * 100));
  if (smoothingSlider_->value() != sliderValue) smoothingSlider_->setValue(sliderValue);
  for (auto& s : series_) {
    if (wasOff != (weight <= 0.0)) restyle(s);
    rebuildSmoothed(s);
  }
  scheduleReplot();
}

void MetricPlot::setLogScale(bool on) {
  logScale_ = on;
  if (logBox_->isChecked() != on) logBox_->setChecked(on);
  for (QCPAxis* axis : {plot_->yAxis, plot_->yAxis2}) {
    axis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on) {
      QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
      axis->setTicker(ticker);
      axis->setNumberFormat(QStringLiteral("eb"));
      axis->setNumberPrecision(0);
    } else {
      axis->setTicker(readableTicker(axis));
      axis->setNumberFormat(QStringLiteral("gb"));
      axis->setNumberPrecision(4);
    }
  }
  follow_ = true;
  scheduleReplot();
}

void MetricPlot::restyle(Series& s) {
  const bool smoothed = s.smoothable && smoothing_ > 0.0;
  QColor faded = s.color;
  faded.setAlpha(smoothed ? 55 : 255);
  s.raw->setPen(QPen(faded, smoothed ? 1.0 : 1.6));
  s.smooth->setPen(QPen(s.color, 1.8));
  s.raw->setVisible(shown(s));
  s.smooth->setVisible(smoothed && shown(s));
  // A series enters the legend with its first point, so a plot never lists curves it does not show
  // (the online episode return of an offline-only run, say).
  s.raw->removeFromLegend();
  s.smooth->removeFromLegend();
  if (s.drawn > 0 && shown(s)) (smoothed ? s.smooth : s.raw)->addToLegend();
  plot_->legend->setVisible(plot_->legend->itemCount() > 0);
}

void MetricPlot::rebuildSmoothed(Series& s) {
  s.ema = EmaSmoother(s.smoothable ? smoothing_ : 0.0);
  QVector<double> sy;
  sy.reserve(s.drawn);
  for (int i = 0; i < s.drawn; ++i) sy.append(s.ema.add(s.y[i]));
  s.smooth->setData(s.x.mid(0, s.drawn), sy, true);
}

void MetricPlot::scheduleReplot() {
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void MetricPlot::flushNow() {
  replotTimer_.stop();
  applyPending();
  plot_->replot();  // synchronously, so a grab or export right after sees every point
}

void MetricPlot::applyPending() {
  for (auto& s : series_) {
    if (s.drawn == s.x.size()) continue;
    const int n = s.x.size() - s.drawn;
    QVector<double> nx = s.x.mid(s.drawn), ny = s.y.mid(s.drawn), sy;
    sy.reserve(n);
    for (double v : ny) sy.append(s.ema.add(v));
    // Points normally arrive in step order; fall back to sorting when they do not.
    const bool sorted = s.raw->data()->isEmpty() || s.raw->data()->constEnd()[-1].key <= nx.first();
    s.raw->addData(nx, ny, sorted);
    s.smooth->addData(nx, sy, sorted);
    const bool first = s.drawn == 0;
    s.drawn = s.x.size();
    if (first) restyle(s);
  }
  if (follow_) {
    fit();
  } else {
    markers_.layout();
    plot_->replot(QCustomPlot::rpQueuedReplot);
  }
}

void MetricPlot::fitAxis(QCPAxis* axis, double lo, double hi, bool haveData, const QPair<double, double>& includes) {
  if (!haveData) return;
  if (includes.first <= includes.second && axis->scaleType() == QCPAxis::stLinear) {
    lo = std::min(lo, includes.first);
    hi = std::max(hi, includes.second);
  }
  if (axis->scaleType() == QCPAxis::stLogarithmic) {
    if (!(lo > 0)) return;
    axis->setRange(QCPRange(lo, std::max(hi, lo * 1.0001)));
    axis->scaleRange(1.3, axis->range().center());
    return;
  }
  const QCPRange r = readableRange(lo, hi);
  const double pad = r.size() * 0.06;
  axis->setRange(r.lower - pad, r.upper + pad);
}

void MetricPlot::fit() {
  follow_ = true;
  // Ranges over every visible point (both value axes share x), padded, so no point sits on an edge.
  double xlo = 1e300, xhi = -1e300;
  double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
  bool any[2] = {false, false};
  const bool logY = logScale_;
  for (const auto& s : series_) {
    if (!shown(s)) continue;
    // A tied right series is fitted on the left axis, through the inverse of the tie.
    const bool mapped = tied_ && s.axis == Axis::Right;
    const int a = s.axis == Axis::Right && !mapped ? 1 : 0;
    const auto toAxis = [&](double y) { return mapped ? (y - tieOffset_) / tieScale_ : y; };
    const bool smoothed = s.smoothable && smoothing_ > 0.0;
    for (int i = 0; i < s.drawn; ++i) {
      const double y = toAxis(s.y[i]);
      if (!std::isfinite(y) || (logY && y <= 0)) continue;
      xlo = std::min(xlo, s.x[i]);
      xhi = std::max(xhi, s.x[i]);
      lo[a] = std::min(lo[a], y);
      hi[a] = std::max(hi[a], y);
      any[a] = true;
    }
    if (smoothed)
      for (int i = 0; i < s.drawn && i < s.smooth->data()->size(); ++i) {
        const double y = toAxis(s.smooth->data()->at(i)->value);
        if (!std::isfinite(y) || (logY && y <= 0)) continue;
        lo[a] = std::min(lo[a], y);
        hi[a] = std::max(hi[a], y);
      }
  }
  const bool haveData = any[0] || any[1];
  waiting_->setVisible(!haveData);
  showAxisNumbers(haveData);
  if (haveData) {
    fitAxis(plot_->yAxis, lo[0], hi[0], any[0], leftIncludes_);
    if (tied_) applyTie();
    else fitAxis(plot_->yAxis2, lo[1], hi[1], any[1], rightIncludes_);
    for (int i = 0; i < markers_.count(); ++i) {  // markers stay in view
      xlo = std::min(xlo, markers_.step(i));
      xhi = std::max(xhi, markers_.step(i));
    }
    const double pad = xhi > xlo ? (xhi - xlo) * 0.04 : std::max(1.0, std::abs(xhi) * 0.1);
    plot_->xAxis->setRange(xlo - pad, xhi + pad);
  }
  markers_.layout();
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::onMouseMove(QMouseEvent* e) {
  const double x = plot_->xAxis->pixelToCoord(e->pos().x());
  QStringList parts;
  double snapped = x;
  bool first = true;
  for (const auto& s : series_) {
    if (s.drawn == 0 || !shown(s)) continue;
    auto begin = s.x.constBegin(), end = s.x.constBegin() + s.drawn;
    auto it = std::lower_bound(begin, end, x);
    if (it == end) --it;
    if (it != begin && std::abs(*(it - 1) - x) < std::abs(*it - x)) --it;
    const int i = static_cast<int>(it - begin);
    if (first) {
      snapped = s.x[i];
      parts << QStringLiteral("<b>step %1</b>").arg(static_cast<qint64>(s.x[i]));
      first = false;
    }
    const double shown = s.smoothable && smoothing_ > 0 ? s.smooth->data()->at(i)->value : s.y[i];
    parts << QStringLiteral("<span style='color:%1'>%2</span> %3")
                 .arg(s.color.name(), s.label.toHtmlEscaped(), QString::number(shown, 'g', 4));
  }
  const QString marker = markers_.fullTextNear(e->pos().x());
  if (!marker.isEmpty()) parts << QStringLiteral("<span style='color:#c83c3c'>%1</span>").arg(marker.toHtmlEscaped());
  readout_->setText(first && marker.isEmpty() ? summary_ : parts.join(QStringLiteral(" &nbsp;")));
  cursor_->setVisible(!first);
  cursor_->point1->setCoords(snapped, 0);
  cursor_->point2->setCoords(snapped, 1);
  cursor_->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
  cursor_->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::showContextMenu(const QPoint& pos) {
  QMenu menu(this);
  menu.addAction(tr("Fit to data"), this, &MetricPlot::fit);
  QAction* log = menu.addAction(tr("Log scale"), this, [this](bool on) { setLogScale(on); });
  log->setCheckable(true);
  log->setChecked(logScale_);
  menu.addSeparator();
  menu.addAction(tr("Export PNG…"), this, [this] { exportWithDialog("png"); });
  menu.addAction(tr("Export PDF…"), this, [this] { exportWithDialog("pdf"); });
  menu.addAction(tr("Export CSV…"), this, [this] { exportWithDialog("csv"); });
  menu.exec(plot_->mapToGlobal(pos));
}

QString MetricPlot::defaultFileName(const QString& suffix) const {
  return exportFileStem(title_) + "." + suffix;
}

void MetricPlot::exportWithDialog(const QString& format) {
  const QString filter = format == "png" ? tr("PNG image (*.png)")
                         : format == "pdf" ? tr("PDF document (*.pdf)")
                                           : tr("CSV file (*.csv)");
  const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(title_), defaultFileName(format), filter);
  if (path.isEmpty()) return;
  if (format == "png") exportPng(path);
  else if (format == "pdf") exportPdf(path);
  else exportCsv(path);
}

namespace {
// Puts the run's id and settings into the plot title while an image is written.
class TitleWithContext {
public:
  TitleWithContext(QCPTextElement* title, const QString& context) : title_(title) {
    if (!title_ || context.isEmpty()) return;
    old_ = title_->text();
    // Wrapped to the plot's width: one long line was cut at both edges of the image.
    const int width = title_->parentPlot()->viewport().width() - 16;
    title_->setText(old_ + QStringLiteral("\n") + wrapToWidth(context, title_->font(), width));
  }
  ~TitleWithContext() {
    if (title_ && !old_.isEmpty()) title_->setText(old_);
  }

private:
  QCPTextElement* title_;
  QString old_;
};
}  // namespace

bool MetricPlot::exportPng(const QString& path) {
  flushNow();
  TitleWithContext title(titleElement_, exportContext_);
  const bool ok = plot_->savePng(path, 0, 0, 2.0);
  return ok;
}

bool MetricPlot::exportPdf(const QString& path) {
  flushNow();
  TitleWithContext title(titleElement_, exportContext_);
  return plot_->savePdf(path);
}

bool MetricPlot::exportCsv(const QString& path) const {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Text | QIODevice::Truncate)) return false;
  QTextStream out(&f);
  out << "# " << title_ << '\n';
  if (!exportContext_.isEmpty()) out << "# " << QString(exportContext_).replace('\n', ' ') << '\n';
  out << "# smoothed: EMA weight " << smoothing_ << " (sparse series unsmoothed)\n";
  out << "series,step,value,smoothed\n";
  for (const auto& s : series_) {
    EmaSmoother ema(s.smoothable ? smoothing_ : 0.0);
    for (int i = 0; i < s.x.size(); ++i)
      out << s.key << ',' << static_cast<qint64>(s.x[i]) << ',' << QString::number(s.y[i], 'g', 10) << ','
          << QString::number(ema.add(s.y[i]), 'g', 10) << '\n';
  }
  return out.status() == QTextStream::Ok;
}

}  // namespace iqlui
