// SPDX-License-Identifier: Apache-2.0
// The inbox through the real path: two devices of one user, each the tray's parts wired the
// way Application wires them (SyncSession, list model, tray icon, DeliveryController with the
// balloon notifier, InboxController with its REST client), against a real herald-syncd on
// 127.0.0.1 with a user token. Badges agree, reading the list clears both, a delete on one
// device removes the row on the other, rollups are one row whose acknowledgement covers all.
#include "apihelpers.h"
#include "app/deliverycontroller.h"
#include "app/inboxcontroller.h"
#include "httpclient.h"
#include "model/notificationlistmodel.h"
#include "net/inboxrest.h"
#include "notify/trayballoonnotifier.h"
#include "session/syncsession.h"
#include "syncdprocess.h"
#include "tray/trayicon.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace herald;
using namespace herald::client;
using namespace herald::test;
using namespace Qt::StringLiterals;

// The tray's icons are compiled into herald_client_core; a static library's resources are
// registered by name, outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(client);
}

namespace {
constexpr int Timeout = 15000;

// One device: what Application::onSessionReplaced builds for a session.
struct Device
{
    explicit Device(const SyncSessionConfig &config)
        : session(config), tray(&model), notifier(tray.systemTrayIcon()),
          delivery(&session, &model, &notifier, 0), inbox(&session, &model, new InboxRest(&nam))
    {
        QObject::connect(&inbox, &InboxController::unseenCountChanged, &tray, &TrayIcon::setUnseen);
        QObject::connect(&inbox, &InboxController::rulesChanged, &delivery,
                         &DeliveryController::setRollupRules);
        session.start();
    }

    SyncSession session;
    NotificationListModel model;
    TrayIcon tray;
    TrayBalloonNotifier notifier;
    QNetworkAccessManager nam;
    DeliveryController delivery;
    InboxController inbox;
};

QModelIndex rollupRow(const NotificationListModel &model)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(NotificationListModel::IsRollupRole).toBool())
            return model.index(row, 0);
    }
    return {};
}
} // namespace

