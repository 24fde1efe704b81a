# Run-time options for the ASan/UBSan build (sourced by sanitize-test.sh and ci-extra.sh).
_supp_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# detect_leaks: on, with suppressions for third-party libraries only (lsan.supp).
# new_delete_type_mismatch=0: not yet needed; set here if LibTorch (not instrumented) triggers it.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=0:detect_stack_use_after_return=0:${IQL_EXTRA_ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=${_supp_dir}/lsan.supp:print_suppressions=0"
# GCC 12's ASan allocator has no fork handlers: a child forked while another thread allocates can
# block forever on the allocator's lock (seen: test_ui_maze_view, a dataset loaded on a worker thread).
# So dataset files are read in-process here; test_data_crash_isolation turns the child check back on
# (it forks from a single thread). glibc's malloc, in the normal build, is fork-safe.
export IQL_NO_CRASH_ISOLATION=1
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=${_supp_dir}/ubsan.supp"
