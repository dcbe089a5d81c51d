// SPDX-License-Identifier: Apache-2.0
#include "app/linesplitter.h"

#include <QTest>

using herald::syncd::LineSplitter;

namespace {

QList<LineSplitter::Line> takeAll(LineSplitter &splitter)
{
    QList<LineSplitter::Line> lines;
    while (splitter.hasLine())
        lines.append(splitter.takeLine());
    return lines;
}

} // namespace

class TestLineSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void numbersLinesFromOne();
    void joinsALineSplitOverChunks();
    void keepsEmptyLinesForTheirNumbers();
    void lastLineWithoutNewlineNeedsFinish();
    void overlongLineIsReportedWithoutItsBytes();
    void overlongLastLineIsReportedAtFinish();
    void lineOfExactlyTheLimitIsKept();
};

void TestLineSplitter::numbersLinesFromOne()
{
    LineSplitter splitter(100);
    splitter.append("a\nbb\n");
    const auto lines = takeAll(splitter);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).number, 1);
    QCOMPARE(lines.at(0).text, QByteArray("a"));
    QCOMPARE(lines.at(1).number, 2);
    QCOMPARE(lines.at(1).text, QByteArray("bb"));
    QVERIFY(!lines.at(1).tooLong);
}

void TestLineSplitter::joinsALineSplitOverChunks()
{
    LineSplitter splitter(100);
    splitter.append("{\"a\":");
    QVERIFY(!splitter.hasLine());
    splitter.append("1}\n{\"b\"");
    QCOMPARE(splitter.takeLine().text, QByteArray("{\"a\":1}"));
    QVERIFY(!splitter.hasLine());
    splitter.append(":2}\n");
    const LineSplitter::Line second = splitter.takeLine();
    QCOMPARE(second.number, 2);
    QCOMPARE(second.text, QByteArray("{\"b\":2}"));
}

void TestLineSplitter::keepsEmptyLinesForTheirNumbers()
{
    LineSplitter splitter(100);
    splitter.append("\n\nc\n");
    const auto lines = takeAll(splitter);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0).text, QByteArray());
    QCOMPARE(lines.at(2).number, 3);
}

void TestLineSplitter::lastLineWithoutNewlineNeedsFinish()
{
    LineSplitter splitter(100);
    splitter.append("a\nlast");
    QCOMPARE(takeAll(splitter).size(), 1);
    splitter.finish();
    const auto lines = takeAll(splitter);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.at(0).number, 2);
    QCOMPARE(lines.at(0).text, QByteArray("last"));
    splitter.finish(); // nothing more: no empty line made up
    QVERIFY(!splitter.hasLine());
}

void TestLineSplitter::overlongLineIsReportedWithoutItsBytes()
{
    LineSplitter splitter(8);
    splitter.append("ok\n0123");
    splitter.append("45678");
    splitter.append(QByteArray(100'000, 'x')); // dropped as it comes
    splitter.append("9\nnext\n");
    const auto lines = takeAll(splitter);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(1).number, 2);
    QVERIFY(lines.at(1).tooLong);
    QVERIFY(lines.at(1).text.isEmpty());
    QCOMPARE(lines.at(2).text, QByteArray("next"));
    QVERIFY(!lines.at(2).tooLong);
}

void TestLineSplitter::overlongLastLineIsReportedAtFinish()
{
    LineSplitter splitter(4);
    splitter.append("toolong");
    splitter.finish();
    const auto lines = takeAll(splitter);
    QCOMPARE(lines.size(), 1);
    QVERIFY(lines.at(0).tooLong);
}

void TestLineSplitter::lineOfExactlyTheLimitIsKept()
{
    LineSplitter splitter(4);
    splitter.append("abcd\nabcde\n");
    const auto lines = takeAll(splitter);
    QCOMPARE(lines.size(), 2);
    QVERIFY(!lines.at(0).tooLong);
    QCOMPARE(lines.at(0).text, QByteArray("abcd"));
    QVERIFY(lines.at(1).tooLong);
}

QTEST_GUILESS_MAIN(TestLineSplitter)
#include "tst_linesplitter.moc"
