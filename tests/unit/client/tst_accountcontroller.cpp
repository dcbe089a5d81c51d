// SPDX-License-Identifier: Apache-2.0
// AccountController with a keychain that lives in memory: when the user is asked, what the
// keychain state says, which session is current. The sessions point at a closed port; they try
// to connect and retry, which is all these tests need of them.
#include "faketokenstore.h"

#include "app/accountcontroller.h"
#include "app/commandline.h"
#include "credentials/tokenstore.h"
#include "net/networkwatcher.h"
#include "session/syncsession.h"
#include "settings/clientsettings.h"

#include <QBuffer>
#include <QFile>
#include <QHash>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>
#include <optional>

using namespace herald;
using namespace herald::client;
using namespace Qt::StringLiterals;

using Status = TokenStore::Status;
using KeychainState = AccountController::KeychainState;

namespace {

const QUrl Server(u"http://127.0.0.1:1"_s); // nothing listens on port 1
const QString User = u"alice"_s;
const QString Account = u"alice@http://127.0.0.1:1"_s;

// One controller with its settings file, fake keychain and network watcher.
struct Fixture
{
    Fixture() : settings(dir.filePath(u"herald.conf"_s)), tokens(new FakeTokenStore)
    {
        controller = std::make_unique<AccountController>(&settings, tokens, &network);
    }

    void configure(const QStringList &subscriptions = {u"demo/alerts"_s})
    {
        settings.setServerUrl(Server);
        settings.setUser(User);
        settings.setSubscriptions(subscriptions);
    }

