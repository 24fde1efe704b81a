#include "ui/sweeps/sweep_best.h"

#include <QCoreApplication>

namespace iqlui {

QString bestSoFarText(const iql::SweepStatus& status) {
  const iql::MemberProgress* byScore = nullptr;
  const iql::MemberProgress* byReturn = nullptr;
  for (const auto& t : status.tasks)
    for (const auto& m : t.members) {
      if (m.last_score && (!byScore || *m.last_score > *byScore->last_score)) byScore = &m;
      if (m.last_return && (!byReturn || *m.last_return > *byReturn->last_return)) byReturn = &m;
    }
  auto tr = [](const char* s) { return QCoreApplication::translate("SweepsView", s); };
  if (byScore) {
    QString text = tr("best so far (normalised score): %1 at %2").arg(*byScore->last_score, 0, 'f', 1)
                       .arg(QString::fromStdString(byScore->point));
    if (byScore->last_return) text += tr(" (return %1)").arg(*byScore->last_return, 0, 'f', 1);
    return text;
  }
  if (byReturn)
    return tr("best so far (return; no normalised score for this environment): %1 at %2")
        .arg(*byReturn->last_return, 0, 'f', 1)
        .arg(QString::fromStdString(byReturn->point));
  return {};
}

}  // namespace iqlui
