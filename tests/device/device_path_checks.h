// Checks shared by the device-path tests on the CPU (test_device_path_*) and on a GPU (test_gpu_*):
// the same function runs with device = CPU (the device path's batched kernels and device-side streams,
// without a GPU) or CUDA. Each builds its reference independently: the ordinary CPU path of the same
// agent, or one-member runs beside a population.
#pragma once
#include <QtTest/QtTest>

#include <torch/torch.h>
#include <torch/serialize.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/algo/bc.h"
#include "core/algo/iql.h"
#include "core/data/dataset.h"
#include "core/train/run_data.h"
#include "core/train/device_sampler.h"
#include "core/train/trainer.h"

namespace device_checks {

using namespace iql;

inline algo::AgentHyperparameters small_hp(bool corl, double tau, double beta) {
  algo::AgentHyperparameters h;
  h.corl = corl;
  h.expectile = tau;
  h.temperature = beta;
  h.hidden = 32;
  h.cosine_steps = 50;  // the schedule visibly moves within a test
  return h;
}

// A random [P, B, ...] batch (or [B, ...] with P = 0) from a fixed stream, on the CPU.
inline algo::Batch random_batch(int64_t P, int64_t B, int64_t o, int64_t a, uint64_t seed) {
  auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto shape = [&](std::vector<int64_t> tail) {
    if (P > 0) tail.insert(tail.begin(), P);
    return tail;
  };
  algo::Batch b;
  b.obs = torch::randn(shape({B, o}), g);
  b.act = torch::rand(shape({B, a}), g) * 2 - 1;
  b.rew = torch::randn(shape({B}), g);
  b.next_obs = torch::randn(shape({B, o}), g);
  b.terminal = (torch::rand(shape({B}), g) < 0.1).to(torch::kFloat);
  return b;
}

inline algo::Batch to(const algo::Batch& b, const torch::Device& d) {
  return {b.obs.to(d), b.act.to(d), b.rew.to(d), b.next_obs.to(d), b.terminal.to(d)};
}

// |x - y| <= rtol * |y| + atol elementwise, on the CPU; names the tensor and the worst element.
inline void expect_close(const std::string& what, const torch::Tensor& x_in, const torch::Tensor& y_in, double rtol,
                         double atol = 1e-7) {
  auto x = x_in.to(torch::kCPU).to(torch::kFloat64), y = y_in.to(torch::kCPU).to(torch::kFloat64);
  QCOMPARE(x.sizes().vec(), y.sizes().vec());
  auto excess = (x - y).abs() - (y.abs() * rtol + atol);
  const double worst = excess.max().item<double>();
  if (worst > 0) {
    const auto i = excess.argmax().item<int64_t>();
    QFAIL(qPrintable(QString("%1: element %2 is %3, expected %4 within rtol %5")
                         .arg(QString::fromStdString(what)).arg(i)
                         .arg(x.view({-1})[i].item<double>(), 0, 'g', 9).arg(y.view({-1})[i].item<double>(), 0, 'g', 9)
                         .arg(rtol)));
  }
}

inline std::vector<std::pair<std::string, torch::Tensor>> iql_params(algo::Iql& a) {
  return {{"value", a.value().params()},
          {"critic", a.critic().params()},
          {"target_critic", a.target_critic().params()},
          {"actor", a.policy().trunk().params()},
          {"log_std", a.policy().log_std()}};
}

// One update of the ordinary CPU path against the same update on the device path from identical
// weights and an identical batch, for P = 1 (a [B, ...] batch) and a population of 3 with different
// tau and beta. Three steps, so Adam's moments and the cosine schedule take part.
inline void iql_update_matches(const torch::Device& dev, bool corl, double rtol) {
  for (int64_t P : {1, 3}) {
    std::vector<algo::AgentHyperparameters> hp;
    for (int64_t k = 0; k < P; ++k) hp.push_back(small_hp(corl, 0.6 + 0.1 * k, 1.0 + 2.0 * k));
    std::vector<at::Generator> g1, g2;
    for (int64_t k = 0; k < P; ++k) {
      g1.push_back(at::make_generator<at::CPUGeneratorImpl>(10 + k));
      g2.push_back(at::make_generator<at::CPUGeneratorImpl>(10 + k));
    }
    algo::Iql host(7, 3, hp, &g1), dev_agent(7, 3, hp, &g2);
    dev_agent.to_device(dev, {10, 11, 12});
    for (int step = 0; step < 3; ++step) {
      auto b = random_batch(P == 1 ? 0 : P, 64, 7, 3, 100 + step);
      auto m_host = host.update_members(b, true);
      auto db = to(b, dev);
      if (P == 1) db = {db.obs.unsqueeze(0), db.act.unsqueeze(0), db.rew.unsqueeze(0), db.next_obs.unsqueeze(0),
                        db.terminal.unsqueeze(0)};
      dev_agent.device_update(db);
      dev_agent.finish_device_step();
      auto m_dev = dev_agent.device_metrics();
      for (int64_t k = 0; k < P; ++k)
        for (size_t i = 0; i < m_host[k].size(); ++i) {
          QCOMPARE(m_dev[k][i].first, m_host[k][i].first);
          const double x = m_dev[k][i].second, y = m_host[k][i].second;
          QVERIFY2(std::abs(x - y) <= 1e-3 * std::abs(y) + 1e-5,
                   qPrintable(QString("%1 of member %2: %3 vs %4").arg(m_host[k][i].first.c_str()).arg(k).arg(x).arg(y)));
        }
    }
    auto hp_list = iql_params(host), dp_list = iql_params(dev_agent);
    for (size_t i = 0; i < hp_list.size(); ++i)
      expect_close(hp_list[i].first + " (P=" + std::to_string(P) + ")", dp_list[i].second, hp_list[i].second, rtol);
    QCOMPARE(dev_agent.updates(), host.updates());
    QCOMPARE(dev_agent.value().params().device().type(), dev.type());
  }
}

inline void bc_update_matches(const torch::Device& dev, double rtol) {
  for (int64_t P : {1, 2}) {
    std::vector<algo::AgentHyperparameters> hp(P, small_hp(false, 0.7, 3.0));
    std::vector<at::Generator> g1, g2;
    for (int64_t k = 0; k < P; ++k) {
      g1.push_back(at::make_generator<at::CPUGeneratorImpl>(20 + k));
      g2.push_back(at::make_generator<at::CPUGeneratorImpl>(20 + k));
    }
    algo::BehaviourCloning host(7, 3, hp, &g1), dev_agent(7, 3, hp, &g2);
    dev_agent.to_device(dev, {20, 21});
    for (int step = 0; step < 3; ++step) {
      auto b = random_batch(P, 64, 7, 3, 200 + step);
      host.update_members(b, false);
      dev_agent.device_update(to(b, dev));
      dev_agent.finish_device_step();
    }
    expect_close("bc actor", dev_agent.policy().trunk().params(), host.policy().trunk().params(), rtol);
    expect_close("bc log_std", dev_agent.policy().log_std(), host.policy().log_std(), rtol);
  }
}

inline TrainConfig small_config(uint64_t seed, const std::string& device) {
  TrainConfig c;
  c.dataset = "pendulum-medium";
  c.env = "pendulum";
  c.hidden = 32;
  c.batch_size = 64;
  c.steps = 1000;
  c.seed = seed;
  c.threads = 1;
  c.device = device;
  return c;
}

// A member's networks as they stand, read back from its checkpoint (the public, device-free view).
inline std::vector<std::pair<std::string, torch::Tensor>> member_state(const Trainer& t, int64_t k,
                                                                       const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/member-" + std::to_string(k) + ".pt";
  t.save_member_checkpoint(k, path);
  torch::serialize::InputArchive ar;
  ar.load_from(path);
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const char* key : {"iql.value", "iql.critic", "iql.target_critic", "iql.actor", "iql.log_std"}) {
    torch::Tensor x;
    ar.read(key, x);
    out.push_back({key, x});
  }
  return out;
}

