// SPDX-License-Identifier: Apache-2.0
#include "notify/fdonotifier.h"
#include "notify/markup.h"

#include <QTest>

using namespace herald;
using namespace herald::client;
using namespace Qt::StringLiterals;

class TestMarkup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void escapesForServersWithBodyMarkup_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("escaped");
        QTest::newRow("plain") << u"disk full"_s << u"disk full"_s;
        QTest::newRow("tags") << u"<b>bold</b>"_s << u"&lt;b&gt;bold&lt;/b&gt;"_s;
        QTest::newRow("amp") << u"a & b"_s << u"a &amp; b"_s;
        QTest::newRow("entity stays literal") << u"&lt;"_s << u"&amp;lt;"_s;
        QTest::newRow("quotes") << u"say \"hi\" it's"_s << u"say &quot;hi&quot; it&#39;s"_s;
        QTest::newRow("link") << u"<a href=\"x\">y</a>"_s
                              << u"&lt;a href=&quot;x&quot;&gt;y&lt;/a&gt;"_s;
        QTest::newRow("unicode") << u"Größe > 9 ГБ"_s << u"Größe &gt; 9 ГБ"_s;
    }
    void escapesForServersWithBodyMarkup()
    {
        QFETCH(QString, text);
        QFETCH(QString, escaped);
        QCOMPARE(notificationBody(text, true), escaped);
        QCOMPARE(notificationBody(text, false), text);
    }

    void actionsFollowCapabilitiesAndUrl()
    {
        Popup popup;
        popup.ids = {1};
        QCOMPARE(FdoNotifier::actionsFor(popup, {u"body"_s}), QStringList{});
        const QStringList withActions = FdoNotifier::actionsFor(popup, {u"actions"_s});
        QCOMPARE(withActions,
                 (QStringList{u"default"_s, u"Show"_s, u"mark-read"_s, u"Mark as read"_s}));
        popup.url = u"https://example.org/"_s;
        QCOMPARE(FdoNotifier::actionsFor(popup, {u"actions"_s}).mid(4),
                 (QStringList{u"open"_s, u"Open"_s}));
    }

    void hintsCarryUrgencyAndDesktopEntry_data()
    {
        QTest::addColumn<int>("priority");
        QTest::addColumn<int>("urgency");
        QTest::newRow("low") << int(Priority::Low) << 0;
        QTest::newRow("normal") << int(Priority::Normal) << 1;
        QTest::newRow("high") << int(Priority::High) << 2;
        QTest::newRow("urgent") << int(Priority::Urgent) << 2;
    }
    void hintsCarryUrgencyAndDesktopEntry()
    {
        QFETCH(int, priority);
        QFETCH(int, urgency);
        Popup popup;
        popup.ids = {4, 5};
        popup.priority = Priority(priority);
        const QVariantMap hints = FdoNotifier::hintsFor(popup);
        QCOMPARE(hints.value(u"urgency"_s).value<uchar>(), uchar(urgency));
        QCOMPARE(hints.value(u"urgency"_s).metaType(), QMetaType::fromType<uchar>()); // D-Bus byte
        QCOMPARE(hints.value(u"desktop-entry"_s).toString(), u"org.herald.Herald"_s);
        QCOMPARE(hints.value(u"x-herald-ids"_s).toString(), u"4,5"_s);
    }
};

QTEST_MAIN(TestMarkup)
#include "tst_markup.moc"
