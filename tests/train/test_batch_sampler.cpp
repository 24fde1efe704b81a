// BatchSampler: the packed row layout [obs | act | next_obs | reward | terminal] read back field by
// field, uniform draws with replacement that stay within the dataset's rows, one seed giving one
// stream (also for a sampler sharing another's data, and for population members drawn together),
// and the RNG state a checkpoint stores putting the stream back where it was. Row i of the dataset is
// built from i alone so that every sampled row can be checked against its own index.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <set>

#include "core/train/batch_sampler.h"

using namespace iql;
using iql::train::BatchSampler;

namespace {

// Row i: obs (i, 10 + i), action 100 + i, next obs (i + 1, 11 + i), reward i / 2, terminal at i = 4.
Dataset five_rows() {
  Dataset d;
  d.source = "five";
  d.obs_dim = 2;
  d.act_dim = 1;
  for (int i = 0; i < 5; ++i) {
    d.observations.insert(d.observations.end(), {float(i), 10.0f + i});
    d.actions.push_back(100.0f + i);
    d.next_observations.insert(d.next_observations.end(), {float(i + 1), 11.0f + i});
    d.rewards.push_back(0.5f * i);
    d.terminals.push_back(i == 4);
    d.timeouts.push_back(0);
  }
  return d;
}

bool equal(const algo::Batch& a, const algo::Batch& b) {
  return torch::equal(a.obs, b.obs) && torch::equal(a.act, b.act) && torch::equal(a.next_obs, b.next_obs) &&
         torch::equal(a.rew, b.rew) && torch::equal(a.terminal, b.terminal);
}

// Every row of a [B, ...] batch is a whole dataset row i (not fields of different rows); returns the i's.
std::vector<int> row_ids(const algo::Batch& b) {
  std::vector<int> ids;
  const auto obs = b.obs.contiguous(), act = b.act.contiguous(), nxt = b.next_obs.contiguous();
  for (int64_t k = 0; k < b.obs.size(0); ++k) {
    const float i = obs[k][0].item<float>();
    const bool whole = i == std::floor(i) && i >= 0 && i <= 4 && obs[k][1].item<float>() == 10 + i &&
                       act[k][0].item<float>() == 100 + i && nxt[k][0].item<float>() == i + 1 &&
                       nxt[k][1].item<float>() == 11 + i && b.rew[k].item<float>() == 0.5f * i &&
                       b.terminal[k].item<float>() == (i == 4 ? 1.0f : 0.0f);
    if (!whole) return {};
    ids.push_back(static_cast<int>(i));
  }
  return ids;
}

}  // namespace

class TestBatchSampler : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void rowsReadBackFieldByField() {
    const Dataset d = five_rows();
    BatchSampler s(d, 1);
    QCOMPARE(s.size(), int64_t(5));
    const algo::Batch b = s.rows({4, 0, 2});
    QCOMPARE(b.obs.sizes().vec(), (std::vector<int64_t>{3, 2}));
    QCOMPARE(b.act.sizes().vec(), (std::vector<int64_t>{3, 1}));
    QCOMPARE(b.next_obs.sizes().vec(), (std::vector<int64_t>{3, 2}));
    QCOMPARE(b.rew.sizes().vec(), (std::vector<int64_t>{3}));
    QCOMPARE(b.terminal.sizes().vec(), (std::vector<int64_t>{3}));
    QVERIFY(torch::equal(b.obs, torch::tensor({4.0f, 14.0f, 0.0f, 10.0f, 2.0f, 12.0f}).view({3, 2})));
    QVERIFY(torch::equal(b.act, torch::tensor({104.0f, 100.0f, 102.0f}).view({3, 1})));
    QVERIFY(torch::equal(b.next_obs, torch::tensor({5.0f, 15.0f, 1.0f, 11.0f, 3.0f, 13.0f}).view({3, 2})));
    QVERIFY(torch::equal(b.rew, torch::tensor({2.0f, 0.0f, 1.0f})));
    QVERIFY(torch::equal(b.terminal, torch::tensor({1.0f, 0.0f, 0.0f})));
  }

  // 1000 draws from 5 rows (with replacement): each a whole row, every row drawn, none far from 200.
  void uniformWithReplacementWithinTheRows() {
    const Dataset d = five_rows();
    BatchSampler s(d, 3);
    const std::vector<int> ids = row_ids(s.sample(1000));
    QCOMPARE(ids.size(), size_t(1000));
    int count[5] = {};
    for (int i : ids) ++count[i];
    for (int i = 0; i < 5; ++i) QVERIFY2(count[i] > 150 && count[i] < 250, qPrintable(QString::number(count[i])));
  }

  void oneSeedOneStream() {
    const Dataset d = five_rows();
    BatchSampler a(d, 42), b(d, 42), c(d, 43);
    BatchSampler shared(a, 42);  // a's rows, its own stream from seed 42
    for (int round = 0; round < 3; ++round) {
      const algo::Batch x = a.sample(64), y = b.sample(64), z = c.sample(64), w = shared.sample(64);
      QVERIFY(equal(x, y));
      QVERIFY(equal(x, w));
      QVERIFY(!equal(x, z));  // 5^-64 odds of a coincidence
    }
  }

  // Members drawn together give the [P, B, ...] stack of what each would have drawn alone.
  void membersDrawTheirOwnBatches() {
    const Dataset d = five_rows();
    BatchSampler m0(d, 1);
    BatchSampler m1(m0, 2);
    const algo::Batch both = BatchSampler::sample_members({&m0, &m1}, 16);
    QCOMPARE(both.obs.sizes().vec(), (std::vector<int64_t>{2, 16, 2}));
    QCOMPARE(both.rew.sizes().vec(), (std::vector<int64_t>{2, 16}));
    BatchSampler alone0(d, 1), alone1(d, 2);
    const algo::Batch a0 = alone0.sample(16), a1 = alone1.sample(16);
    QVERIFY(torch::equal(both.obs[0], a0.obs) && torch::equal(both.obs[1], a1.obs));
    QVERIFY(torch::equal(both.act[1], a1.act) && torch::equal(both.terminal[0], a0.terminal));
  }

  void rngStateRestoresTheStream() {
    const Dataset d = five_rows();
    BatchSampler a(d, 5);
    a.sample(10);
    const std::string state = a.rng_state();
    const algo::Batch next = a.sample(32);
    a.set_rng_state(state);
    QVERIFY(equal(a.sample(32), next));
    BatchSampler other(d, 99);
    other.set_rng_state(state);
    QVERIFY(equal(other.sample(32), next));
  }

  // A damaged state (a corrupt checkpoint) is refused and leaves the stream as it was.
  void damagedRngStateIsRefused() {
    const Dataset d = five_rows();
    BatchSampler a(d, 5), fresh(d, 5);
    QVERIFY_EXCEPTION_THROWN(a.set_rng_state("12 34 not-a-number"), std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(a.set_rng_state(""), std::invalid_argument);
    QVERIFY(equal(a.sample(32), fresh.sample(32)));
  }
};

QTEST_GUILESS_MAIN(TestBatchSampler)
#include "test_batch_sampler.moc"
