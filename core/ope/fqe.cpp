#include "core/ope/fqe.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/nn/adam.h"
#include "core/nn/mlp.h"

namespace iql::ope {

namespace {
torch::Tensor floats(const std::vector<float>& v, std::vector<int64_t> shape) {
  return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat).clone();
}
}  // namespace

FqeResult fit_fqe(const FqeProblem& pr, const FqeSettings& s, const std::function<void(int64_t, int64_t)>& progress) {
  torch::NoGradGuard no_grad;  // hand-derived gradients (nn/mlp.h)
  const auto t0 = std::chrono::steady_clock::now();
  if (!pr.data) throw std::invalid_argument("fit_fqe: no dataset");
  const Dataset& d = *pr.data;
  const int64_t n = d.size(), o = d.obs_dim, a = d.act_dim, P = static_cast<int64_t>(pr.discount.size());
  const int64_t n0 = static_cast<int64_t>(pr.start_rows.size());
  if (P < 1 || n < 1 || n0 < 1) throw std::invalid_argument("fit_fqe: needs members, transitions and initial states");
  if (static_cast<int64_t>(pr.next_actions.size()) != P || static_cast<int64_t>(pr.start_actions.size()) != P)
    throw std::invalid_argument("fit_fqe: one set of policy actions per member expected");
  for (int64_t p = 0; p < P; ++p)
    if (static_cast<int64_t>(pr.next_actions[p].size()) != n * a ||
        static_cast<int64_t>(pr.start_actions[p].size()) != n0 * a)
      throw std::invalid_argument("fit_fqe: policy actions of member " + std::to_string(p) + " have the wrong size");

  // FQE's own input normalisation: dataset mean/std (std + 1e-3), shared by every member.
  auto obs = floats(d.observations, {n, o}), next_obs = floats(d.next_observations, {n, o});
  const auto mu = obs.mean(0), sd = obs.std(0, false) + 1e-3;
  obs = (obs - mu) / sd;
  next_obs = (next_obs - mu) / sd;
  const auto act = floats(d.actions, {n, a});
  const auto rew = floats(d.rewards, {n});
  const auto not_done = 1.0 - torch::from_blob(const_cast<uint8_t*>(d.terminals.data()), {n}, torch::kUInt8)
                                  .to(torch::kFloat);
  auto next_act = torch::empty({P * n, a});
  for (int64_t p = 0; p < P; ++p) next_act.narrow(0, p * n, n).copy_(floats(pr.next_actions[p], {n, a}));

  // Targets are learnt in units where values are O(1): rewards times (1 - gamma) / mean|r|, the step
  // count head times (1 - gamma). Both are undone on the way out.
  double gmin = 1.0;
  std::vector<float> gam;
  for (double g : pr.discount) {
    if (!(g > 0.0 && g < 1.0)) throw std::invalid_argument("fit_fqe: discount must lie in (0, 1)");
    gmin = std::min(gmin, g);
    gam.push_back(static_cast<float>(g));
  }
  const auto gamma = torch::tensor(gam).view({P, 1});
  const double mean_abs_r = rew.abs().mean().item<double>();
  const double k_r = (1.0 - gmin) / std::max(mean_abs_r, 1e-8), k_s = 1.0 - gmin;

  std::vector<at::Generator> gens;
  for (int64_t p = 0; p < P; ++p) gens.push_back(at::make_generator<at::CPUGeneratorImpl>(s.seed + 1000003ULL * p));
  auto sampler = at::make_generator<at::CPUGeneratorImpl>(s.seed ^ 0x9e3779b97f4a7c15ULL);
  nn::Mlp q({o + a, s.hidden, s.hidden, 2}, P), target({o + a, s.hidden, s.hidden, 2}, P);
  q.reset_parameters(std::sqrt(2.0), &gens, 1);
  target.copy_from(q);
  nn::FlatAdam adam(q.num_parameters(), s.lr);
  const auto member_offset = (torch::arange(P, torch::kLong) * n).view({P, 1});

  const int64_t B = s.batch, tail_from = s.steps - std::max<int64_t>(1, s.steps / 10);
  auto td_sq = torch::zeros({P});
  int64_t td_count = 0;
  for (int64_t step = 0; step < s.steps; ++step) {
    auto idx = torch::randint(n, {P, B}, sampler, torch::kLong);
    auto flat = idx.view({-1});
    auto sa = torch::cat({obs.index_select(0, flat).view({P, B, o}), act.index_select(0, flat).view({P, B, a})}, 2);
    auto nsa = torch::cat({next_obs.index_select(0, flat).view({P, B, o}),
                           next_act.index_select(0, (idx + member_offset).view({-1})).view({P, B, a})}, 2);
    auto qt = target.forward(nsa, false);  // [P, B, 2]
    auto cont = gamma * not_done.index_select(0, flat).view({P, B});
    auto y = torch::stack({rew.index_select(0, flat).view({P, B}) * k_r + cont * qt.select(2, 0),
                           k_s + cont * qt.select(2, 1)}, 2);
    auto diff = q.forward(sa, true) - y;
    q.backward(diff * (2.0 / B));
    adam.step_with_polyak(q.params(), q.grad(), target.params(), s.polyak);
    if (step >= tail_from) {
      td_sq += diff.select(2, 0).pow(2).mean(1);
      ++td_count;
    }
    if (progress && (step + 1) % 1000 == 0) progress(step + 1, s.steps);
  }

  // Read-out at the initial states with the online network.
  auto starts = torch::tensor(pr.start_rows, torch::kLong);
  auto s0 = obs.index_select(0, starts);  // [n0, o]
  auto a0 = torch::empty({P, n0, a});
  for (int64_t p = 0; p < P; ++p) a0[p].copy_(floats(pr.start_actions[p], {n0, a}));
  auto v0 = q.forward(torch::cat({s0.unsqueeze(0).expand({P, n0, o}), a0}, 2), false).to(torch::kDouble);
  auto values = (v0.select(2, 0) / k_r).contiguous(), counts = (v0.select(2, 1) / k_s).contiguous();
  auto td = (td_sq / std::max<int64_t>(td_count, 1)).sqrt() / k_r;

  FqeResult r;
  r.steps = s.steps;
  r.batch = B;
  for (int64_t p = 0; p < P; ++p) {
    FqeMemberEstimate m;
    const double* vp = values[p].data_ptr<double>();
    const double* cp = counts[p].data_ptr<double>();
    m.per_start.assign(vp, vp + n0);
    m.survival_per_start.assign(cp, cp + n0);
    m.value = values[p].mean().item<double>();
    m.survival = counts[p].mean().item<double>();
    m.td_rms = td[p].item<double>();
    r.members.push_back(std::move(m));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace iql::ope
