// SPDX-License-Identifier: Apache-2.0
// A digest frame: one popup worded after its schedule, with the plural forms of the language;
// its items in the list, unread, none popping up on its own; and the list filtered to the
// digest's notifications when the popup is clicked.
#include "app/deliverycontroller.h"
#include "model/notificationfiltermodel.h"
#include "model/notificationlistmodel.h"
#include "notify/notifier.h"
#include "session/syncsession.h"
#include "testdata.h"
#include "ui/listwindow.h"

#include <QCoreApplication>
#include <QLabel>
#include <QTest>
#include <QTranslator>
#include <QTreeView>

#include <algorithm>
#include <memory>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

// The list window's icons are compiled into herald_client_core; a static library's resources
// are registered by name, outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(client);
}

namespace {
class FakeNotifier : public Notifier
{
public:
    QString backendName() const override { return u"fake"_s; }
    void show(const Popup &popup) override { shown.append(popup); }
    void withdraw(const QList<NotificationId> &) override {}
    int openPopupCount() const override { return int(shown.size()); }

    QList<Popup> shown;
};

// 14 notifications of 3 channels, of which the newest 5 came as items.
DigestMessage dailyDigest()
{
    DigestMessage digest;
    digest.id = u"d-1"_s;
    digest.period = u"daily@08:00"_s;
    digest.periodEnd = QDateTime(QDate(2026, 12, 3), QTime(7, 0), Qt::UTC);
    digest.count = 14;
    digest.items = {notification(11, u"web"_s, u"deploys"_s, u"v1 live"_s),
                    notification(12, u"web"_s, u"alerts"_s, u"5xx up"_s),
                    notification(13, u"db"_s, u"ops"_s, u"vacuum done"_s),
                    notification(14, u"web"_s, u"deploys"_s, u"v2 live"_s),
                    notification(15, u"web"_s, u"deploys"_s, u"v3 live"_s)};
    return digest;
}

std::unique_ptr<QTranslator> install(const QString &language)
{
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(u"herald_"_s + language, u":/i18n"_s))
        return nullptr;
    QCoreApplication::installTranslator(translator.get());
    return translator;
}

int visibleNotifications(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    int count = 0;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        if (index.data(NotificationListModel::IsGroupRole).toBool())
            count += visibleNotifications(model, index);
        else
            ++count;
    }
    return count;
}
} // namespace

