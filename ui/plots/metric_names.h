// Readable names of stored metric keys for menus and axis labels ("awr_clip_frac" -> "AWR weights
// clipped (fraction of batch)"). Unknown keys come back with underscores as spaces.
#pragma once
#include <QString>

namespace iqlui {

QString metricDisplayName(const QString& key);

}  // namespace iqlui
