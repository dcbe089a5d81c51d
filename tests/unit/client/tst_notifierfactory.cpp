// SPDX-License-Identifier: Apache-2.0
#include "notify/notifierfactory.h"

#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;
using Backend = NotifierFactory::Backend;

Q_DECLARE_METATYPE(NotifierFactory::Backend)

class TestNotifierFactory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void choosesAtRunTime_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<bool>("fdo");
        QTest::addColumn<bool>("kf6");
        QTest::addColumn<bool>("kde");
        QTest::addColumn<bool>("tray");
        QTest::addColumn<Backend>("expected");
        QTest::newRow("linux desktop")
            << u"auto"_s << true << false << false << true << Backend::Freedesktop;
        QTest::newRow("kde with kf6")
            << u"auto"_s << true << true << true << true << Backend::KNotifications;
        QTest::newRow("kf6 built, not kde")
            << u"auto"_s << true << true << false << true << Backend::Freedesktop;
        QTest::newRow("no service: balloon")
            << u"auto"_s << false << false << false << true << Backend::TrayBalloon;
        QTest::newRow("nothing at all")
            << u"auto"_s << false << false << false << false << Backend::Freedesktop;
        QTest::newRow("balloon asked")
            << u"balloon"_s << true << false << false << true << Backend::TrayBalloon;
        QTest::newRow("balloon asked, no tray")
            << u"balloon"_s << true << false << false << false << Backend::Freedesktop;
        QTest::newRow("kf asked, not built")
            << u"kf"_s << true << false << true << true << Backend::Freedesktop;
        QTest::newRow("fdo asked, absent")
            << u"fdo"_s << false << false << false << true << Backend::TrayBalloon;
    }
    void choosesAtRunTime()
    {
        QFETCH(QString, requested);
        QFETCH(bool, fdo);
        QFETCH(bool, kf6);
        QFETCH(bool, kde);
        QFETCH(bool, tray);
        QFETCH(Backend, expected);
        NotifierFactory::Environment env;
        env.requested = requested;
        env.freedesktopService = fdo;
        env.kf6Built = kf6;
        env.kdeSession = kde;
        env.trayAvailable = tray;
        QCOMPARE(NotifierFactory::choose(env), expected);
    }

    void namesBackends()
    {
        QCOMPARE(NotifierFactory::backendName(Backend::Freedesktop), u"freedesktop"_s);
        QCOMPARE(NotifierFactory::backendName(Backend::TrayBalloon), u"balloon"_s);
        QCOMPARE(NotifierFactory::backendName(Backend::KNotifications), u"knotifications"_s);
    }
};

QTEST_MAIN(TestNotifierFactory)
#include "tst_notifierfactory.moc"
