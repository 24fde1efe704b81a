// Runs > Study report...: the study report (core/report/study_report.h) of the runs the tab shows (every
// run of its store), written as a PDF with the same pages `iql runs report` writes; the footer of each
// page carries that equivalent command.
#pragma once
#include <QString>

namespace iqlui {

// "<store name>-study.pdf" in the home folder.
QString suggestedStudyReportFile(const QString& storePath);
QString studyReportFilter();
// Writes the report; returns the line to show ("Wrote the study report of 12 runs (6 pages) to ...").
// Throws iql::UserError (no run with a score, unwritable file) with a message to show.
QString writeStoreStudyReport(const QString& storePath, const QString& outPath);

}  // namespace iqlui
