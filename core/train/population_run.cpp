#include "core/train/population_run.h"

namespace iql {

PopulationOutcome run_population(const std::vector<TrainConfig>& members, const PopulationOptions& opt,
                                 RunControl& control, const PopulationCallbacks& cb) {
  StoredRunRequest rq;
  rq.members = members;
  rq.population = true;
  rq.db_path = opt.db_path;
  rq.checkpoint_dir = opt.checkpoint_dir;
  rq.resume_population = opt.resume_population;
  rq.steps_override = opt.steps_override;
  rq.tags = opt.tags;
  rq.member_names = opt.member_names;
  rq.member_tags = opt.member_tags;
  return run_stored(rq, control, cb);
}

}  // namespace iql
