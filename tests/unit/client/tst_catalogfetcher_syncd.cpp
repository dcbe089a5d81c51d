// SPDX-License-Identifier: Apache-2.0
// CatalogFetcher and the setup dialog against the real herald-syncd, with a user token.
#include "net/catalogfetcher.h"
#include "net/serverprobe.h"
#include "syncdprocess.h"
#include "ui/setupdialog.h"

#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace herald::client;
using namespace herald::test;
using namespace Qt::StringLiterals;

class TestCatalogFetcherSyncd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<CatalogFetcher::Result>();
        const QString db = m_syncd.databasePath();
        const QList<QStringList> commands{
            {u"app"_s, u"create"_s, u"--database"_s, db, u"demo"_s, u"--title"_s, u"Demo"_s},
            {u"channel"_s, u"create"_s, u"--database"_s, db, u"--app"_s, u"demo"_s, u"alerts"_s,
             u"--title"_s, u"Alerts"_s},
            {u"channel"_s, u"create"_s, u"--database"_s, db, u"--app"_s, u"demo"_s, u"deploys"_s},
            {u"app"_s, u"create"_s, u"--database"_s, db, u"ops"_s},
            {u"channel"_s, u"create"_s, u"--database"_s, db, u"--app"_s, u"ops"_s, u"backups"_s},
            {u"user"_s, u"create"_s, u"--database"_s, db, u"alice"_s},
        };
        for (const QStringList &args : commands) {
            const CliResult r = m_syncd.cli(args);
            QVERIFY2(r.exitCode == 0,
                     qPrintable(args.join(u' ') + u": "_s + QString::fromUtf8(r.err)));
        }
        m_userToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        QVERIFY(!m_userToken.isEmpty());
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void userTokenReadsTheCatalog()
    {
        const auto result = fetch(m_userToken);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Ok);
        QStringList ids;
        for (const CatalogChannel &c : result.channels)
            ids << c.id();
        QCOMPARE(ids, (QStringList{u"demo/alerts"_s, u"demo/deploys"_s, u"ops/backups"_s}));
        QCOMPARE(result.channels[0].title, u"Alerts"_s);
        QCOMPARE(result.channels[0].applicationTitle, u"Demo"_s);
    }

    void wrongTokenIsUnauthorized()
    {
        const auto result = fetch(u"not-a-token"_s);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Unauthorized);
        QVERIFY(!result.message.isEmpty());
    }

    void producerTokenSeesItsApplication()
    {
        const QString producer = m_syncd.createToken(u"producer"_s, {u"--app"_s, u"ops"_s});
        QVERIFY(!producer.isEmpty());
        const auto result = fetch(producer);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Ok);
        QCOMPARE(result.channels.size(), 1);
        QCOMPARE(result.channels[0].id(), u"ops/backups"_s);
    }

    void setupDialogOffersTheCatalog()
    {
        QNetworkAccessManager nam;
        ServerProbe probe(&nam);
        CatalogFetcher catalog(&nam);
        SetupDialog dialog(&probe, &catalog);
        dialog.setValues({m_syncd.httpUrl(), u"alice"_s, m_userToken, {u"ops/backups"_s}});
        QSignalSpy done(&catalog, &CatalogFetcher::finished);
        QPushButton *test = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>()) {
            if (b->text() == u"Test connection"_s)
                test = b;
        }
        QVERIFY(test);
        test->click();
        QVERIFY(done.wait(15000));
        auto *list = dialog.findChild<QListWidget *>();
        QStringList rows;
        for (int i = 0; i < list->count(); ++i) {
            rows << (list->item(i)->checkState() == Qt::Checked ? u"[x] "_s : u"[ ] "_s) +
                        list->item(i)->text();
        }
        QCOMPARE(rows, (QStringList{u"[ ] demo/alerts — Alerts"_s, u"[ ] demo/deploys"_s,
                                    u"[x] ops/backups"_s}));
        QCOMPARE(dialog.values().subscriptions, QStringList{u"ops/backups"_s});
    }

private:
    CatalogFetcher::Result fetch(const QString &token)
    {
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        QSignalSpy spy(&fetcher, &CatalogFetcher::finished);
        fetcher.fetch(m_syncd.httpUrl(), token);
        if (!spy.wait(15000))
            return {CatalogFetcher::Outcome::ServerError, u"no result"_s, {}};
        return spy.at(0).at(0).value<CatalogFetcher::Result>();
    }

    SyncdProcess m_syncd;
    QString m_userToken;
};

QTEST_MAIN(TestCatalogFetcherSyncd)
#include "tst_catalogfetcher_syncd.moc"
