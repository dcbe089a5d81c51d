// SPDX-License-Identifier: Apache-2.0
#include "tray/trayiconrenderer.h"

#include <QFile>
#include <QImage>
#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

class TestTrayIconRenderer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Q_INIT_RESOURCE(client); }

    void everyStateHasAnSvg_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("unread");
        QTest::addColumn<QString>("name");
        QTest::newRow("connected") << int(TrayState::Connected) << 0 << u"connected"_s;
        QTest::newRow("unread") << int(TrayState::Connected) << 3 << u"unread"_s;
        QTest::newRow("offline") << int(TrayState::Offline) << 3 << u"offline"_s;
        QTest::newRow("dnd") << int(TrayState::DoNotDisturb) << 0 << u"dnd"_s;
    }
    void everyStateHasAnSvg()
    {
        QFETCH(int, state);
        QFETCH(int, unread);
        QFETCH(QString, name);
        QVERIFY(QFile::exists(TrayIconRenderer::svgPath(TrayState(state), unread)));
        QCOMPARE(TrayIconRenderer::stateName(TrayState(state), unread), name);
        const QIcon icon = TrayIconRenderer::icon(TrayState(state), unread);
        const QImage image = icon.pixmap(32, 32).toImage();
        QCOMPARE(image.size(), QSize(32, 32));
        QVERIFY(qAlpha(image.pixel(16, 16)) > 0); // something was drawn
    }

    void badgeCountsUpTo99()
    {
        QCOMPARE(TrayIconRenderer::badgeText(7), u"7"_s);
        QCOMPARE(TrayIconRenderer::badgeText(99), u"99"_s);
        QCOMPARE(TrayIconRenderer::badgeText(100), u"99+"_s);
    }
};

QTEST_MAIN(TestTrayIconRenderer)
#include "tst_trayiconrenderer.moc"
