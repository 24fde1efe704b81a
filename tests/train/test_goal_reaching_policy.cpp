// D4RL's goal-reaching policy file: loads from resources, has the stated shapes, and its batched
// torch forward matches a forward written here in plain double loops over the same arrays (read
// with the NPZ reader); the policy input layout; clear errors for missing or damaged files.
#include <QtTest/QtTest>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

#include "core/data/npz_reader.h"
#include "core/train/goal_reaching_policy.h"
#include "core/util/errors.h"

using iql::GoalReachingPolicy;

namespace {

std::vector<double> arr(const std::map<std::string, iql::NpyArray>& a, const std::string& k) {
  const auto& x = a.at(k);
  std::vector<double> v(x.count());
  for (size_t i = 0; i < v.size(); ++i) v[i] = x.value(i);
  return v;
}

// y = W x + b with W [out, in]
std::vector<double> affine(const std::vector<double>& W, const std::vector<double>& b, const std::vector<double>& x) {
  std::vector<double> y(b);
  for (size_t o = 0; o < b.size(); ++o)
    for (size_t i = 0; i < x.size(); ++i) y[o] += W[o * x.size() + i] * x[i];
  return y;
}

}  // namespace

class TestGoalReachingPolicy : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void shapes() {
    const auto a = iql::read_npz_arrays(GoalReachingPolicy::default_path());
    QCOMPARE(static_cast<int>(a.size()), 8);
    QVERIFY(a.at("fc0.weight").shape == (std::vector<int64_t>{256, 29}));
    QVERIFY(a.at("fc1.weight").shape == (std::vector<int64_t>{256, 256}));
    QVERIFY(a.at("last_fc.weight").shape == (std::vector<int64_t>{8, 256}));
    QVERIFY(a.at("last_fc_log_std.bias").shape == (std::vector<int64_t>{8}));
    QCOMPARE(a.at("fc0.bias").descr, std::string("<f4"));
  }

  void forwardMatchesPlainLoops() {
    const GoalReachingPolicy p;
    const auto a = iql::read_npz_arrays(GoalReachingPolicy::default_path());
    const auto w0 = arr(a, "fc0.weight"), b0 = arr(a, "fc0.bias"), w1 = arr(a, "fc1.weight"), b1 = arr(a, "fc1.bias");
    const auto wm = arr(a, "last_fc.weight"), bm = arr(a, "last_fc.bias");
    const auto ws = arr(a, "last_fc_log_std.weight"), bs = arr(a, "last_fc_log_std.bias");
    const int n = 5;
    std::mt19937 rng(1);
    std::normal_distribution<float> N(0.f, 1.f);
    std::vector<float> in(n * 29), eps(n * 8);
    for (auto& v : in) v = N(rng);
    for (int i = 0; i < n; ++i) in[i * 29 + 27] = 10.f * (i - 2), in[i * 29 + 28] = 3.f;
    for (auto& v : eps) v = N(rng);
    std::vector<float> mean(n * 8), log_std(n * 8), sample(n * 8);
    p.forward(in.data(), n, mean.data(), log_std.data());
    p.sample(in.data(), n, eps.data(), sample.data());
    for (int r = 0; r < n; ++r) {
      std::vector<double> x(in.begin() + r * 29, in.begin() + (r + 1) * 29);
      auto h = affine(w0, b0, x);
      for (auto& v : h) v = std::max(v, 0.0);
      h = affine(w1, b1, h);
      for (auto& v : h) v = std::max(v, 0.0);
      const auto m = affine(wm, bm, h), s = affine(ws, bs, h);
      for (int j = 0; j < 8; ++j) {
        const double ls = std::min(2.0, std::max(-20.0, s[j]));
        QVERIFY2(std::abs(mean[r * 8 + j] - m[j]) < 1e-4 * (1 + std::abs(m[j])), qPrintable(QString::number(m[j])));
        QVERIFY(std::abs(log_std[r * 8 + j] - ls) < 1e-4 * (1 + std::abs(ls)));
        const double want = std::tanh(m[j] + std::exp(ls) * eps[r * 8 + j]);
        QVERIFY(std::abs(sample[r * 8 + j] - want) < 1e-4);
      }
    }
    // a row's output does not depend on the batch it is in
    std::vector<float> m1(8), s1(8);
    p.forward(in.data() + 3 * 29, 1, m1.data(), s1.data());
    for (int j = 0; j < 8; ++j) QVERIFY(std::abs(m1[j] - mean[3 * 8 + j]) < 1e-5);
  }

  void inputLayout() {
    std::vector<float> obs(29), in(29);
    for (int i = 0; i < 29; ++i) obs[i] = 0.5f * i;
    obs[0] = 1.0f, obs[1] = 2.0f;  // xy
    GoalReachingPolicy::make_input(obs.data(), 4.0, 6.0, in.data());  // waypoint - xy = (3, 4), |.| = 5
    for (int i = 0; i < 27; ++i) QCOMPARE(in[i], obs[2 + i]);
    QVERIFY(std::abs(in[27] - 6.0f) < 1e-6 && std::abs(in[28] - 8.0f) < 1e-6);  // rescaled to length 10
  }

  void clearErrors() {
    try {
      GoalReachingPolicy p("/nonexistent/goal_reaching_policy.npz");
      QFAIL("no error for a missing file");
    } catch (const iql::DataError& e) {
      QVERIFY(QString(e.what()).contains("/nonexistent/goal_reaching_policy.npz"));
      QVERIFY(QString(e.what()).contains("not found"));
    }
    // a truncated copy
    const QString tmp = QDir::temp().filePath("iql_truncated_policy.npz");
    {
      std::ifstream in(GoalReachingPolicy::default_path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), {});
      std::ofstream(tmp.toStdString(), std::ios::binary).write(bytes.data(), bytes.size() / 2);
    }
    QVERIFY_EXCEPTION_THROWN(GoalReachingPolicy p(tmp.toStdString()), iql::DataError);
    std::remove(tmp.toStdString().c_str());
  }
};

QTEST_APPLESS_MAIN(TestGoalReachingPolicy)
#include "test_goal_reaching_policy.moc"