    QByteArray settingsFile()
    {
        settings.sync();
        QFile file(settings.fileName());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    QTemporaryDir dir;
    ClientSettings settings;
    NetworkWatcher network;
    FakeTokenStore *tokens; // the controller's child
    std::unique_ptr<AccountController> controller;
};

} // namespace

class TestAccountController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The signal's header only declares SyncSession; QSignalSpy needs the type registered.
        qRegisterMetaType<SyncSession *>();
    }

    void firstRunAsksForTheWholeSetup()
    {
        Fixture f;
        QSignalSpy setup(f.controller.get(), &AccountController::setupNeeded);
        f.controller->start(CommandLine{});
        QCOMPARE(setup.size(), 1);
        QCOMPARE(setup[0][0].toString(), QString());
        QCOMPARE(setup[0][1].toBool(), false);
        QCOMPARE(f.tokens->reads, 0);
        QCOMPARE(f.controller->keychainState(), KeychainState::Pending);
        QCOMPARE(f.controller->connectionText(), u"Not set up"_s);
        QVERIFY(f.controller->session());
        QVERIFY(f.controller->session()->config().token.isEmpty());
    }

    void configuredClientConnectsWithTheKeychainToken()
    {
        Fixture f;
        f.configure();
        f.tokens->entries.insert(Account, u"t0ken"_s);
        QSignalSpy setup(f.controller.get(), &AccountController::setupNeeded);
        QSignalSpy attempts(f.controller->session(), &SyncSession::stateChanged);
        f.controller->start(CommandLine{});
        QTRY_COMPARE(f.controller->keychainState(), KeychainState::Ok);
        const SyncSessionConfig &config = f.controller->session()->config();
        QCOMPARE(config.token, u"t0ken"_s);
        QCOMPARE(config.user, User);
        QCOMPARE(config.servers, QList<QUrl>{QUrl(u"ws://127.0.0.1:1/api/v1/ws"_s)});
        const QList<Subscription> subscriptions{{u"demo"_s, {u"alerts"_s}}};
        QCOMPARE(config.subscriptions, subscriptions);
        QVERIFY(!attempts.isEmpty()); // it started connecting
        QCOMPARE(setup.size(), 0);
    }

    void keychainReadDecidesWhatHappens_data()
    {
        QTest::addColumn<Status>("status");
        QTest::addColumn<KeychainState>("state");
        QTest::addColumn<bool>("asksForToken");
        QTest::newRow("token found") << Status::Ok << KeychainState::Ok << false;
        QTest::newRow("no token") << Status::NotFound << KeychainState::Ok << true;
        QTest::newRow("no keychain") << Status::NoKeychain << KeychainState::Unavailable << true;
        QTest::newRow("keychain failed") << Status::Failed << KeychainState::Unavailable << true;
    }
    void keychainReadDecidesWhatHappens()
    {
        QFETCH(Status, status);
        QFETCH(KeychainState, state);
        QFETCH(bool, asksForToken);
        Fixture f;
        f.configure();
        if (status == Status::Ok)
            f.tokens->entries.insert(Account, u"t0ken"_s);
        else if (status != Status::NotFound)
            f.tokens->readFailure = status;
        QSignalSpy setup(f.controller.get(), &AccountController::setupNeeded);
        f.controller->start(CommandLine{});
        QCOMPARE(f.controller->keychainState(), KeychainState::Pending); // asynchronous
        QTRY_COMPARE(f.controller->keychainState(), state);
        QCOMPARE(setup.size(), asksForToken ? 1 : 0);
        if (asksForToken) {
            QCOMPARE(setup[0][1].toBool(), true); // server, user and channels stay
            QVERIFY(!setup[0][0].toString().isEmpty());
            if (status == Status::NotFound)
                QVERIFY(setup[0][0].toString().contains(Account));
        }
        QCOMPARE(f.controller->session()->config().token.isEmpty(), asksForToken);
    }

    void keychainWriteDecidesTheState_data()
    {
        QTest::addColumn<std::optional<Status>>("failure");
        QTest::addColumn<KeychainState>("state");
        QTest::newRow("stored") << std::optional<Status>() << KeychainState::Ok;
        QTest::newRow("no keychain")
            << std::optional<Status>(Status::NoKeychain) << KeychainState::Unavailable;
        QTest::newRow("failed") << std::optional<Status>(Status::Failed) << KeychainState::Failed;
    }
    void keychainWriteDecidesTheState()
    {
        QFETCH(std::optional<Status>, failure);
        QFETCH(KeychainState, state);
        Fixture f;
        f.tokens->writeFailure = failure;
        if (failure)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot store the token"_s));
        QSignalSpy notStored(f.controller.get(), &AccountController::tokenNotStored);
        f.controller->setUp(Server, User, {u"demo/alerts"_s}, u"t0ken"_s);
        QTRY_COMPARE(f.controller->keychainState(), state);
        QCOMPARE(notStored.size(), failure ? 1 : 0);
        QCOMPARE(f.tokens->entries.value(Account), failure ? QString() : u"t0ken"_s);
        // Stored or not, this run connects with the token it was given.
        QCOMPARE(f.controller->session()->config().token, u"t0ken"_s);
    }

    void scriptedSetupStoresTheTokenFromInput()
    {
        Fixture f;
        CommandLine commandLine;
        commandLine.server = u"127.0.0.1:1"_s;
        commandLine.user = User;
        commandLine.subscriptions = {u"demo/alerts"_s, u"demo/ops"_s};
        commandLine.tokenFromStdin = true;
        QBuffer input;
        input.setData("s3cret-t0ken\n");
        QVERIFY(input.open(QIODevice::ReadOnly));
        QSignalSpy setup(f.controller.get(), &AccountController::setupNeeded);
        f.controller->start(commandLine, &input);
        QVERIFY(f.settings.isConfigured());
        QCOMPARE(f.settings.serverUrl(), Server);
        QCOMPARE(f.settings.subscriptions(), commandLine.subscriptions);
        QTRY_COMPARE(f.controller->keychainState(), KeychainState::Ok);
        QCOMPARE(f.tokens->entries.value(Account), u"s3cret-t0ken"_s);
        QCOMPARE(f.controller->session()->config().token, u"s3cret-t0ken"_s);
        QCOMPARE(f.tokens->reads, 0);
        QCOMPARE(setup.size(), 0);
    }

    void scriptedSetupWithoutTokenReadsTheKeychain()
    {
        Fixture f;
        f.tokens->entries.insert(Account, u"t0ken"_s);
        CommandLine commandLine;
        commandLine.server = u"http://127.0.0.1:1"_s;
        commandLine.user = User;
        commandLine.subscriptions = {u"demo/alerts"_s};
        f.controller->start(commandLine);
        QTRY_COMPARE(f.controller->keychainState(), KeychainState::Ok);
        QCOMPARE(f.tokens->reads, 1);
        QCOMPARE(f.controller->session()->config().token, u"t0ken"_s);
    }

    void tokenNeverReachesTheSettingsFile()
    {
        Fixture f;
        f.tokens->writeFailure = Status::NoKeychain; // not even when the keychain fails
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot store the token"_s));
        f.controller->setUp(Server, User, {u"demo/alerts"_s}, u"s3cret-t0ken"_s);
        QTRY_COMPARE(f.controller->keychainState(), KeychainState::Unavailable);
        const QByteArray file = f.settingsFile();
        QVERIFY(file.contains("127.0.0.1"));
        QVERIFY(!file.contains("s3cret"));
    }

    void anotherServerOrUserReplacesTheSession_data()
    {
        QTest::addColumn<QUrl>("server");
        QTest::addColumn<QString>("user");
        QTest::addColumn<bool>("replaced");
        QTest::newRow("same account, new token and channels") << Server << User << false;
        QTest::newRow("other server") << QUrl(u"http://127.0.0.2:1"_s) << User << true;
        QTest::newRow("other user") << Server << u"bob"_s << true;
    }
    void anotherServerOrUserReplacesTheSession()
    {
        QFETCH(QUrl, server);
        QFETCH(QString, user);
        QFETCH(bool, replaced);
        Fixture f;
        f.configure();
        f.settings.setLastSeenId(42);
        f.tokens->entries.insert(Account, u"t0ken"_s);
        f.controller->start(CommandLine{});
        QTRY_COMPARE(f.controller->session()->config().token, u"t0ken"_s);

        QPointer<SyncSession> old = f.controller->session();
        QSignalSpy replacedSpy(f.controller.get(), &AccountController::sessionReplaced);
        // The receivers rewire while the old session is still there, already stopped.
        connect(f.controller.get(), &AccountController::sessionReplaced, this,
                [&old](SyncSession *) {
                    QVERIFY(old);
                    QCOMPARE(old->state(), SyncSession::State::Stopped);
                });
        f.controller->setUp(server, user, {u"demo/alerts"_s, u"demo/ops"_s}, u"n3w"_s);
        QCOMPARE(replacedSpy.size(), replaced ? 1 : 0);
        QCOMPARE(old.isNull(), replaced);
        if (replaced) {
            QCOMPARE(replacedSpy[0][0].value<SyncSession *>(), f.controller->session());
            QCOMPARE(f.settings.lastSeenId(), 0); // the old ids mean nothing there
        } else {
            QCOMPARE(f.controller->session(), old.data());
            QCOMPARE(f.settings.lastSeenId(), 42);
        }
        QTRY_COMPARE(f.controller->session()->config().token, u"n3w"_s);
        const QList<Subscription> subscriptions{{u"demo"_s, {u"alerts"_s, u"ops"_s}}};
        QCOMPARE(f.controller->session()->config().subscriptions, subscriptions);
        QCOMPARE(f.controller->session()->config().user, user);
    }

    void refusedTokenAsksForANewOne()
    {
        Fixture f;
        f.configure();
        f.tokens->entries.insert(Account, u"t0ken"_s);
        f.controller->start(CommandLine{});
        QTRY_COMPARE(f.controller->session()->config().token, u"t0ken"_s);
        QSignalSpy setup(f.controller.get(), &AccountController::setupNeeded);
        QSignalSpy changed(f.controller.get(), &AccountController::connectionChanged);
        Q_EMIT f.controller->session()->authenticationFailed();
        QCOMPARE(setup.size(), 1);
        QCOMPARE(setup[0][1].toBool(), true);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(f.controller->connectionText(), u"Token refused by 127.0.0.1:1"_s);

        f.controller->setUp(Server, User, {u"demo/alerts"_s}, u"n3w"_s);
        QTRY_COMPARE(f.controller->session()->config().token, u"n3w"_s);
        QVERIFY(f.controller->connectionText() != u"Token refused by 127.0.0.1:1"_s);
    }

    void lostNetworkShowsOffline()
    {
        Fixture f;
        f.configure();
        f.tokens->entries.insert(Account, u"t0ken"_s);
        f.controller->start(CommandLine{});
        QTRY_COMPARE(f.controller->session()->config().token, u"t0ken"_s);
        QSignalSpy changed(f.controller.get(), &AccountController::connectionChanged);
        f.network.onReachabilityChanged(QNetworkInformation::Reachability::Disconnected);
        QCOMPARE(changed.size(), 1);
        QVERIFY(!f.controller->isConnected());
        QCOMPARE(f.controller->connectionText(), u"Offline, retrying 127.0.0.1:1"_s);
    }

    void keychainStateNamesForStatus_data()
    {
        QTest::addColumn<KeychainState>("state");
        QTest::addColumn<QString>("name");
        QTest::newRow("pending") << KeychainState::Pending << u"pending"_s;
        QTest::newRow("ok") << KeychainState::Ok << u"ok"_s;
        QTest::newRow("unavailable") << KeychainState::Unavailable << u"unavailable"_s;
        QTest::newRow("failed") << KeychainState::Failed << u"failed"_s;
    }
    void keychainStateNamesForStatus()
    {
        QFETCH(KeychainState, state);
        QFETCH(QString, name);
        QCOMPARE(AccountController::keychainStateName(state), name);
    }

    void messagesKeepTheirTranslations()
    {
        // The strings came from Application; the .ts files still file them under it.
        QTranslator german;
        QVERIFY(german.load(u":/i18n/herald_de.qm"_s));
        QCoreApplication::installTranslator(&german);
        Fixture f;
        const QString text = f.controller->connectionText();
        QCoreApplication::removeTranslator(&german);
        QCOMPARE(text, u"Nicht eingerichtet"_s);
    }
};

QTEST_MAIN(TestAccountController)
#include "tst_accountcontroller.moc"
