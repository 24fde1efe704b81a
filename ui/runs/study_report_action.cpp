#include "ui/runs/study_report_action.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>

#include "core/report/study_report.h"

namespace iqlui {

QString suggestedStudyReportFile(const QString& storePath) {
  return QDir::home().filePath(QStringLiteral("%1-study.pdf").arg(QFileInfo(storePath).completeBaseName()));
}

QString studyReportFilter() { return QObject::tr("PDF (*.pdf)"); }

QString writeStoreStudyReport(const QString& storePath, const QString& outPath) {
  iql::report::StudyReportOptions options;
  options.stores = {storePath.toStdString()};
  const auto result = iql::report::write_study_report(options, outPath.toStdString());
  return QObject::tr("Wrote the study report (%1 pages) to %2").arg(result.pages).arg(QDir::toNativeSeparators(outPath));
}

}  // namespace iqlui
