// SPDX-License-Identifier: Apache-2.0
// Publishing over the WebSocket (PROTOCOL.md) through SyncSession, the shared library's client,
// against a real herald-syncd with tokens: a producer's publishing session pipelines transient
// and persistent notifications that a user's session receives in order with the ids the
// producer was told; refusals come back with their ref; a user's session may not publish; and
// the publishes a killed daemon never answered fail as unknown.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"

#include "session/syncsession.h"

#include <QtTest>

#include <map>
#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;
using herald::Notification;
using herald::NotificationId;
using herald::SyncSession;
using State = SyncSession::State;

namespace {

const QString App = u"ci"_s;
const QString OtherApp = u"billing"_s;

Notification buildNotification(const QString &channel, const QString &title, bool persistent)
{
    Notification n;
    n.application = App;
    n.channel = channel;
    n.title = title;
    n.message = u"from a publishing session"_s;
    n.persistent = persistent;
    return n;
}

// What one session's publishes got, by ref.
struct Answers
{
    std::map<QString, NotificationId> published;
    std::map<QString, std::pair<QString, QString>> failed; // code, message

    explicit Answers(SyncSession &session)
    {
        QObject::connect(&session, &SyncSession::published, &session,
                         [this](const QString &ref, NotificationId id) { published[ref] = id; });
        QObject::connect(&session, &SyncSession::publishFailed, &session,
                         [this](const QString &ref, const QString &code, const QString &message) {
                             failed[ref] = {code, message};
                         });
    }
    std::size_t count() const { return published.size() + failed.size(); }
};

} // namespace

class TestSessionPublish : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void subscriberReceivesInOrderWithThePublishedIds();
    void refusalsComeBackWithTheirRef();
    void userSessionMayNotPublish();
    void unansweredPublishesFailWhenTheDaemonIsKilled();

private:
    std::unique_ptr<SyncSession> startSession(const QString &token, const QString &user,
                                              const QList<herald::Subscription> &subscriptions);

    SyncdProcess m_syncd;
    QString m_producer;      // App's
    QString m_otherProducer; // OtherApp's
    QString m_userToken;     // alice's
};

void TestSessionPublish::initTestCase()
{
    const QString seeded = m_syncd.seed(App, {u"builds"_s, u"refused"_s, u"kill"_s}, {u"alice"_s});
    QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
    const QString otherSeeded = m_syncd.seed(OtherApp, {u"invoices"_s}, {});
    QVERIFY2(otherSeeded.isEmpty(), qPrintable(otherSeeded));
    m_producer = m_syncd.createToken(u"producer"_s, {u"--app"_s, App});
    m_otherProducer = m_syncd.createToken(u"producer"_s, {u"--app"_s, OtherApp});
    m_userToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    QVERIFY(!m_producer.isEmpty() && !m_otherProducer.isEmpty() && !m_userToken.isEmpty());
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
}

void TestSessionPublish::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

std::unique_ptr<SyncSession>
TestSessionPublish::startSession(const QString &token, const QString &user,
                                 const QList<herald::Subscription> &subscriptions)
{
    herald::SyncSessionConfig config;
    config.servers = {m_syncd.wsUrl()};
    config.token = token;
    config.user = user;
    config.clientId = u"tst-sessionpublish-"_s + (user.isEmpty() ? u"producer"_s : user);
    config.subscriptions = subscriptions;
    config.fetchLast = 0;
    config.backoffMinMs = 50;
    config.backoffMaxMs = 200;
    auto session = std::make_unique<SyncSession>(config);
    session->start();
    if (!waitUntil([&] { return session->state() == State::Live; }, 10000)) {
        qWarning("session for %s did not reach Live", qPrintable(user));
        return nullptr;
    }
    return session;
}

void TestSessionPublish::subscriberReceivesInOrderWithThePublishedIds()
{
    auto subscriber = startSession(m_userToken, u"alice"_s, {{App, {u"builds"_s}}});
    QVERIFY(subscriber);
    QList<Notification> received;
    connect(subscriber.get(), &SyncSession::notificationReceived, this,
            [&](const Notification &n, bool) { received.append(n); });
    auto publisher = startSession(m_producer, {}, {});
    QVERIFY(publisher);
    Answers answers(*publisher);

    constexpr int Count = 300; // more than the server reads ahead of its answers
    QStringList refs;
    for (int i = 0; i < Count; ++i) {
        const bool persistent = i % 3 != 0;
        refs.append(
            publisher->publish(buildNotification(u"builds"_s, u"Build %1"_s.arg(i), persistent)));
    }
    QVERIFY(waitUntil([&] { return answers.count() == Count; }, 30000));
    QVERIFY2(answers.failed.empty(), qPrintable(answers.failed.begin()->second.first + u": "_s +
                                                answers.failed.begin()->second.second));
    QVERIFY(waitUntil([&] { return received.size() >= Count; }, 30000));
    QCOMPARE(received.size(), Count);

    // Ids in the order of the frames, and each is the one the producer was told.
    for (int i = 0; i < Count; ++i) {
        const Notification &n = received.at(i);
        QCOMPARE(n.title, u"Build %1"_s.arg(i));
        QCOMPARE(n.id, answers.published.at(refs.at(i)));
        QCOMPARE(n.persistent, i % 3 != 0);
        if (i > 0)
            QVERIFY(n.id > received.at(i - 1).id);
    }

    // The persistent ones are stored, the transient ones are not.
    HttpClient http(m_syncd.httpUrl());
    http.setToken(m_userToken);
    const Listing listed = listAll(http, u"application=ci&channel=builds&limit=100"_s);
    QVERIFY2(listed.ok, listed.error.constData());
    QCOMPARE(listed.items.size(), Count - Count / 3);
    QVERIFY(listed.find(answers.published.at(refs.at(1))));
    QVERIFY(!listed.find(answers.published.at(refs.at(0))));
}

