// The device a stored run trained on, read back from its 'runtime' events (core/device's facts:
// device, its name, CUDA version, graphs, matmul precision) for the places that describe a run.
#pragma once
#include <QString>
#include <vector>

#include "core/store/run_store.h"

namespace iqlui {

struct RunDeviceFacts {
  QString device;  // "cpu" or "cuda"; empty for runs stored before devices were recorded
  QString text;    // "cuda (NVIDIA H200, CUDA 12.4), graphs on, fp32" / "cpu (AMD EPYC 7B13)"
  bool known() const { return !device.isEmpty(); }
};

// From the latest 'runtime' event that names a device (a failed graph capture records a later one).
RunDeviceFacts runDeviceFacts(const std::vector<iql::EventRecord>& events);
// Opens the store read-only; never throws (unknown facts when the run cannot be read).
RunDeviceFacts runDeviceFacts(const QString& dbPath, qint64 runId);

}  // namespace iqlui
