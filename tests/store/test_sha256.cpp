// SHA-256 against the NIST FIPS 180-4 example vectors, incremental updates and file hashing.
#include <QtTest/QtTest>

#include <fstream>

#include "core/store/run_store.h"
#include "core/store/sha256.h"
#include "core/util/errors.h"

using iql::Sha256;

class TestSha256 : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void nistVectors() {
    QCOMPARE(Sha256::hex(""),
             std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(Sha256::hex("abc"),
             std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    // 448-bit message: padding spills into a second block
    QCOMPARE(Sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
             std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    QCOMPARE(Sha256::hex(std::string(1000000, 'a')),
             std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
  }

  void incrementalEqualsOneShot() {
    std::string msg;
    for (int i = 0; i < 1000; ++i) msg += char('a' + i % 26);
    const std::string expected = Sha256::hex(msg);
    for (std::size_t piece : {1u, 3u, 55u, 56u, 63u, 64u, 65u, 128u, 999u}) {
      Sha256 h;
      for (std::size_t at = 0; at < msg.size(); at += piece)
        h.update(msg.data() + at, std::min(piece, msg.size() - at));
      QCOMPARE(h.hex_digest(), expected);
    }
  }

  void fileHash() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("abc.bin").toStdString();
    { std::ofstream(path, std::ios::binary) << "abc"; }
    QCOMPARE(Sha256::hex_file(path),
             std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(iql::RunStore::sha256_file(path), Sha256::hex("abc"));

    const std::string big = dir.filePath("big.bin").toStdString();
    { std::ofstream(big, std::ios::binary) << std::string(200000, 'a'); }  // several read chunks
    QCOMPARE(Sha256::hex_file(big), Sha256::hex(std::string(200000, 'a')));

    QVERIFY_THROWS_EXCEPTION(iql::StoreError, Sha256::hex_file(dir.filePath("missing").toStdString()));
  }
};

QTEST_GUILESS_MAIN(TestSha256)
#include "test_sha256.moc"
