// SPDX-License-Identifier: Apache-2.0
// KeychainProcessStore with /bin/sh scripts standing in for `herald --keychain-helper`: the
// operation and account reach the helper as arguments, the token to write through stdin, and
// the helper's reply (or its absence) becomes the Result. The real helper against a real Secret
// Service is tests/gui/tst_tray_e2e.py (setup stores the token, a restart reads it back).
#include "credentials/keychainhelper.h"
#include "credentials/keychainprocessstore.h"

#include <QTest>

#include <memory>
#include <optional>

using namespace herald::client;
using namespace Qt::StringLiterals;

using Status = TokenStore::Status;
using Result = TokenStore::Result;

namespace {

// A store whose helper is `sh -c script sh OPERATION ACCOUNT` ($1 and $2 in the script).
std::unique_ptr<KeychainProcessStore> storeRunning(const QString &script)
{
    return std::make_unique<KeychainProcessStore>(u"/bin/sh"_s,
                                                  QStringList{u"-c"_s, script, u"sh"_s});
}

// Runs one operation and waits for its answer.
template <typename Start> std::optional<Result> answerOf(Start start)
{
    std::optional<Result> result;
    int calls = 0;
    start([&](const Result &r) {
        ++calls;
        result = r;
    });
    if (!QTest::qWaitFor([&] { return calls > 0; }, 10000))
        return std::nullopt;
    QTest::qWait(50); // a second call would come now
    if (calls != 1)
        return std::nullopt;
    return result;
}

} // namespace

class TestKeychainProcessStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readGivesTheTokenTheHelperPrints()
    {
        auto store = storeRunning(
            u"[ \"$1\" = read ] && [ \"$2\" = alice@http://h:1 ] && printf 'ok\\ns3cret%%20token\\n'"_s);
        const auto result =
            answerOf([&](auto done) { store->read(u"alice@http://h:1"_s, std::move(done)); });
        QVERIFY(result);
        QCOMPARE(int(result->status), int(Status::Ok));
        QCOMPARE(result->token, u"s3cret token"_s);
    }

    void writeHandsTheTokenThroughStdin()
    {
        // The helper answers ok only for the token it was given on stdin, never in argv.
        auto store = storeRunning(
            u"[ \"$1\" = write ] && [ \"$#\" = 2 ] && [ \"$(cat)\" = tok-42 ] && printf 'ok\\n\\n'"_s);
        const auto result =
            answerOf([&](auto done) { store->write(u"alice@x"_s, u"tok-42"_s, std::move(done)); });
        QVERIFY(result);
        QCOMPARE(int(result->status), int(Status::Ok));
    }

    void removeNamesTheAccount()
    {
        auto store = storeRunning(u"[ \"$1 $2\" = \"remove bob@x\" ] && printf 'ok\\n\\n'"_s);
        const auto result =
            answerOf([&](auto done) { store->remove(u"bob@x"_s, std::move(done)); });
        QVERIFY(result);
        QCOMPARE(int(result->status), int(Status::Ok));
    }

    void helperRepliesBecomeStatuses_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("not found")
            << u"not-found\\nNo%%20match\\n"_s << int(Status::NotFound) << u"No match"_s;
        QTest::newRow("no keychain")
            << u"no-keychain\\nno%%0Aservice\\n"_s << int(Status::NoKeychain) << u"no\nservice"_s;
        QTest::newRow("failed") << u"failed\\nboom\\n"_s << int(Status::Failed) << u"boom"_s;
        QTest::newRow("unknown status") << u"maybe\\nx\\n"_s << int(Status::Failed)
                                        << u"the keychain helper gave an unknown answer"_s;
        QTest::newRow("half a reply")
            << u"ok\\n"_s << int(Status::Failed) << u"the keychain helper gave no answer"_s;
    }
    void helperRepliesBecomeStatuses()
    {
        QFETCH(QString, reply);
        QFETCH(int, status);
        QFETCH(QString, message);
        auto store = storeRunning(u"printf '"_s + reply + u"'"_s);
        const auto result = answerOf([&](auto done) { store->read(u"a@x"_s, std::move(done)); });
        QVERIFY(result);
        QCOMPARE(int(result->status), status);
        QCOMPARE(result->message, message);
        QVERIFY(result->token.isEmpty());
    }

    void helperThatDiesSilentlyFails()
    {
        auto store = storeRunning(u"kill -9 $$"_s);
        const auto result = answerOf([&](auto done) { store->read(u"a@x"_s, std::move(done)); });
        QVERIFY(result);
        QCOMPARE(int(result->status), int(Status::Failed));
    }

    void helperThatCannotStartFails()
    {
        KeychainProcessStore store(u"/nonexistent/herald"_s, {u"--keychain-helper"_s});
        const auto result = answerOf([&](auto done) { store.read(u"a@x"_s, std::move(done)); });
        QVERIFY(result);
        QCOMPARE(int(result->status), int(Status::Failed));
        QVERIFY(result->message.startsWith(u"cannot run the keychain helper"_s));
    }

    void destroyedStoreAnswersNothing()
    {
        auto store = storeRunning(u"exec sleep 5; printf 'ok\\nt\\n'"_s);
        bool called = false;
        store->read(u"a@x"_s, [&](const Result &) { called = true; });
        QTest::qWait(100);
        store.reset(); // kills the helper
        QTest::qWait(200);
        QVERIFY(!called);
    }

    void replyRoundTrips_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("text");
        QTest::newRow("token") << int(Status::Ok) << u"a b%c\u00e9"_s;
        QTest::newRow("message with lines") << int(Status::Failed) << u"one\ntwo\r\n"_s;
        QTest::newRow("empty") << int(Status::NotFound) << QString();
    }
    void replyRoundTrips()
    {
        QFETCH(int, status);
        QFETCH(QString, text);
        const bool ok = Status(status) == Status::Ok;
        const Result in{Status(status), ok ? text : QString(), ok ? QString() : text};
        const QByteArray wire = KeychainHelper::encode(in);
        QCOMPARE(wire.count('\n'), 2);
        const Result out = KeychainHelper::decode(wire);
        QCOMPARE(int(out.status), status);
        QCOMPARE(out.token, in.token);
        QCOMPARE(out.message, in.message);
    }

    void helperIsChosenByItsOption()
    {
        char prog[] = "herald", option[] = "--keychain-helper", other[] = "--show";
        char *helper[] = {prog, option, nullptr};
        char *normal[] = {prog, other, nullptr};
        QVERIFY(KeychainHelper::isRequested(2, helper));
        QVERIFY(!KeychainHelper::isRequested(2, normal));
        QVERIFY(!KeychainHelper::isRequested(1, normal));
    }
};

QTEST_GUILESS_MAIN(TestKeychainProcessStore)
#include "tst_keychainprocessstore.moc"
