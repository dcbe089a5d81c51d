// SPDX-License-Identifier: Apache-2.0
// NetworkWatcher wired to a SyncSession the way the tray wires it, against the real
// herald-syncd: a returning network reconnects at once instead of after the backoff, and a
// network reported lost while the server still answers (a LAN without a default route) does
// not leave the tray saying "offline".
#include "faketokenstore.h"
#include "syncdprocess.h"

#include "app/accountcontroller.h"
#include "app/commandline.h"
#include "net/networkwatcher.h"
#include "session/syncsession.h"
#include "settings/clientsettings.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace herald;
using namespace herald::client;
using namespace herald::test;
using namespace Qt::StringLiterals;
using State = SyncSession::State;

class TestNetworkWatcherSyncd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString seeded = m_syncd.seed(u"demo"_s, {u"alerts"_s}, {u"alice"_s});
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        m_token = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        QVERIFY(!m_token.isEmpty());
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void returningNetworkReconnectsBeforeTheBackoff()
    {
        constexpr int BackoffMs = 20'000;
        SyncSession session(config(m_syncd.wsUrl(), BackoffMs));
        session.setBackoffRandomSource([] { return 1.0; }); // every delay is the full cap
        NetworkWatcher watcher;
        QVERIFY(reconnectWhenNetworkReturns(&watcher, &session));

        QSignalSpy states(&session, &SyncSession::stateChanged);
        QSignalSpy scheduled(&session, &SyncSession::reconnectScheduled);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Live, 15000);

        // The daemon goes away: the session waits out its backoff.
        QCOMPARE(m_syncd.terminate(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Disconnected, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!scheduled.isEmpty(), 5000);
        QVERIFY2(scheduled.constLast().at(0).toInt() >= BackoffMs,
                 qPrintable(u"reconnect in %1 ms"_s.arg(scheduled.constLast().at(0).toInt())));

        // It comes back (on another port), but the session cannot know.
        QVERIFY2(m_syncd.restart(), qPrintable(m_syncd.errorString()));
        session.setConfig(config(m_syncd.wsUrl(), BackoffMs));
        QTest::qWait(200);
        QCOMPARE(session.state(), State::Disconnected);

        // The network drops and returns: the session connects at once.
        QElapsedTimer elapsed;
        elapsed.start();
        watcher.onReachabilityChanged(QNetworkInformation::Reachability::Disconnected);
        QCOMPARE(session.state(), State::Disconnected);
        watcher.onReachabilityChanged(QNetworkInformation::Reachability::Online);
        QVERIFY(session.state() != State::Disconnected);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Live, 5000);
        QVERIFY2(elapsed.elapsed() < BackoffMs / 2,
                 qPrintable(u"live after %1 ms"_s.arg(elapsed.elapsed())));
    }

    // A network report about a session that is fine does not disturb it.
    void returningNetworkLeavesALiveSessionAlone()
    {
        SyncSession session(config(m_syncd.wsUrl(), 20'000));
        NetworkWatcher watcher;
        reconnectWhenNetworkReturns(&watcher, &session);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Live, 15000);
        const QString sessionId = session.sessionId();
        QSignalSpy states(&session, &SyncSession::stateChanged);
        watcher.onReachabilityChanged(QNetworkInformation::Reachability::Local);
        watcher.onReachabilityChanged(QNetworkInformation::Reachability::Online);
        QTest::qWait(300);
        QCOMPARE(states.size(), 0);
        QCOMPARE(session.sessionId(), sessionId);
    }

    void aLostNetworkThatStillReachesTheServerIsNotOffline()
    {
        QTemporaryDir dir;
        ClientSettings settings(dir.filePath(u"herald.conf"_s));
        settings.setServerUrl(m_syncd.httpUrl());
        settings.setUser(u"alice"_s);
        settings.setSubscriptions({u"demo/alerts"_s});
        auto *tokens = new FakeTokenStore;
        tokens->entries.insert(TokenStore::account(u"alice"_s, m_syncd.httpUrl().toString()),
                               m_token);
        NetworkWatcher watcher;
        AccountController controller(&settings, tokens, &watcher);
        controller.start(CommandLine{});
        QTRY_VERIFY_WITH_TIMEOUT(controller.isConnected(), 15000);
        const QString connected = controller.connectionText();
        QVERIFY2(connected.startsWith(u"Connected to"_s), qPrintable(connected));

        // The routing table loses its default route; the server is on loopback and answers.
        QSignalSpy changed(&controller, &AccountController::connectionChanged);
        watcher.onRoutesRead(false);
        QVERIFY(!controller.isConnected()); // until the server answers
        QVERIFY(controller.connectionText().startsWith(u"Offline"_s));
        QTRY_VERIFY_WITH_TIMEOUT(controller.isConnected(), 5000);
        QCOMPARE(controller.connectionText(), connected);
        QCOMPARE(changed.size(), 2); // offline, then connected again
        QCOMPARE(controller.session()->state(), State::Live);
    }

private:
    SyncSessionConfig config(const QUrl &server, int backoffMinMs) const
    {
        SyncSessionConfig c;
        c.servers = {server};
        c.user = u"alice"_s;
        c.token = m_token;
        c.clientId = u"5b0c7a52-0c1e-4b6e-9d4e-3f0e7c1d2a9b"_s;
        c.subscriptions = {{u"demo"_s, {u"alerts"_s}}};
        c.backoffMinMs = backoffMinMs;
        c.backoffMaxMs = 3 * backoffMinMs;
        return c;
    }

    SyncdProcess m_syncd;
    QString m_token;
};

QTEST_MAIN(TestNetworkWatcherSyncd)
#include "tst_networkwatcher_syncd.moc"
