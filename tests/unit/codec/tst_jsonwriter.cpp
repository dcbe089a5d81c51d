// SPDX-License-Identifier: Apache-2.0
// The JSON string writer (codec/jsonwriter.h): it tests four UTF-16 units at a time, so every
// kind of character is put at every place in and across those groups, and what it writes is
// compared with a plain reference (UTF-8 by QString::toUtf8, escaped byte by byte) and with
// what QJsonDocument writes.
#include "codec/jsonwriter.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace herald;
using namespace herald::json;
using namespace Qt::StringLiterals;

namespace {

// JSON text of `text`, written the plain way: UTF-8 first, then an escape for each byte that
// needs one.
QByteArray referenceQuoted(const QString &text)
{
    QByteArray out = "\"";
    for (const char byte : text.toUtf8()) {
        const auto b = static_cast<unsigned char>(byte);
        switch (b) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (b < 0x20)
                out += QByteArray("\\u00") + QByteArray::number(b, 16).rightJustified(2, '0');
            else
                out += byte;
        }
    }
    return out + "\"";
}

QByteArray quoted(const QString &text)
{
    QByteArray out = "prefix";
    appendSized(out, [&text](auto &writer) { writer.quoted(text); });
    return out.mid(6);
}

bool hasLoneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (text.at(i).isSurrogate())
            return true;
    }
    return false;
}

} // namespace

class TestJsonWriter : public QObject
{
    Q_OBJECT
private slots:
    void quotesEveryCharacterAtEveryPlace_data();
    void quotesEveryCharacterAtEveryPlace();
    void writesIntegersAndTimes_data();
    void writesIntegersAndTimes();
};

void TestJsonWriter::quotesEveryCharacterAtEveryPlace_data()
{
    QTest::addColumn<QString>("text");
    const QList<std::pair<const char *, QString>> pieces = {
        {"plain", u"z"_s},
        {"quote", u"\""_s},
        {"backslash", u"\\"_s},
        {"U+0001", QString(QChar(0x01))},
        {"tab", u"\t"_s},
        {"U+001F", QString(QChar(0x1f))},
        {"space", u" "_s},
        {"DEL", QString(QChar(0x7f))},
        {"U+0080", QString(QChar(0x80))},
        {"U+07FF", QString(QChar(0x7ff))},
        {"U+0800", QString(QChar(0x800))},
        {"U+FFFD", QString(QChar(0xfffd))},
        {"U+FFFF", QString(QChar(0xffff))},
        {"emoji", u"\U0001F680"_s},
        {"lone high surrogate", QString(QChar(0xd800))},
        {"lone low surrogate", QString(QChar(0xdc00))},
        {"high before a pair", QString(QChar(0xdbff)) + u"\U0010FFFF"_s},
        {"quote after a plain word", u"abcd\""_s},
    };
    // Nine units around the piece: two groups of four and the tail, and the piece in each place.
    for (const auto &[name, piece] : pieces) {
        for (int at = 0; at <= 9; ++at) {
            const QString text = QString(at, u'a') + piece + QString(9 - at, u'b');
            QTest::addRow("%s at %d", name, at) << text;
        }
        QTest::addRow("%s alone", name) << piece;
        QTest::addRow("%s repeated", name) << piece.repeated(9);
    }
    QTest::newRow("empty") << QString();
}

void TestJsonWriter::quotesEveryCharacterAtEveryPlace()
{
    QFETCH(QString, text);
    const QByteArray written = quoted(text);
    QCOMPARE(written, referenceQuoted(text));
    QCOMPARE(quotedSize(text), written.size());
    if (!hasLoneSurrogate(text)) { // QJsonDocument has no text for those
        const QByteArray viaQt = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
        QCOMPARE(written, viaQt.mid(1, viaQt.size() - 2));
    }
}

void TestJsonWriter::writesIntegersAndTimes_data()
{
    QTest::addColumn<qint64>("number");
    QTest::addColumn<QDateTime>("time");
    QTest::newRow("zero, epoch") << qint64(0) << QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    QTest::newRow("negative, year 1")
        << qint64(-42) << QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC);
    QTest::newRow("largest, year 9999")
        << std::numeric_limits<qint64>::max()
        << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
    QTest::newRow("smallest, year 10000") << std::numeric_limits<qint64>::min()
                                          << QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC);
    QTest::newRow("invalid time") << qint64(7) << QDateTime();
}

void TestJsonWriter::writesIntegersAndTimes()
{
    QFETCH(qint64, number);
    QFETCH(QDateTime, time);
    QByteArray out;
    appendSized(out, [&](auto &writer) { writer.integer(number).raw(",").time(time); });
    QCOMPARE(out, QByteArray::number(number) + ",\"" + toRfc3339(time).toLatin1() + "\"");
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
