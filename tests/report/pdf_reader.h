// Reads a PDF back with an independent reader, poppler-utils (pdfinfo, pdftotext, pdftoppm): what a
// user's viewer sees, not what the writer meant to write. packaging/install-deps.sh installs it.
#pragma once
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace pdf_reader {

inline bool available() {
  return !QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty() &&
         !QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty();
}

// stdout of the tool; `ok` false (with stderr in `error`) when it fails or exits non-zero.
inline QString run(const QString& program, const QStringList& args, bool* ok = nullptr, QString* error = nullptr) {
  QProcess p;
  p.start(program, args);
  const bool finished = p.waitForFinished(60000);
  const bool good = finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
  if (ok) *ok = good;
  if (error) *error = QString::fromLocal8Bit(p.readAllStandardError());
  return QString::fromUtf8(p.readAllStandardOutput());
}

// pdfinfo's "Pages:" line; -1 when pdfinfo rejects the file.
inline int pages(const QString& file, QString* error = nullptr) {
  bool ok = false;
  const QString info = run(QStringLiteral("pdfinfo"), {file}, &ok, error);
  if (!ok) return -1;
  const auto m = QRegularExpression(QStringLiteral("^Pages:\\s+(\\d+)"), QRegularExpression::MultilineOption).match(info);
  return m.hasMatch() ? m.captured(1).toInt() : -1;
}

// pdfinfo's whole report (page size, title, "Syntax Error" lines go to stderr).
inline QString info(const QString& file, QString* error = nullptr) {
  return run(QStringLiteral("pdfinfo"), {file}, nullptr, error);
}

// The text of page n (1-based) in pdftotext's reading order; stderr (syntax errors) in `error`.
inline QString pageText(const QString& file, int n, QString* error = nullptr) {
  return run(QStringLiteral("pdftotext"),
             {QStringLiteral("-f"), QString::number(n), QStringLiteral("-l"),
              QString::number(n), file, QStringLiteral("-")},
             nullptr, error);
}

}  // namespace pdf_reader
