// The PDF writer (core/report/pdf_document.h) read back by poppler (pdfinfo, pdftotext): page count
// and sizes, text with the characters a PDF string must escape ( ) \ and WinAnsi's accented letters,
// a byte-exact cross-reference table (every offset points at its "N 0 obj"), and the Helvetica widths
// against Adobe's AFM values worked out by hand.
#include <QtTest/QtTest>

#include <QTemporaryDir>
#include <cmath>
#include <string>

#include "core/report/pdf_document.h"
#include "core/util/errors.h"
#include "tests/report/pdf_reader.h"

using namespace iql::report;

class TestPdfDocument : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    if (!pdf_reader::available()) QFAIL("pdfinfo/pdftotext missing: install poppler-utils (packaging/install-deps.sh)");
  }

  void escapesSpecialCharacters() {
    QCOMPARE(PdfDocument::pdf_string("a(b)c\\d"), std::string("(a\\(b\\)c\\\\d)"));
    // UTF-8 e-acute and plus-minus are WinAnsi 0xE9 and 0xB1, written as octal escapes
    QCOMPARE(PdfDocument::pdf_string("\xC3\xA9\xC2\xB1"), std::string("(\\351\\261)"));
    // the en dash is WinAnsi 0x96; Greek tau has no WinAnsi byte
    QCOMPARE(PdfDocument::to_winansi("\xE2\x80\x93"), std::string("\x96"));
    QCOMPARE(PdfDocument::to_winansi("\xCF\x84=0.7"), std::string("?=0.7"));
  }

  void textWidthsFollowHelveticaMetrics() {
    // "Hi" in Helvetica: H 722 + i 222 = 944 units; at 10 pt 9.44 pt. Bold: 722 + 278 = 1000.
    QCOMPARE(PdfDocument::text_width("Hi", 10.0), 9.44);
    QCOMPARE(PdfDocument::text_width("Hi", 10.0, Font::bold), 10.0);
    // elide keeps the longest prefix that fits with "...": "abc..." = 556*3 + 278*3 = 2502 units
    QCOMPARE(PdfDocument::elide("abcdef", 10.0, 25.1), std::string("abc..."));
    QCOMPARE(PdfDocument::elide("ab", 10.0, 25.1), std::string("ab"));
    const auto lines = PdfDocument::wrap("one two three four", 10.0, 45.0);
    // "one two" = 1668 + 278 + 1556 = 3502 units (35.0 pt) fits 45 pt; adding " three" (+2557) does not;
    // "three four" = 2279 + 278 + 1723 = 4280 units (42.8 pt) fits
    QCOMPARE(int(lines.size()), 2);
    QCOMPARE(lines[0], std::string("one two"));
    QCOMPARE(lines[1], std::string("three four"));
  }

  void pagesAndTextReadBack() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("doc.pdf"));
    PdfDocument doc("Escapes (title) \\ test");
    doc.begin_page(PageSize::a4_landscape);
    doc.text(40, 60, "Runs (1) \\ #7 caf\xC3\xA9 \xC2\xB1 2.5", 12.0);
    doc.set_stroke(rgb255(200, 30, 30));
    doc.line(40, 80, 300, 80);
    doc.polyline({{40, 100}, {80, 140}, {120, 90}});
    doc.fill_rect(40, 200, 50, 20, rgb255(30, 120, 200));
    doc.fill_polygon({{100, 200}, {150, 200}, {125, 240}}, rgb255(100, 100, 100));
    doc.push_clip(200, 200, 30, 30);
    doc.stroke_rect(190, 190, 60, 60);
    doc.pop_clip();
    doc.text(300, 300, "rotated axis title", 9.0, Font::bold, Align::center, {}, 90.0);
    doc.begin_page(PageSize::a4_portrait);
    doc.text(300, 60, "second page #8", 10.0, Font::bold, Align::right);  // ends at x = 300
    doc.begin_page(PageSize::a4_portrait);
    doc.text(40, 60, "third page #9", 10.0);
    QCOMPARE(doc.page_count(), 3);
    doc.save(file.toStdString());

    QString error;
    QCOMPARE(pdf_reader::pages(file, &error), 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));  // poppler reports any syntax or xref error on stderr
    const QString info = pdf_reader::info(file);
    QVERIFY2(info.contains(QStringLiteral("Escapes (title) \\ test")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("841.89 x 595.276 pts (A4)")), qPrintable(info));  // A4 landscape, page 1

    const QString p1 = pdf_reader::pageText(file, 1, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(p1.contains(QStringLiteral("Runs (1) \\ #7 caf\u00e9 \u00b1 2.5")), qPrintable(p1));
    QVERIFY2(p1.contains(QStringLiteral("rotated axis title")), qPrintable(p1));
    QVERIFY(!p1.contains(QStringLiteral("#8")));
    const QString p2 = pdf_reader::pageText(file, 2);
    QVERIFY2(p2.contains(QStringLiteral("second page #8")), qPrintable(p2));
    QVERIFY(pdf_reader::pageText(file, 3).contains(QStringLiteral("third page #9")));
  }

  void xrefOffsetsPointAtTheirObjects() {
    PdfDocument doc;
    doc.begin_page(PageSize::a4_portrait);
    doc.text(10, 10, "x", 10.0);
    const std::string b = doc.bytes();
    const std::size_t start = std::stoul(b.substr(b.rfind("startxref\n") + 10));
    QCOMPARE(b.substr(start, 5), std::string("xref\n"));
    // catalog, pages, two fonts, info, one page, one content stream: 7 objects plus the free entry
    QCOMPARE(b.substr(start + 5, 5), std::string("0 8\n0"));
    const std::size_t first = start + 9;  // "0000000000 65535 f \n" starts here
    for (int k = 1; k <= 7; ++k) {
      const std::string entry = b.substr(first + 20 * std::size_t(k), 20);
      QCOMPARE(entry.substr(10), std::string(" 00000 n \n"));
      const std::size_t offset = std::stoul(entry.substr(0, 10));
      const std::string expected = std::to_string(k) + " 0 obj\n";
      QCOMPARE(b.substr(offset, expected.size()), expected);
    }
  }

  void errors() {
    PdfDocument doc;
    QVERIFY_THROWS_EXCEPTION(std::logic_error, doc.bytes());   // no page
    QVERIFY_THROWS_EXCEPTION(std::logic_error, doc.line(0, 0, 1, 1));
    doc.begin_page(PageSize::a4_portrait);
    QVERIFY_THROWS_EXCEPTION(iql::ConfigError, doc.save("/nonexistent-dir/x.pdf"));
  }
};

QTEST_GUILESS_MAIN(TestPdfDocument)
#include "test_pdf_document.moc"