void TestSessionPublish::refusalsComeBackWithTheirRef()
{
    auto publisher = startSession(m_producer, {}, {});
    QVERIFY(publisher);
    Answers answers(*publisher);
    QSignalSpy serverErrors(publisher.get(), &SyncSession::serverErrorReceived);

    Notification others = buildNotification(u"invoices"_s, u"not mine"_s, true);
    others.application = OtherApp;
    const QString forbidden = publisher->publish(others);
    const QString badTitle =
        publisher->publish(buildNotification(u"refused"_s, QString(300, u'x'), true));
    Notification badTagged = buildNotification(u"refused"_s, u"bad tag"_s, false);
    badTagged.tags.insert(QString(100, u'k'), u"v"_s);
    const QString badTag = publisher->publish(badTagged);
    const QString accepted = publisher->publish(buildNotification(u"refused"_s, u"fine"_s, true));
    QVERIFY(waitUntil([&] { return answers.count() == 4; }, 10000));

    QCOMPARE(answers.failed.at(forbidden).first, u"forbidden"_s);
    QCOMPARE(answers.failed.at(badTitle).first, u"bad_request"_s);
    QVERIFY2(answers.failed.at(badTitle).second.startsWith(u"title"_s),
             qPrintable(answers.failed.at(badTitle).second));
    QCOMPARE(answers.failed.at(badTag).first, u"bad_request"_s);
    QVERIFY2(answers.failed.at(badTag).second.startsWith(u"tags"_s),
             qPrintable(answers.failed.at(badTag).second));
    QVERIFY(answers.published.at(accepted) > 0); // the session went on
    QCOMPARE(serverErrors.size(), 0);
    QCOMPARE(publisher->state(), State::Live);
}

void TestSessionPublish::userSessionMayNotPublish()
{
    // A user's ordinary session: registered, but its token may not publish.
    auto reader = startSession(m_userToken, u"alice"_s, {{App, {u"builds"_s}}});
    QVERIFY(reader);
    Answers answers(*reader);
    const QString ref = reader->publish(buildNotification(u"builds"_s, u"from alice"_s, true));
    QVERIFY(waitUntil([&] { return answers.count() == 1; }, 10000));
    QCOMPARE(answers.failed.at(ref).first, u"forbidden"_s);
    QCOMPARE(reader->state(), State::Live);

    // A user token may not open a publishing session at all.
    herald::SyncSessionConfig config;
    config.servers = {m_syncd.wsUrl()};
    config.token = m_userToken;
    config.clientId = u"tst-sessionpublish-user-publisher"_s;
    SyncSession refused(config);
    QSignalSpy errors(&refused, &SyncSession::serverErrorReceived);
    QSignalSpy registered(&refused, &SyncSession::registered);
    refused.start();
    QVERIFY(errors.wait(10000));
    QCOMPARE(errors.at(0).at(0).toString(), u"bad_request"_s);
    QCOMPARE(registered.size(), 0);
    refused.stop();
}

void TestSessionPublish::unansweredPublishesFailWhenTheDaemonIsKilled()
{
    auto publisher = startSession(m_producer, {}, {});
    QVERIFY(publisher);
    Answers answers(*publisher);
    constexpr int Count = 3000;
    for (int i = 0; i < Count; ++i)
        publisher->publish(buildNotification(u"kill"_s, u"#%1"_s.arg(i), true));
    // Killed at the first answer, with the rest in flight or not yet read by the daemon.
    QVERIFY(waitUntil([&] { return !answers.published.empty(); }, 10000, publisher.get(),
                      &SyncSession::published));
    m_syncd.kill();
    QVERIFY(waitUntil([&] { return answers.count() == Count; }, 10000));
    QVERIFY2(!answers.failed.empty(), "every publish was answered before the kill");
    for (const auto &[ref, failure] : answers.failed) {
        QCOMPARE(failure.first, u"unavailable"_s);
        QVERIFY2(failure.second.contains(u"unknown"_s), qPrintable(failure.second));
    }
    publisher->stop();

    // What was answered `published` survived the kill, as a 201 would have.
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    HttpClient http(m_syncd.httpUrl());
    http.setToken(m_userToken);
    const Listing listed = listAll(http, u"application=ci&channel=kill&limit=100"_s);
    QVERIFY2(listed.ok, listed.error.constData());
    for (const auto &[ref, id] : answers.published)
        QVERIFY2(listed.find(id), qPrintable(ref));
    qInfo("%zu published before the kill, %zu unknown, %lld stored", answers.published.size(),
          answers.failed.size(), qint64(listed.items.size()));
}

QTEST_GUILESS_MAIN(TestSessionPublish)
#include "tst_sessionpublish.moc"
