// SPDX-License-Identifier: Apache-2.0
#include "app/deliverycontroller.h"
#include "model/notificationlistmodel.h"
#include "notify/notifier.h"
#include "session/syncsession.h"
#include "testdata.h"

#include <QTest>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

namespace {
// Records what would pop up (the seam the real backends sit behind).
class FakeNotifier : public Notifier
{
public:
    QString backendName() const override { return u"fake"_s; }
    void show(const Popup &popup) override { shown.append(popup); }
    void withdraw(const QList<NotificationId> &ids) override { withdrawn += ids; }
    int openPopupCount() const override { return int(shown.size()); }

    QList<Popup> shown;
    QList<NotificationId> withdrawn;
};
} // namespace

class TestDeliveryController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void livePopsUpAndBacklogIsSummarized()
    {
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 0);
        controller.setSummaryThreshold(5);
        for (int id = 1; id <= 12; ++id)
            Q_EMIT session.notificationReceived(notification(id, u"infra"_s, u"ops"_s), true);
        Q_EMIT session.notificationReceived(notification(13, u"web"_s, u"deploys"_s), true);
        QVERIFY(notifier.shown.isEmpty()); // nothing before the backlog is done
        Q_EMIT session.backlogDone();
        QCOMPARE(notifier.shown.size(), 2);
        QCOMPARE(notifier.shown[0].title, u"12 new in ops"_s);
        QCOMPARE(notifier.shown[1].ids, QList<NotificationId>{13});
        QCOMPARE(model.unreadCount(), 13);
        Q_EMIT session.notificationReceived(notification(14, u"web"_s, u"deploys"_s), false);
        QCOMPARE(notifier.shown.size(), 3);
        QCOMPARE(controller.lastSeenId(), 14);
    }

    void duplicatesNeverPopTwice()
    {
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 0);
        Q_EMIT session.notificationReceived(notification(1, u"a"_s, u"c"_s), false);
        Q_EMIT session.notificationReceived(notification(1, u"a"_s, u"c"_s), false);
        QCOMPARE(notifier.shown.size(), 1);
    }

    void shownBeforeRestartGoesToTheListOnly()
    {
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 10);
        Q_EMIT session.notificationReceived(notification(9, u"a"_s, u"c"_s), true);
        Q_EMIT session.notificationReceived(notification(11, u"a"_s, u"c"_s), true);
        Q_EMIT session.backlogDone();
        QCOMPARE(notifier.shown.size(), 1);
        QCOMPARE(notifier.shown[0].ids, QList<NotificationId>{11});
        QCOMPARE(model.totalCount(), 2);
    }

    void preferencesAndDoNotDisturb()
    {
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 0);
        UserPreferences user;
        PreferenceRule quiet;
        quiet.application = u"a"_s;
        quiet.channel = u"quiet"_s;
        quiet.agents = {u"email"_s}; // not to the desktop: listed, no popup
        PreferenceRule noise = quiet;
        noise.channel = u"noise"_s;
        noise.delivery = PreferenceRule::Delivery::Off;
        user.rules = {quiet, noise};
        controller.setUserPreferences(user);
        Q_EMIT session.notificationReceived(notification(1, u"a"_s, u"quiet"_s), false);
        Q_EMIT session.notificationReceived(notification(2, u"a"_s, u"noise"_s), false);
        QCOMPARE(notifier.shown.size(), 0);
        QCOMPARE(model.totalCount(), 1);
        DeliveryPreferences prefs = controller.preferences();
        prefs.setDoNotDisturb(DeliveryPreferences::Forever);
        controller.setPreferences(prefs);
        Q_EMIT session.notificationReceived(notification(3, u"a"_s, u"loud"_s), false);
        QCOMPARE(notifier.shown.size(), 0);
        QCOMPARE(model.unreadCount(), 2);
        // New preferences from the server keep this device's do-not-disturb.
        controller.setUserPreferences({});
        QVERIFY(controller.preferences().isDoNotDisturbActive(QDateTime::currentDateTimeUtc()));
    }

    void readElsewhereClosesThePopup()
    {
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 0);
        Q_EMIT session.notificationReceived(notification(1, u"a"_s, u"c"_s), false);
        Q_EMIT session.acknowledged({1});
        QCOMPARE(notifier.withdrawn, QList<NotificationId>{1});
        QCOMPARE(model.unreadCount(), 0);
        Q_EMIT session.notificationReceived(notification(2, u"a"_s, u"c"_s), false);
        Q_EMIT session.deleted({2});
        QVERIFY(!model.contains(2));
    }

    void markReadHereWithdrawsAndUpdatesTheList()
    {
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 0);
        Q_EMIT session.notificationReceived(notification(1, u"a"_s, u"c"_s), false);
        Q_EMIT session.notificationReceived(notification(2, u"a"_s, u"c"_s), false);
        Q_EMIT notifier.markReadRequested({1}); // "Mark as read" on the popup
        QCOMPARE(model.unreadIds(), QList<NotificationId>{2});
        controller.markAllRead();
        QCOMPARE(model.unreadCount(), 0);
        QCOMPARE(notifier.withdrawn, (QList<NotificationId>{1, 2}));
    }
};

QTEST_MAIN(TestDeliveryController)
#include "tst_deliverycontroller.moc"
