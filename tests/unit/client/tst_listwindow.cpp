// SPDX-License-Identifier: Apache-2.0
#include "model/inboxitem.h"
#include "model/notificationlistmodel.h"
#include "ui/listwindow.h"
#include "ui/notificationcardlayout.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStyleOptionViewItem>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace herald;
using namespace herald::client;
using namespace Qt::StringLiterals;

namespace {
Notification notification(NotificationId id, const QString &url = {})
{
    Notification n;
    n.id = id;
    n.application = u"ci"_s;
    n.channel = u"api"_s;
    n.title = u"v2.%1 is live"_s.arg(id);
    n.url = url;
    n.time = QDateTime::currentDateTimeUtc();
    return n;
}

QTreeView *viewOf(ListWindow &window)
{
    return window.findChild<QTreeView *>();
}

QModelIndex firstCard(QTreeView *view)
{
    return view->model()->index(0, 0, view->model()->index(0, 0));
}
} // namespace

class TestListWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void enterOpensTheLinkAndMarksRead()
    {
        NotificationListModel model;
        model.add(notification(5, u"https://ci.example.org/5"_s));
        ListWindow window(&model);
        window.show();
        QTreeView *view = viewOf(window);
        view->setCurrentIndex(firstCard(view));
        QSignalSpy opened(&window, &ListWindow::openUrlRequested);
        QSignalSpy read(&window, &ListWindow::markReadRequested);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().first().toUrl(), QUrl(u"https://ci.example.org/5"_s));
        QCOMPARE(read.count(), 1);
        QCOMPARE(read.first().first().value<QList<NotificationId>>(), QList<NotificationId>{5});
    }

    void enterFoldsARollupOpenAndShut()
    {
        NotificationListModel model;
        model.applyInboxItem(InboxItem{notification(3), false, false, {3, 2}, u"deploys"_s});
        model.add(notification(2));
        ListWindow window(&model);
        window.show();
        QTreeView *view = viewOf(window);
        const QModelIndex rollup = view->model()->index(0, 0);
        QVERIFY(!view->isExpanded(rollup));
        view->setCurrentIndex(rollup);
        QTest::keyClick(view, Qt::Key_Enter);
        QVERIFY(view->isExpanded(rollup));
        QTest::keyClick(view, Qt::Key_Return);
        QVERIFY(!view->isExpanded(rollup));
    }

    void spaceAndRMarkRead()
    {
        NotificationListModel model;
        model.add(notification(8));
        ListWindow window(&model);
        window.show();
        QTreeView *view = viewOf(window);
        view->setCurrentIndex(firstCard(view));
        QSignalSpy read(&window, &ListWindow::markReadRequested);
        QTest::keyClick(view, Qt::Key_Space);
        QTest::keyClick(view, Qt::Key_R);
        QCOMPARE(read.count(), 2);
        QCOMPARE(read.at(1).first().value<QList<NotificationId>>(), QList<NotificationId>{8});
    }

    void ctrlFSearchesAndEscapeClearsThenCloses()
    {
        NotificationListModel model;
        model.add(notification(1));
        ListWindow window(&model);
        window.present();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTreeView *view = viewOf(window);
        view->setFocus();
        auto *search = window.findChild<QLineEdit *>();
        QTest::keyClick(view, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(search->hasFocus());
        QTest::keyClicks(search, u"v2"_s);
        QTest::keyClick(search, Qt::Key_Escape);
        QVERIFY(search->text().isEmpty());
        QVERIFY(window.isVisible());
        QTest::keyClick(search, Qt::Key_Escape);
        QVERIFY(!window.isVisible());
    }

    void emptyListSaysWhy()
    {
        NotificationListModel model;
        ListWindow window(&model);
        window.show();
        auto *empty = window.findChild<QLabel *>(u"emptyState"_s);
        QVERIFY(empty);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(u"No notifications"_s));
        model.add(notification(1));
        QVERIFY(!empty->isVisible());
        QVERIFY(viewOf(window)->isVisible());
        window.findChild<QLineEdit *>()->setText(u"nothing like this"_s);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(u"Nothing matches"_s));
    }

    void oneClockRepaintsTheTimesWhileTheWindowShows()
    {
        NotificationListModel model;
        for (NotificationId id = 1; id <= 50; ++id)
            model.add(notification(id));
        ListWindow window(&model);
        const auto clocks = window.findChildren<QTimer *>(u"relativeTimeClock"_s);
        QCOMPARE(clocks.size(), 1); // one for the view, none per row
        QTimer *clock = clocks.first();
        QCOMPARE(clock->interval(), 30000);
        QVERIFY(!clock->isActive());
        window.show();
        QVERIFY(clock->isActive());
        window.hide();
        QVERIFY(!clock->isActive());
        QCOMPARE(window.findChildren<QTimer *>().size(), 1);
    }

    void aCardsOpenButtonOpensAndMarksRead()
    {
        NotificationListModel model;
        model.add(notification(6, u"https://ci.example.org/6"_s));
        ListWindow window(&model);
        window.resize(700, 500);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTreeView *view = viewOf(window);
        const QModelIndex card = firstCard(view);
        QStyleOptionViewItem option;
        option.font = view->font();
        option.rect = view->visualRect(card);
        const auto layout = NotificationCardLayout::compute(option, card, false);
        QCOMPARE(layout.buttons.first().kind, CardButton::OpenUrl);
        QSignalSpy opened(&window, &ListWindow::openUrlRequested);
        QSignalSpy read(&window, &ListWindow::markReadRequested);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          layout.buttons.first().rect.center());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().first().toUrl(), QUrl(u"https://ci.example.org/6"_s));
        QCOMPARE(read.count(), 1);
    }
};

QTEST_MAIN(TestListWindow)
#include "tst_listwindow.moc"
