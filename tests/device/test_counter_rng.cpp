// Counter-based streams: the tensor hash equals Wellons' lowbias32 computed here in plain uint32
// arithmetic; draws are a pure function of (key, counter, index); indices stay in range and are
// close to uniform; different keys or counters give different streams.
#include <QtTest/QtTest>

#include <torch/torch.h>

#include "core/device/counter_rng.h"

using namespace iql;

namespace {
uint32_t lowbias32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}
}  // namespace

class TestCounterRng : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void hashIsLowbias32() {
    std::vector<int64_t> xs{0, 1, 2, 12345, 0x7fffffff, 0x80000000LL, 0xdeadbeefLL, 0xffffffffLL};
    auto h = device::hash32(torch::tensor(xs, torch::kInt64));
    for (size_t i = 0; i < xs.size(); ++i)
      QCOMPARE(h[i].item<int64_t>(), static_cast<int64_t>(lowbias32(static_cast<uint32_t>(xs[i]))));
  }
  void drawsArePureFunctionsOfKeyAndCounter() {
    auto keys = torch::tensor(std::vector<int64_t>{device::stream_key(1, 7), device::stream_key(2, 7)});
    auto c5 = torch::full({}, int64_t{5}, torch::kInt64), c6 = torch::full({}, int64_t{6}, torch::kInt64);
    auto a = device::draw_bits(keys, c5, 100), b = device::draw_bits(keys, c5, 100);
    QVERIFY(a.equal(b));
    QVERIFY(!a[0].equal(a[1]));                              // members differ
    QVERIFY(!a.equal(device::draw_bits(keys, c6, 100)));     // steps differ
    QVERIFY(a.min().item<int64_t>() >= 0 && a.max().item<int64_t>() <= 0xffffffffLL);
    QVERIFY(device::stream_key(1, 7) != device::stream_key(1ULL << 32 | 1, 7));  // high seed bits count
  }
  // 200,000 indices in [0, 10): every bucket within 5 standard deviations of 20,000 (sd ~134).
  void indicesAreInRangeAndUniform() {
    auto keys = torch::tensor(std::vector<int64_t>{device::stream_key(42, 1)});
    auto idx = device::draw_indices(keys, torch::zeros({}, torch::kInt64), 200000, 10);
    QCOMPARE(idx.min().item<int64_t>(), int64_t{0});
    QCOMPARE(idx.max().item<int64_t>(), int64_t{9});
    auto counts = torch::bincount(idx.view({-1}));
    for (int i = 0; i < 10; ++i) QVERIFY2(std::abs(counts[i].item<int64_t>() - 20000) < 5 * 134, qPrintable(QString::number(counts[i].item<int64_t>())));
    auto u = device::draw_uniform(keys, torch::ones({}, torch::kInt64), 100000);
    QVERIFY(u.min().item<float>() >= 0.0f && u.max().item<float>() < 1.0f);
    QVERIFY(std::abs(u.mean().item<double>() - 0.5) < 0.005);  // sd of the mean ~0.0009
  }
};

QTEST_GUILESS_MAIN(TestCounterRng)
#include "test_counter_rng.moc"
