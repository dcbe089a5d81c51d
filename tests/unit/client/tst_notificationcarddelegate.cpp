// SPDX-License-Identifier: Apache-2.0
#include "model/inboxitem.h"
#include "model/notificationlistmodel.h"
#include "ui/notificationcarddelegate.h"

#include <QApplication>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QStyleOptionViewItem>
#include <QTest>

using namespace herald;
using namespace herald::client;
using namespace Qt::StringLiterals;

namespace {
Notification notification(NotificationId id, const QString &url = {},
                          const QList<NotificationAction> &actions = {})
{
    Notification n;
    n.id = id;
    n.application = u"ci"_s;
    n.channel = u"api"_s;
    n.title = u"v2.%1 is live"_s.arg(id);
    n.message = u"Rolled out to 12 of 12 hosts"_s;
    n.url = url;
    n.actions = actions;
    n.time = QDateTime::currentDateTimeUtc();
    return n;
}

QStyleOptionViewItem optionFor(const NotificationCardDelegate &delegate, const QModelIndex &index)
{
    QStyleOptionViewItem option;
    option.font = QApplication::font();
    option.palette = QApplication::palette();
    const int height = delegate.sizeHint(option, index).height();
    option.rect = QRect(0, 100, 640, height); // a row below the top: y counts
    return option;
}
} // namespace

class TestNotificationCardDelegate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clicksOnPaintedButtonsFindTheirAction()
    {
        NotificationListModel model;
        model.add(notification(7, u"https://ci.example.org/run/7"_s,
                               {{u"log"_s, u"Build log"_s, u"https://ci.example.org/log/7"_s},
                                {u"retry"_s, u"Retry"_s, {}}}));
        const QModelIndex card = model.index(0, 0, model.index(0, 0));
        NotificationCardDelegate delegate;
        const QStyleOptionViewItem option = optionFor(delegate, card);
        const auto layout = NotificationCardLayout::compute(option, card, false);

        // The link, each action that has one (no callback exists for the others), mark read.
        QCOMPARE(layout.buttons.size(), 3);
        const auto open = delegate.buttonAt(option, card, layout.buttons.at(0).rect.center());
        QVERIFY(open);
        QCOMPARE(open->kind, CardButton::OpenUrl);
        QCOMPARE(open->url, u"https://ci.example.org/run/7"_s);
        const auto log = delegate.buttonAt(option, card, layout.buttons.at(1).rect.center());
        QVERIFY(log);
        QCOMPARE(log->label, u"Build log"_s);
        QCOMPARE(log->url, u"https://ci.example.org/log/7"_s);
        const auto read = delegate.buttonAt(option, card, layout.buttons.at(2).rect.center());
        QVERIFY(read);
        QCOMPARE(read->kind, CardButton::MarkRead);

        // Buttons sit inside the card, side by side, not over each other.
        for (const CardButton &button : layout.buttons)
            QVERIFY(layout.card.contains(button.rect));
        QVERIFY(layout.buttons.at(0).rect.right() < layout.buttons.at(1).rect.left());
        // The title, the gap between two buttons and the avatar are no buttons.
        QVERIFY(!delegate.buttonAt(option, card, layout.title.center()));
        QVERIFY(!delegate.buttonAt(option, card, layout.avatar.center()));
        const QPoint gap(layout.buttons.at(0).rect.right() + 3,
                         layout.buttons.at(0).rect.center().y());
        QVERIFY(!delegate.buttonAt(option, card, gap));
    }

    void aReleasedClickReportsTheButton()
    {
        NotificationListModel model;
        model.add(notification(3, u"https://example.org/3"_s));
        const QModelIndex card = model.index(0, 0, model.index(0, 0));
        NotificationCardDelegate delegate;
        const QStyleOptionViewItem option = optionFor(delegate, card);
        const QPoint at =
            NotificationCardLayout::compute(option, card, false).buttons.at(0).rect.center();
        QSignalSpy clicked(&delegate, &NotificationCardDelegate::buttonClicked);

        QMouseEvent press(QEvent::MouseButtonPress, at, at, Qt::LeftButton, Qt::LeftButton, {});
        static_cast<QAbstractItemDelegate &>(delegate).editorEvent(&press, &model, option, card);
        QCOMPARE(clicked.count(), 0); // a press alone does nothing yet
        QMouseEvent release(QEvent::MouseButtonRelease, at, at, Qt::LeftButton, Qt::NoButton, {});
        QVERIFY(static_cast<QAbstractItemDelegate &>(delegate).editorEvent(&release, &model, option,
                                                                           card));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).value<QModelIndex>(), card);
        QCOMPARE(clicked.first().at(1).value<CardButton>().url, u"https://example.org/3"_s);

        const QPoint title = NotificationCardLayout::compute(option, card, false).title.center();
        QMouseEvent off(QEvent::MouseButtonRelease, title, title, Qt::LeftButton, Qt::NoButton, {});
        static_cast<QAbstractItemDelegate &>(delegate).editorEvent(&off, &model, option, card);
        QCOMPARE(clicked.count(), 1);
    }

    void readCardsHaveNoMarkReadButton()
    {
        NotificationListModel model;
        model.add(notification(4), false);
        const QModelIndex card = model.index(0, 0, model.index(0, 0));
        NotificationCardDelegate delegate;
        const auto layout = NotificationCardLayout::compute(optionFor(delegate, card), card, false);
        QVERIFY(layout.buttons.isEmpty());
    }

    void rollupCardsFoldOpenAndHeadersFoldAnywhere()
    {
        NotificationListModel model;
        model.applyInboxItem(InboxItem{notification(5), false, false, {5, 4, 3}, u"deploys"_s});
        model.add(notification(4));
        const QModelIndex rollup = model.index(0, 0);
        QVERIFY(rollup.data(NotificationListModel::IsRollupRole).toBool());
        NotificationCardDelegate delegate;
        QStyleOptionViewItem option = optionFor(delegate, rollup);
        const auto layout = NotificationCardLayout::compute(option, rollup, false);
        QCOMPARE(layout.buttons.first().kind, CardButton::Toggle);
        QCOMPARE(layout.buttons.last().kind, CardButton::MarkRead);

        model.add(notification(9)); // ci/api, a channel header before the rollup
        const QModelIndex header = model.index(0, 0);
        const QModelIndex rollupNow = model.index(1, 0);
        QVERIFY(!header.data(NotificationListModel::IsRollupRole).toBool());
        option = optionFor(delegate, header);
        const auto toggle = delegate.buttonAt(option, header, option.rect.center());
        QVERIFY(toggle);
        QCOMPARE(toggle->kind, CardButton::Toggle);
        QVERIFY(delegate.sizeHint(option, header).height() <
                delegate.sizeHint(option, rollupNow).height());
    }
};

QTEST_MAIN(TestNotificationCardDelegate)
#include "tst_notificationcarddelegate.moc"