class TestInboxControllerSyncd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        initResources();
        const QString seeded =
            m_syncd.seed(u"demo"_s, {u"alerts"_s, u"deploys"_s, u"other"_s}, {u"alice"_s});
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        m_token = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        const QString producer = m_syncd.createToken(u"producer"_s, {u"--app"_s, u"demo"_s});
        QVERIFY(!m_token.isEmpty() && !producer.isEmpty());
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        m_producer.setBaseUrl(m_syncd.httpUrl());
        m_producer.setToken(producer);
        m_user.setBaseUrl(m_syncd.httpUrl());
        m_user.setToken(m_token);

        m_laptop = std::make_unique<Device>(config({u"alerts"_s, u"deploys"_s}));
        m_phone = std::make_unique<Device>(config({u"alerts"_s, u"deploys"_s}));
        for (Device *d : devices())
            QTRY_COMPARE_WITH_TIMEOUT(d->session.state(), SyncSession::State::Live, Timeout);
    }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void badgesShowTheServersUnseenCountAndReadingTheListClearsBoth()
    {
        // The count comes from GET /inbox/count after `registered`: 0, not "unknown".
        for (Device *d : devices())
            QTRY_COMPARE_WITH_TIMEOUT(d->tray.shownUnread(), 0, Timeout);
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i)
            ids << publish(m_producer, u"demo"_s, u"alerts"_s, u"alert %1"_s.arg(i));
        QVERIFY(!ids.contains(0));
        for (Device *d : devices()) {
            QTRY_COMPARE_WITH_TIMEOUT(d->inbox.unseenCount(), 3, Timeout);
            QTRY_COMPARE_WITH_TIMEOUT(d->tray.shownUnread(), 3, Timeout);
        }
        // What was read on one device is not new on any: both badges drop.
        m_phone->delivery.markRead({ids[0]});
        QTRY_VERIFY_WITH_TIMEOUT(!m_laptop->model.isUnread(ids[0]), Timeout);
        for (Device *d : devices())
            QTRY_COMPARE_WITH_TIMEOUT(d->tray.shownUnread(), 2, Timeout);

        QSignalSpy applied(&m_laptop->inbox, &InboxController::pageApplied);
        m_laptop->inbox.openList();
        QVERIFY(applied.wait(Timeout));
        QCOMPARE(applied.first().first().toInt(), 3);
        for (Device *d : devices())
            QTRY_COMPARE_WITH_TIMEOUT(d->tray.shownUnread(), 0, Timeout);
        QCOMPARE(m_laptop->model.unreadIds(), (QList<NotificationId>{ids[1], ids[2]}));
    }

    void aDeleteOnOneDeviceRemovesTheRowOnTheOther()
    {
        const qint64 keep = publish(m_producer, u"demo"_s, u"alerts"_s, u"keep me"_s);
        const qint64 drop = publish(m_producer, u"demo"_s, u"alerts"_s, u"delete me"_s);
        for (Device *d : devices())
            QTRY_VERIFY_WITH_TIMEOUT(d->model.contains(drop) && d->model.contains(keep), Timeout);
        m_phone->inbox.remove({drop});
        for (Device *d : devices())
            QTRY_VERIFY_WITH_TIMEOUT(!d->model.contains(drop), Timeout);
        QVERIFY(m_laptop->model.contains(keep));
        const QList<qint64> listed = inboxIds();
        QVERIFY(listed.contains(keep));
        QVERIFY(!listed.contains(drop));
    }

    void rollupIsOneRowAndAcknowledgingItAcknowledgesEveryMember()
    {
        const HttpResponse rule =
            m_user.put(u"/api/v1/inbox/rules/deploys"_s,
                       QJsonObject{{u"application"_s, u"demo"_s}, {u"channel"_s, u"deploys"_s}});
        QVERIFY2(rule.status == 201, rule.describe().constData());
        QList<qint64> ids;
        for (int i = 1; i <= 4; ++i)
            ids << publish(m_producer, u"demo"_s, u"deploys"_s, u"deploy"_s,
                           QJsonObject{{u"title"_s, u"v2.%1 is live"_s.arg(i)}});
        // A third device that never got them live: the list fetches the members.
        Device tablet(config({u"other"_s}));
        QTRY_COMPARE_WITH_TIMEOUT(tablet.session.state(), SyncSession::State::Live, Timeout);
        QVERIFY(!tablet.model.contains(ids[0]));
        QSignalSpy applied(&tablet.inbox, &InboxController::pageApplied);
        tablet.inbox.openList();
        QVERIFY(applied.wait(Timeout));
        const QModelIndex row = rollupRow(tablet.model);
        QVERIFY(row.isValid());
        QCOMPARE(row.data().toString(), u"4 deploys in deploys, latest: v2.4 is live"_s);
        QTRY_COMPARE_WITH_TIMEOUT(tablet.model.rowCount(rollupRow(tablet.model)), 4, Timeout);

        const auto members = rollupRow(tablet.model)
                                 .data(NotificationListModel::MemberIdsRole)
                                 .value<QList<NotificationId>>();
        QCOMPARE(members, (QList<NotificationId>{ids[3], ids[2], ids[1], ids[0]}));
        tablet.delivery.markRead(members);
        for (Device *d : devices())
            QTRY_VERIFY_WITH_TIMEOUT(!d->model.isUnread(ids[0]) && !d->model.isUnread(ids[3]),
                                     Timeout);
        const Listing listing = listAll(m_user, u"application=demo&channel=deploys"_s);
        QVERIFY(listing.ok);
        for (qint64 id : ids)
            QVERIFY(listing.find(id)->value(u"acknowledged"_s).toBool());
    }

    void aBurstThatARuleFoldsPopsUpOnce()
    {
        // The rule of the test before is read at register: connect again.
        Device desk(config({u"deploys"_s}));
        QTRY_COMPARE_WITH_TIMEOUT(desk.session.state(), SyncSession::State::Live, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(desk.inbox.rules().size(), 1, Timeout);
        const int before = desk.delivery.popupCount();
        QList<qint64> ids;
        for (int i = 5; i <= 7; ++i)
            ids << publish(m_producer, u"demo"_s, u"deploys"_s, u"deploy"_s,
                           QJsonObject{{u"title"_s, u"v2.%1 is live"_s.arg(i)}});
        QTRY_VERIFY_WITH_TIMEOUT(desk.model.contains(ids.last()), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(desk.delivery.popupCount(), before + 1, Timeout);
        QTest::qWait(RollupBurst::DefaultQuietMs + 200);
        QCOMPARE(desk.delivery.popupCount(), before + 1);
    }

    void deleteAllClearsEveryDevice()
    {
        QVERIFY(m_laptop->model.totalCount() > 0);
        m_laptop->inbox.removeAll();
        for (Device *d : devices())
            QTRY_COMPARE_WITH_TIMEOUT(d->model.totalCount(), 0, Timeout);
        QVERIFY(inboxIds().isEmpty());
        for (Device *d : devices())
            QTRY_COMPARE_WITH_TIMEOUT(d->tray.shownUnread(), 0, Timeout);
    }

    void cleanupTestCase()
    {
        m_laptop.reset();
        m_phone.reset();
    }

private:
    SyncSessionConfig config(const QStringList &channels) const
    {
        SyncSessionConfig c;
        c.servers = {m_syncd.wsUrl()};
        c.user = u"alice"_s;
        c.token = m_token;
        c.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        c.subscriptions = {Subscription{u"demo"_s, channels}};
        return c;
    }
    QList<Device *> devices() const { return {m_laptop.get(), m_phone.get()}; }
    QList<qint64> inboxIds()
    {
        // A later page: it must not move the seen cursor under the test's feet.
        const HttpResponse page = m_user.get(u"/api/v1/inbox?limit=100&after=9007199254740991"_s);
        QList<qint64> ids;
        for (const QJsonValue &item : page.object().value(u"notifications"_s).toArray())
            ids << item.toObject().value(u"id"_s).toInteger();
        return ids;
    }

    SyncdProcess m_syncd;
    QString m_token;
    HttpClient m_producer;
    HttpClient m_user;
    std::unique_ptr<Device> m_laptop;
    std::unique_ptr<Device> m_phone;
};

QTEST_MAIN(TestInboxControllerSyncd)
#include "tst_inboxcontroller_syncd.moc"
