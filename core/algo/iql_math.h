// The small formulas of IQL as pure tensor functions, so each can be tested against its closed form.
#pragma once
#include <torch/torch.h>

namespace iql::algo {

// Expectile regression weight |tau - 1(u < 0)| for residuals u = target - prediction.
torch::Tensor expectile_weight(const torch::Tensor& u, double tau);
// mean(|tau - 1(u<0)| u^2)
torch::Tensor expectile_loss(const torch::Tensor& u, double tau);
// AWR weights exp(beta * adv), clipped above at max_weight (official: 100).
torch::Tensor awr_weights(const torch::Tensor& adv, double beta, double max_weight = 100.0);
// Effective sample size of weights as a fraction of the batch: (sum w)^2 / (n * sum w^2).
torch::Tensor effective_sample_fraction(const torch::Tensor& w);
// Diagonal Gaussian log-density summed over the last dim; log_std is broadcast.
torch::Tensor gaussian_log_prob(const torch::Tensor& mean, const torch::Tensor& log_std, const torch::Tensor& x);
// target <- rate * online + (1 - rate) * target, in place.
void polyak_update(torch::Tensor& target, const torch::Tensor& online, double rate);
// optax.cosine_decay_schedule: base * 0.5 * (1 + cos(pi * min(step, total) / total)).
double cosine_decay(double base, int64_t step, int64_t total);
// The same schedule on tensors (the device path evaluates it without leaving the device): base and
// total [P], step a scalar; total must be > 0 where the result is used.
torch::Tensor cosine_decay(const torch::Tensor& base, const torch::Tensor& step, const torch::Tensor& total);

}  // namespace iql::algo
