// SPDX-License-Identifier: Apache-2.0
// The shortcut for flat publish frames (json::readFlatPublishFrame, taken by
// JsonCodec::decodeClientMessage): which frames it reads itself, and that on every frame the
// codec answers exactly as its general path does (the same message with the same null and
// empty strings, or the same error, and the same ref for the answer). fuzz_jsoncodec checks
// the same agreement on generated frames.
#include "codec/jsoncodec.h"
#include "codec/jsonflatpublish.h"
#include "codec/jsonpublish.h"

#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

namespace {

const JsonCodec Codec;

QByteArray frame(const char *notification, const char *ref = "\"r-1\"")
{
    return QByteArray("{\"type\":\"publish\",\"ref\":") + ref +
           ",\"notification\":" + notification + '}';
}

} // namespace

class TestFlatPublish : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithTheGeneralPath_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("flat"); // read by the shortcut itself

        QTest::newRow("the load generator's frame")
            << frame("{\"application\":\"bench\",\"channel\":\"c17\",\"title\":\"t\",\"message\":"
                     "\"m\",\"persistent\":false}")
            << true;
        QTest::newRow("every flat field, keys in any order, spaces")
            << QByteArray(" {\n\t\"notification\" : {\"url\":\"https://example.org/x\",\"level\":"
                          "\"warning\",\"priority\":\"urgent\",\"code\":\"E1\",\"message\":\"m\","
                          "\"title\":\"t\",\"channel\":\"c\",\"application\":\"a\",\"persistent\":"
                          "true} ,\r\n \"ref\" : \"x\" , \"type\":\"publish\" } \n")
            << true;
        QTest::newRow("escapes") << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":"
                                          "\"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\u20AC\"}")
                                 << true;
        QTest::newRow("UTF-8 beyond ASCII")
            << frame(
                   "{\"application\":\"a\",\"channel\":\"c\",\"title\":\"caf\xc3\xa9 \xe2\x98\x83 "
                   "\xf0\x9f\x98\x80\"}")
            << true;
        QTest::newRow("an empty code")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\",\"code\":\"\"}")
            << true;
        // Left to the general path: accepted there...
        QTest::newRow("tags") << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\","
                                       "\"tags\":{\"k\":\"v\"}}")
                              << false;
        QTest::newRow("a null title")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":null,\"message\":\"m\"}")
            << false;
        QTest::newRow("an unknown key")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\",\"id\":5}") << false;
        QTest::newRow("a surrogate pair")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\\ud83d\\ude00\"}")
            << false;
        QTest::newRow("a repeated key (the last wins there)")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"first\",\"title\":"
                     "\"second\"}")
            << false;
        QTest::newRow("a raw control character")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"a\x01\"}") << false;
        QTest::newRow("a byte order mark")
            << QByteArray("\xef\xbb\xbf") +
                   frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\"}")
            << false;
        // ...and refused there, with its words.
        QTest::newRow("an empty ref")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\"}", "\"\"") << false;
        QTest::newRow("a ref too long")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\"}",
                     QByteArray('"' + QByteArray(65, 'r') + '"').constData())
            << false;
        QTest::newRow("a numeric ref")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\"}", "7") << false;
        QTest::newRow("no channel") << frame("{\"application\":\"a\",\"title\":\"t\"}") << false;
        QTest::newRow("a bad name")
            << frame("{\"application\":\"a b\",\"channel\":\"c\",\"title\":\"t\"}") << false;
        QTest::newRow("neither title nor message")
            << frame("{\"application\":\"a\",\"channel\":\"c\"}") << false;
        QTest::newRow("an unknown priority") << frame("{\"application\":\"a\",\"channel\":\"c\","
                                                      "\"title\":\"t\",\"priority\":\"loud\"}")
                                             << false;
        QTest::newRow("persistent as a string") << frame("{\"application\":\"a\",\"channel\":\"c\","
                                                         "\"title\":\"t\",\"persistent\":\"yes\"}")
                                                << false;
        QTest::newRow("U+0000")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\\u0000\"}") << false;
        QTest::newRow("a lone surrogate")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\\ud800\"}") << false;
        QTest::newRow("a bad escape")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\\x41\"}") << false;
        QTest::newRow("a short \\u")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\\u12\"}") << false;
        QTest::newRow("invalid UTF-8")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\xc3\"}") << false;
        QTest::newRow("an encoded surrogate")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\xed\xa0\x80\"}")
            << false;
        QTest::newRow("garbage after the frame")
            << QByteArray(frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\"}") + " x")
            << false;
        QTest::newRow("a second frame after it")
            << QByteArray(frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\"}") + "{}")
            << false;
        QTest::newRow("unterminated")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t").chopped(1) << false;
        QTest::newRow("a trailing comma")
            << frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\",}") << false;
        QTest::newRow("another type")
            << QByteArray("{\"type\":\"ping\",\"ref\":\"r\",\"notification\":{\"application\":"
                          "\"a\",\"channel\":\"c\",\"title\":\"t\"}}")
            << false;
        QTest::newRow("no type") << QByteArray("{\"ref\":\"r\",\"notification\":{\"application\":"
                                               "\"a\",\"channel\":\"c\",\"title\":\"t\"}}")
                                 << false;
        QTest::newRow("truex")
            << frame(
                   "{\"application\":\"a\",\"channel\":\"c\",\"title\":\"t\",\"persistent\":truex}")
            << false;
    }

    void agreesWithTheGeneralPath()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, flat);
        const auto read = json::readFlatPublishFrame(text);
        const bool taken = read && json::acceptsPublish(*read, Codec);
        QCOMPARE(taken, flat);

        QString ref;
        QString generalRef;
        const auto decoded = Codec.decodeClientMessage(text, &ref);
        const auto general = Codec.decodeClientMessageGenerally(text, &generalRef);
        QCOMPARE(ref, generalRef);
        QCOMPARE(decoded.has_value(), general.has_value());
        if (!general) {
            QCOMPARE(decoded.error().code, general.error().code);
            QCOMPARE(decoded.error().message, general.error().message);
            return;
        }
        QVERIFY(*decoded == *general);
        const auto *publish = std::get_if<PublishMessage>(&*decoded);
        if (!publish)
            return; // a frame of another type, read by the general path alone
        const auto &a = publish->notification;
        const auto &b = std::get<PublishMessage>(*general).notification;
        for (const auto field : {&Notification::code, &Notification::title, &Notification::message,
                                 &Notification::level, &Notification::url}) {
            QCOMPARE((a.*field).isNull(), (b.*field).isNull());
        }
    }

    // The REST body of one notification takes the same shortcut.
    void bodyAgreesWithTheGeneralPath_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("flat");
        QTest::newRow("flat") << QByteArray("{\"application\":\"a\",\"channel\":\"c\",\"message\":"
                                            "\"m\",\"persistent\":true,\"priority\":\"low\"} ")
                              << true;
        QTest::newRow("a batch")
            << QByteArray("[{\"application\":\"a\",\"channel\":\"c\",\"message\":\"m\"}]") << false;
        QTest::newRow("recipients") << QByteArray("{\"application\":\"a\",\"channel\":\"c\","
                                                  "\"message\":\"m\",\"recipients\":[\"u\"]}")
                                    << false;
        QTest::newRow("refused: a bad name")
            << QByteArray("{\"application\":\"a/b\",\"channel\":\"c\",\"message\":\"m\"}") << false;
        QTest::newRow("refused: not JSON") << QByteArray("{\"application\":") << false;
    }

    void bodyAgreesWithTheGeneralPath()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, flat);
        const auto read = json::readFlatNotification(body);
        QCOMPARE(read && Codec.validator().checkNotification(*read).has_value(), flat);
        const auto parsed = Codec.parsePublishBody(body);
        const auto general = Codec.parsePublishBodyGenerally(body);
        QCOMPARE(parsed.has_value(), general.has_value());
        if (!general) {
            QCOMPARE(parsed.error().message, general.error().message);
            return;
        }
        QVERIFY(*parsed == *general);
        QCOMPARE(parsed->first().title.isNull(), general->first().title.isNull());
    }

    void readsTheFieldsItself()
    {
        const auto read = json::readFlatPublishFrame(
            frame("{\"application\":\"a\",\"channel\":\"c\",\"title\":\"\\u00e9t\\u00e9\","
                  "\"priority\":\"high\",\"persistent\":false}",
                  "\"p\\\"9\""));
        QVERIFY(read.has_value());
        QCOMPARE(read->ref, u"p\"9"_s);
        QCOMPARE(read->notification.application, u"a"_s);
        QCOMPARE(read->notification.channel, u"c"_s);
        QCOMPARE(read->notification.title, u"\u00e9t\u00e9"_s);
        QCOMPARE(read->notification.priority, Priority::High);
        QCOMPARE(read->notification.persistent, false);
        QVERIFY(read->notification.message.isNull()); // absent, as the general path leaves it
        QVERIFY(read->notification.code.isNull());
    }
};

QTEST_APPLESS_MAIN(TestFlatPublish)
#include "tst_flatpublish.moc"