class TestDigestPopup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { initResources(); }

    void titleAfterTheScheduleWithEnglishPlurals_data()
    {
        QTest::addColumn<QString>("period");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("title");
        QTest::newRow("daily") << u"daily@08:00"_s << qint64(14) << 3
                               << u"Daily digest: 14 notifications in 3 channels"_s;
        QTest::newRow("hourly, one of each")
            << u"hourly"_s << qint64(1) << 1 << u"Hourly digest: 1 notification in 1 channel"_s;
        QTest::newRow("weekly") << u"weekly@mon@08:00"_s << qint64(2) << 1
                                << u"Weekly digest: 2 notifications in 1 channel"_s;
        QTest::newRow("a schedule not known yet")
            << u"monthly@1"_s << qint64(3) << 2 << u"Digest: 3 notifications in 2 channels"_s;
    }
    void titleAfterTheScheduleWithEnglishPlurals()
    {
        QFETCH(QString, period);
        QFETCH(qint64, count);
        QFETCH(int, channels);
        QFETCH(QString, title);
        const auto english = install(u"en"_s);
        QVERIFY2(english, "no :/i18n/herald_en.qm");
        QCOMPARE(digestTitle(period, count, channels), title);
    }

    void titleInRussianHasItsThreePluralForms()
    {
        const auto russian = install(u"ru"_s);
        QVERIFY(russian);
        QCOMPARE(digestTitle(u"daily@08:00"_s, 1, 1),
                 u"Ежедневная сводка: 1 уведомление в 1 канале"_s);
        QCOMPARE(digestTitle(u"daily@08:00"_s, 3, 2),
                 u"Ежедневная сводка: 3 уведомления в 2 каналах"_s);
        QCOMPARE(digestTitle(u"daily@08:00"_s, 14, 5),
                 u"Ежедневная сводка: 14 уведомлений в 5 каналах"_s);
    }

    void oneDigestOnePopupAndItsItemsInTheList()
    {
        const auto english = install(u"en"_s);
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 0);
        Q_EMIT session.notificationReceived(notification(3, u"web"_s, u"deploys"_s), false);
        QCOMPARE(notifier.shown.size(), 1);
        Q_EMIT session.digestReceived(dailyDigest());
        QCOMPARE(notifier.shown.size(), 2);
        const Popup &popup = notifier.shown.last();
        QCOMPARE(popup.title, u"Daily digest: 14 notifications in 3 channels"_s);
        QCOMPARE(popup.ids, (QList<NotificationId>{11, 12, 13, 14, 15}));
        QVERIFY(popup.summary);
        QCOMPARE(popup.body, u"v3 live\nv2 live\nvacuum done\n… and 11 more"_s);
        QCOMPARE(model.unreadIds(), (QList<NotificationId>{3, 11, 12, 13, 14, 15}));
        QCOMPARE(controller.lastSeenId(), 15);
        // The same digest again (another session of the user got it too): nothing more.
        Q_EMIT session.digestReceived(dailyDigest());
        QCOMPARE(notifier.shown.size(), 2);
        QCOMPARE(controller.popupCount(), 2);
    }

    void doNotDisturbListsTheDigestWithoutAPopup()
    {
        SyncSession session(SyncSessionConfig{});
        NotificationListModel model;
        FakeNotifier notifier;
        DeliveryController controller(&session, &model, &notifier, 0);
        DeliveryPreferences prefs;
        prefs.setDoNotDisturb(DeliveryPreferences::Forever);
        controller.setPreferences(prefs);
        Q_EMIT session.digestReceived(dailyDigest());
        QVERIFY(notifier.shown.isEmpty());
        QCOMPARE(model.unreadCount(), 5);
    }

    void theFilterShowsOnlyTheDigestsNotifications()
    {
        NotificationListModel model;
        for (NotificationId id : {1, 2, 3})
            model.add(notification(id, u"web"_s, u"deploys"_s));
        for (const Notification &n : dailyDigest().items)
            model.add(n);
        NotificationFilterModel filter;
        filter.setSourceModel(&model);
        QCOMPARE(visibleNotifications(filter), 8);
        filter.setIdFilter({12, 13, 15});
        QCOMPARE(visibleNotifications(filter), 3);
        QCOMPARE(filter.rowCount(), 3); // db/ops, web/alerts, web/deploys: each with one of them
        filter.setIdFilter({13});
        QCOMPARE(filter.rowCount(), 1); // channels without any go
        filter.setSearchText(u"vacuum"_s);
        QCOMPARE(visibleNotifications(filter), 1);
        filter.setSearchText(u"v3"_s); // both apply
        QCOMPARE(visibleNotifications(filter), 0);
        filter.setSearchText({});
        filter.setIdFilter({});
        QCOMPARE(visibleNotifications(filter), 8);
    }

    void theListWindowShowsOnlyThemUntilShowAll()
    {
        NotificationListModel model;
        for (NotificationId id : {1, 2})
            model.add(notification(id, u"web"_s, u"deploys"_s));
        for (const Notification &n : dailyDigest().items)
            model.add(n);
        ListWindow window(&model);
        window.show();
        auto *view = window.findChild<QTreeView *>();
        QVERIFY(view);
        QCOMPARE(visibleNotifications(*view->model()), 7);
        window.showOnly({11, 12, 13, 14, 15});
        QCOMPARE(visibleNotifications(*view->model()), 5);
        const auto labels = window.findChildren<QLabel *>();
        const bool said = std::any_of(labels.begin(), labels.end(), [](const QLabel *label) {
            return label->isVisible() && label->text().contains(u"5"_s);
        });
        QVERIFY2(said, "the window says it shows only some");
        // Every shown group is open: the notifications are on screen, not folded away.
        for (int row = 0; row < view->model()->rowCount(); ++row)
            QVERIFY(view->isExpanded(view->model()->index(row, 0)));
        window.showAll();
        QCOMPARE(visibleNotifications(*view->model()), 7);
        window.showOnly({1});
        window.select(14); // choosing one notification shows everything again
        QCOMPARE(visibleNotifications(*view->model()), 7);
    }
};

QTEST_MAIN(TestDigestPopup)
#include "tst_digestpopup.moc"
