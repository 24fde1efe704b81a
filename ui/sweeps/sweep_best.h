// "Best so far" for the Sweeps tab's summary line, in the unit the heat map beside it shows: the
// D4RL-normalised score where the sweep's members have one, the evaluation return only where none
// does, and the line says which.
#pragma once
#include <QString>

#include "core/sweep/sweep_status.h"

namespace iqlui {

// Empty when no member has been evaluated yet.
QString bestSoFarText(const iql::SweepStatus& status);

}  // namespace iqlui
