#include <cstdio>
#include "core/bench/update_bench.h"
int main() { auto r = iql::bench_update({}); std::printf("%s", r.to_text().c_str()); }
