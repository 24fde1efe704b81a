// The loaded BLAS library's name from its path: Debian's alternatives put each implementation in its
// own folder, and the reference BLAS (any other libblas) is the slow one the app warns about.
#include <QtTest/QtTest>

#include "core/runtime/blas_library.h"

using namespace iql::runtime;

class TestBlasLibrary : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void namesDebianAlternatives() {
    QCOMPARE(blas_library_name("/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3"), std::string("openblas-openmp"));
    QCOMPARE(blas_library_name("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"), std::string("openblas-pthread"));
    QCOMPARE(blas_library_name("/opt/lib/libopenblas.so.0"), std::string("openblas"));
    QCOMPARE(blas_library_name("/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3"), std::string("blis"));
    QCOMPARE(blas_library_name("/usr/lib/x86_64-linux-gnu/atlas/libblas.so.3"), std::string("atlas"));
    QCOMPARE(blas_library_name("/opt/intel/mkl/lib/libblas.so.3"), std::string("mkl"));
  }

  void anyOtherLibraryIsTheReference() {
    QCOMPARE(blas_library_name("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"),
             std::string("reference (slow: install libopenblas0-openmp)"));
    QCOMPARE(blas_library_name(""), std::string("unknown"));
  }
};

QTEST_GUILESS_MAIN(TestBlasLibrary)
#include "test_blas_library.moc"