inline std::unique_ptr<Trainer> trainer(const std::vector<TrainConfig>& ms, const Dataset& data, bool cpu_path) {
  return std::make_unique<Trainer>(prepare_run_data(ms, data), DevicePlacement{cpu_path});
}

inline void expect_same_state(const std::string& what, const Trainer& a, int64_t ka, const Trainer& b, int64_t kb,
                              const std::string& dir, double rtol, double atol = 1e-7) {
  auto sa = member_state(a, ka, dir + "/a"), sb = member_state(b, kb, dir + "/b");
  for (size_t i = 0; i < sa.size(); ++i) expect_close(what + " " + sa[i].first, sa[i].second, sb[i].second, rtol, atol);
}

// A population of 4 on the device path against 4 one-member device-path runs with the same seeds: each
// member draws its own batches (its own counter stream) and trains on its own hyperparameters. A live
// beta change to member 2 at step 15 reaches member 2 only (a population without it keeps members 0, 1
// and 3 exactly).
inline void population_matches_singles(const Dataset& data, const std::string& device, bool cpu_path, double rtol,
                                       const std::string& dir) {
  std::vector<TrainConfig> ms;
  for (int k = 0; k < 4; ++k) {
    auto c = small_config(1 + k, device);
    c.expectile = 0.6 + 0.1 * k;
    c.temperature = 1.0 + 3.0 * k;
    ms.push_back(c);
  }
  auto pop = trainer(ms, data, cpu_path), unchanged = trainer(ms, data, cpu_path);
  std::vector<std::unique_ptr<Trainer>> singles;
  for (const auto& c : ms) singles.push_back(trainer({c}, data, cpu_path));
  for (int step = 1; step <= 30; ++step) {
    if (step == 15) {
      pop->set_hyperparameter("temperature", 20.0, 2);
      singles[2]->set_hyperparameter("temperature", 20.0);
    }
    pop->step_members(false);
    unchanged->step_members(false);
    for (auto& s : singles) s->step(false);
  }
  for (int k = 0; k < 4; ++k) {
    QCOMPARE(pop->member_config(k).temperature, k == 2 ? 20.0 : ms[k].temperature);
    expect_same_state("member " + std::to_string(k) + " vs its single run", *pop, k, *singles[k], 0, dir, rtol);
    if (k != 2) expect_same_state("member " + std::to_string(k) + " untouched by the change", *pop, k, *unchanged, k, dir, 0.0, 0.0);
  }
  auto changed = member_state(*pop, 2, dir + "/c"), before = member_state(*unchanged, 2, dir + "/d");
  QVERIFY2((changed[3].second - before[3].second).abs().max().item<double>() > 1e-6,
           "the live beta change did not reach member 2's actor");
}

// Save a device-path checkpoint after 10 steps, go on 10 more; a fresh trainer that loads it and takes
// the same 10 steps ends in exactly the same state (batch stream, Adam counts, schedule restored).
inline void checkpoint_resumes_exactly(const Dataset& data, const std::string& device, bool cpu_path,
                                       const std::string& dir) {
  auto c = small_config(7, device);
  auto a = trainer({c}, data, cpu_path);
  for (int i = 0; i < 10; ++i) a->step(false);
  const std::string path = dir + "/resume.pt";
  a->save_checkpoint(path);
  for (int i = 0; i < 10; ++i) a->step(false);
  auto b = trainer({c}, data, cpu_path);
  b->load_checkpoint(path);
  QCOMPARE(b->step_count(), int64_t{10});
  for (int i = 0; i < 10; ++i) b->step(false);
  expect_same_state("resumed", *b, 0, *a, 0, dir, 0.0, 0.0);
}

}  // namespace device_checks
