#include "ui/plots/metric_names.h"

#include <QHash>
#include <QObject>

namespace iqlui {

QString metricDisplayName(const QString& key) {
  static const QHash<QString, const char*> names = {
      {QStringLiteral("v_loss"), QT_TRANSLATE_NOOP("metric", "V loss (expectile)")},
      {QStringLiteral("q_loss"), QT_TRANSLATE_NOOP("metric", "Q loss (TD)")},
      {QStringLiteral("actor_loss"), QT_TRANSLATE_NOOP("metric", "actor loss (AWR)")},
      {QStringLiteral("actor_lr"), QT_TRANSLATE_NOOP("metric", "actor learning rate")},
      {QStringLiteral("v_mean"), QT_TRANSLATE_NOOP("metric", "mean V(s)")},
      {QStringLiteral("q_mean"), QT_TRANSLATE_NOOP("metric", "mean Q(s,a)")},
      {QStringLiteral("q_target_mean"), QT_TRANSLATE_NOOP("metric", "mean target Q")},
      {QStringLiteral("adv_mean"), QT_TRANSLATE_NOOP("metric", "mean advantage A = Q − V")},
      {QStringLiteral("adv_std"), QT_TRANSLATE_NOOP("metric", "advantage std")},
      {QStringLiteral("adv_max"), QT_TRANSLATE_NOOP("metric", "largest advantage")},
      {QStringLiteral("awr_clip_frac"), QT_TRANSLATE_NOOP("metric", "AWR weights clipped (fraction of batch)")},
      {QStringLiteral("awr_ess"), QT_TRANSLATE_NOOP("metric", "AWR effective sample size / batch")},
      {QStringLiteral("awr_weight_mean"), QT_TRANSLATE_NOOP("metric", "mean AWR weight exp(βA)")},
      {QStringLiteral("policy_std"), QT_TRANSLATE_NOOP("metric", "policy std")},
      {QStringLiteral("online_episode_return"), QT_TRANSLATE_NOOP("metric", "online episode return")},
      {QStringLiteral("online_env_steps"), QT_TRANSLATE_NOOP("metric", "online environment steps")},
  };
  const auto it = names.constFind(key);
  if (it != names.constEnd()) return QObject::tr(it.value());
  return QString(key).replace(QLatin1Char('_'), QLatin1Char(' '));
}

}  // namespace iqlui
