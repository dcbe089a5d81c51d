// SPDX-License-Identifier: Apache-2.0
// KeychainProcessStore with /bin/sh scripts standing in for `herald --keychain-helper`: the
// operation and account reach the helper as arguments, the token to write through stdin, and
// the helper's reply (or its absence) becomes the Result. The real helper against a real Secret
// Service is tests/gui/tst_tray_e2e.py (setup stores the token, a restart reads it back).
// This binary is also its own helper (main() below), to show which executable the default
// store starts.
#include "credentials/keychainhelper.h"
#include "credentials/keychainprocessstore.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <cstring>

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

// Runs one operation and waits for its answer, which must come once, from the event loop
// (never during the call).
template <typename Start> std::optional<Result> answerOf(Start start)
{
    std::optional<Result> result;
    int calls = 0;
    start([&](const Result &r) {
        ++calls;
        result = r;
    });
    if (calls != 0)
        return std::nullopt;
    if (!QTest::qWaitFor([&] { return calls > 0; }, 10000))
        return std::nullopt;
    QTest::qWait(50); // a second call would come now
    if (calls != 1)
        return std::nullopt;
    return result;
}

// What this binary answers as `--keychain-helper`, and what the file that replaces it does.
const QString TokenOfTheRunningImage = u"from-the-image-that-is-running"_s;
const char OptionReadAfterReplacingMyself[] = "--read-after-replacing-myself";

// argv[0]'s file is replaced by a script that answers as a helper too, as a package upgrade
// replaces a running program; then a default store reads, and its result is printed.
int readAfterReplacingMyself(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString self = QString::fromLocal8Bit(argv[0]);
    QFile::remove(self);
    QFile replacement(self);
    if (!replacement.open(QIODevice::WriteOnly))
        return 3;
    replacement.write("#!/bin/sh\nprintf 'ok\\nfrom-the-file-that-replaced-it\\n'\n");
    replacement.close();
    replacement.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    KeychainProcessStore store;
    store.read(u"alice@http://h:1"_s, [](const Result &result) {
        std::printf("%d %s\n", int(result.status), qPrintable(result.token));
        QCoreApplication::exit(0);
    });
    // A timer, should the answer come another way than from the event loop.
    QTimer::singleShot(15000, [] { QCoreApplication::exit(4); });
    return QCoreApplication::exec();
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

    // QProcess refuses an empty program during start() (as applicationFilePath() is once the
    // executable's file is gone); the answer must still come from the event loop.
    void helperWithoutAProgramFailsFromTheEventLoop()
    {
        KeychainProcessStore store(QString(), {u"--keychain-helper"_s});
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

    // Mutation: the store started QCoreApplication::applicationFilePath() (as it did): the
    // replacement answers, or nothing does.
    void defaultHelperIsTheRunningImageAfterAnUpgrade()
    {
#ifndef Q_OS_LINUX
        QSKIP("/proc/self/exe is Linux's");
#endif
        // Beside this binary, not in the temporary directory: that may not allow running programs.
        QTemporaryDir dir(QCoreApplication::applicationDirPath() + u"/upgrade-XXXXXX"_s);
        QVERIFY(dir.isValid());
        const QString copy = dir.filePath(u"herald"_s);
        QVERIFY(QFile::copy(QCoreApplication::applicationFilePath(), copy));
        QVERIFY(QFile::setPermissions(copy, QFile::ReadOwner | QFile::ExeOwner));
        QProcess child;
        child.start(copy, {QString::fromLatin1(OptionReadAfterReplacingMyself)});
        QVERIFY(child.waitForFinished(20000));
        QCOMPARE(child.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(child.readAllStandardOutput()).trimmed(),
                 u"%1 %2"_s.arg(int(Status::Ok)).arg(TokenOfTheRunningImage));
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

int main(int argc, char **argv)
{
    if (KeychainHelper::isRequested(argc, argv)) {
        const QByteArray reply = KeychainHelper::encode({Status::Ok, TokenOfTheRunningImage, {}});
        std::fwrite(reply.constData(), 1, size_t(reply.size()), stdout);
        return 0;
    }
    if (argc > 1 && std::strcmp(argv[1], OptionReadAfterReplacingMyself) == 0)
        return readAfterReplacingMyself(argc, argv);
    QCoreApplication app(argc, argv);
    TestKeychainProcessStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychainprocessstore.moc"
