// Include QCustomPlot through this header: ui/ builds with QT_NO_KEYWORDS (LibTorch uses the
// identifier `slots`), but qcustomplot.h itself writes `signals:` and `foreach`.
#pragma once
#include <QtCore/qglobal.h>
#include <QtCore/qforeach.h>

#ifndef signals
#define signals Q_SIGNALS
#define IQL_QCP_UNDEF_SIGNALS
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define IQL_QCP_UNDEF_FOREACH
#endif

#include <qcustomplot.h>

#ifdef IQL_QCP_UNDEF_SIGNALS
#undef signals
#undef IQL_QCP_UNDEF_SIGNALS
#endif
#ifdef IQL_QCP_UNDEF_FOREACH
#undef foreach
#undef IQL_QCP_UNDEF_FOREACH
#endif
