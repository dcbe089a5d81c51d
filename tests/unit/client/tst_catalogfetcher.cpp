// SPDX-License-Identifier: Apache-2.0
// CatalogFetcher against a tiny in-test HTTP responder (QTcpServer), and the setup dialog's
// channel list built from it.
#include "net/catalogfetcher.h"
#include "net/serverprobe.h"
#include "ui/setupdialog.h"

#include <QDialogButtonBox>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

namespace {

// Answers GET requests from a table of path -> (status, body), one request per connection.
class Responder : public QObject
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body;
    };

    Responder()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, this,
                                 [this, socket] { onReadyRead(socket); });
            }
        });
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
    }

    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    void set(const QString &path, int status, const QByteArray &body)
    {
        m_answers.insert(path, {status, body});
    }

    QStringList paths;             // requested, in order
    QList<QByteArray> authHeaders; // Authorization of each request

private:
    void onReadyRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        const QString target = QString::fromUtf8(requestLine.value(1));
        const QString path = QUrl(target).path(QUrl::FullyEncoded);
        QByteArray auth;
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("authorization:"))
                auth = line.mid(14).trimmed();
        }
        paths << path;
        authHeaders << auth;
        m_buffers.remove(socket);
        const Answer answer =
            m_answers.value(path, {404, R"({"error":{"code":"not_found","message":"no route"}})"});
        QByteArray response = "HTTP/1.1 " + QByteArray::number(answer.status) + " X\r\n" +
                              "Content-Type: application/json\r\nConnection: close\r\n" +
                              "Content-Length: " + QByteArray::number(answer.body.size()) +
                              "\r\n\r\n" + answer.body;
        socket->write(response);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QString, Answer> m_answers;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QByteArray json(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QJsonObject app(const QString &name, const QString &title)
{
    return {{u"name"_s, name}, {u"title"_s, title}, {u"eventTypes"_s, QJsonArray()}};
}

QJsonObject channel(const QString &app, const QString &name, const QString &title,
                    const QString &description = {})
{
    return {{u"application"_s, app},
            {u"name"_s, name},
            {u"title"_s, title},
            {u"description"_s, description}};
}

// demo (alerts, deploys) and ops (backups), with titles.
void serveCatalog(Responder &r)
{
    r.set(u"/api/v1/applications"_s, 200,
          json({app(u"ops"_s, u"Operations"_s), app(u"demo"_s, u"Demo"_s)}));
    r.set(u"/api/v1/applications/demo/channels"_s, 200,
          json({channel(u"demo"_s, u"deploys"_s, u"Deploys"_s),
                channel(u"demo"_s, u"alerts"_s, u"Alerts"_s, u"Pages the on-call"_s)}));
    r.set(u"/api/v1/applications/ops/channels"_s, 200,
          json({channel(u"ops"_s, u"backups"_s, QString())}));
}

CatalogFetcher::Result fetch(CatalogFetcher &fetcher, const QUrl &url, const QString &token)
{
    QSignalSpy spy(&fetcher, &CatalogFetcher::finished);
    fetcher.fetch(url, token);
    if (!spy.wait(10000) || spy.size() != 1)
        return {CatalogFetcher::Outcome::ServerError, u"no result"_s, {}};
    return spy.at(0).at(0).value<CatalogFetcher::Result>();
}

QStringList ids(const QList<CatalogChannel> &channels)
{
    QStringList out;
    for (const CatalogChannel &c : channels)
        out << c.id();
    return out;
}

} // namespace

class TestCatalogFetcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<CatalogFetcher::Result>(); }

    void parsesApplications()
    {
        const auto apps = CatalogFetcher::parseApplications(
            json({app(u"demo"_s, u"Demo"_s), QJsonObject{{u"name"_s, u"x"_s}}}));
        QVERIFY(apps);
        QCOMPARE(apps->size(), 2);
        QCOMPARE(apps->at(0).name, u"demo"_s);
        QCOMPARE(apps->at(0).title, u"Demo"_s);
        QCOMPARE(apps->at(1).title, QString());
        QVERIFY(CatalogFetcher::parseApplications("[]")->isEmpty());
        QVERIFY(!CatalogFetcher::parseApplications("{}"));
        QVERIFY(!CatalogFetcher::parseApplications("[1]"));
        QVERIFY(!CatalogFetcher::parseApplications("[{}]"));
        QVERIFY(!CatalogFetcher::parseApplications("<html>"));
        QVERIFY(!CatalogFetcher::parseApplications(""));
    }

    void parsesChannels()
    {
        const auto channels = CatalogFetcher::parseChannels(
            json({channel(u"demo"_s, u"alerts"_s, u"Alerts"_s, u"On call"_s),
                  QJsonObject{{u"name"_s, u"ops"_s}}}),
            u"demo"_s);
        QVERIFY(channels);
        QCOMPARE(channels->size(), 2);
        QCOMPARE(channels->at(0),
                 (CatalogChannel{u"demo"_s, u"alerts"_s, u"Alerts"_s, u"On call"_s, {}}));
        QCOMPARE(channels->at(1).id(), u"demo/ops"_s); // application defaults to the one asked
        QVERIFY(!CatalogFetcher::parseChannels("[{\"title\":\"x\"}]", u"demo"_s));
        QVERIFY(!CatalogFetcher::parseChannels("{\"channels\":[]}", u"demo"_s));
        QVERIFY(!CatalogFetcher::parseChannels("not json", u"demo"_s));
    }

    void fetchesTheCatalogWithTheToken()
    {
        Responder r;
        serveCatalog(r);
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        const auto result = fetch(fetcher, r.url(), u"tok123"_s);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Ok);
        QVERIFY(result.message.isEmpty());
        QCOMPARE(ids(result.channels),
                 (QStringList{u"demo/alerts"_s, u"demo/deploys"_s, u"ops/backups"_s}));
        QCOMPARE(result.channels[0].title, u"Alerts"_s);
        QCOMPARE(result.channels[0].description, u"Pages the on-call"_s);
        QCOMPARE(result.channels[0].applicationTitle, u"Demo"_s);
        QCOMPARE(result.channels[2].applicationTitle, u"Operations"_s);
        QCOMPARE(r.paths,
                 (QStringList{u"/api/v1/applications"_s, u"/api/v1/applications/ops/channels"_s,
                              u"/api/v1/applications/demo/channels"_s}));
        for (const QByteArray &auth : r.authHeaders)
            QCOMPARE(auth, QByteArray("Bearer tok123"));
        QVERIFY(!fetcher.isRunning());
    }

    void keepsAServerPathPrefixAndEncodesNames()
    {
        Responder r;
        r.set(u"/herald/api/v1/applications"_s, 200, json({app(u"a b"_s, {})}));
        r.set(u"/herald/api/v1/applications/a%20b/channels"_s, 200,
              json({channel(u"a b"_s, u"c"_s, {})}));
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        QUrl url = r.url();
        url.setPath(u"/herald"_s);
        const auto result = fetch(fetcher, url, u"t"_s);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Ok);
        QCOMPARE(ids(result.channels), QStringList{u"a b/c"_s});
    }

    void emptyCatalog()
    {
        Responder r;
        r.set(u"/api/v1/applications"_s, 200, "[]");
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        const auto result = fetch(fetcher, r.url(), u"t"_s);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Ok);
        QVERIFY(result.channels.isEmpty());
        QCOMPARE(r.paths.size(), 1);
    }

    void skipsAnApplicationThatWentAway()
    {
        Responder r;
        serveCatalog(r);
        r.set(u"/api/v1/applications/ops/channels"_s, 404,
              R"({"error":{"code":"not_found","message":"application: no application 'ops'"}})");
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        const auto result = fetch(fetcher, r.url(), u"t"_s);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Ok);
        QCOMPARE(ids(result.channels), (QStringList{u"demo/alerts"_s, u"demo/deploys"_s}));
    }

    void failures_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<CatalogFetcher::Outcome>("outcome");
        QTest::addColumn<QString>("inMessage");
        const QString apps = u"/api/v1/applications"_s;
        const QString demo = u"/api/v1/applications/demo/channels"_s;
        QTest::newRow("401") << apps << 401
                             << QByteArray(R"({"error":{"code":"unauthorized","message":"x"}})")
                             << CatalogFetcher::Outcome::Unauthorized << u"401"_s;
        QTest::newRow("403") << apps << 403
                             << QByteArray(R"({"error":{"code":"forbidden","message":"no"}})")
                             << CatalogFetcher::Outcome::Forbidden << u"no"_s;
        QTest::newRow("500") << apps << 500
                             << QByteArray(R"({"error":{"code":"internal","message":"disk"}})")
                             << CatalogFetcher::Outcome::ServerError << u"disk"_s;
        QTest::newRow("503 on channels")
            << demo << 503 << QByteArray() << CatalogFetcher::Outcome::ServerError << u"503"_s;
        QTest::newRow("401 on channels")
            << demo << 401 << QByteArray() << CatalogFetcher::Outcome::Unauthorized << u"401"_s;
        QTest::newRow("not a list")
            << apps << 200 << QByteArray("<html>") << CatalogFetcher::Outcome::BadResponse << apps;
        QTest::newRow("bad channels") << demo << 200 << QByteArray(R"({"a":1})")
                                      << CatalogFetcher::Outcome::BadResponse << demo;
    }
    void failures()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(CatalogFetcher::Outcome, outcome);
        QFETCH(QString, inMessage);
        Responder r;
        serveCatalog(r);
        r.set(path, status, body);
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        const auto result = fetch(fetcher, r.url(), u"t"_s);
        QCOMPARE(result.outcome, outcome);
        QVERIFY(result.channels.isEmpty());
        QVERIFY2(result.message.contains(inMessage), qPrintable(result.message));
    }

    void unreachable()
    {
        QUrl url;
        {
            QTcpServer closed;
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            url = QUrl(u"http://127.0.0.1:%1"_s.arg(closed.serverPort()));
        }
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        const auto result = fetch(fetcher, url, u"t"_s);
        QCOMPARE(result.outcome, CatalogFetcher::Outcome::Unreachable);
        QVERIFY2(result.message.contains(url.authority()), qPrintable(result.message));
    }

    void aNewFetchCancelsTheRunningOne()
    {
        Responder r;
        serveCatalog(r);
        QNetworkAccessManager nam;
        CatalogFetcher fetcher(&nam);
        QSignalSpy spy(&fetcher, &CatalogFetcher::finished);
        fetcher.fetch(r.url(), u"first"_s);
        QVERIFY(fetcher.isRunning());
        fetcher.fetch(r.url(), u"second"_s);
        QVERIFY(spy.wait(10000));
        QTest::qWait(100);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).value<CatalogFetcher::Result>().channels.size(), 3);
        QCOMPARE(r.authHeaders.last(), QByteArray("Bearer second"));
    }

    // The setup dialog: a successful test lists the catalog as "app/channel — title", keeps
    // the subscriptions checked, and falls back to the channels seen in notifications.
    void setupDialogListsTheCatalog()
    {
        Responder r;
        serveCatalog(r);
        serveProbe(r);
        QNetworkAccessManager nam;
        ServerProbe probe(&nam);
        CatalogFetcher catalog(&nam);
        SetupDialog dialog(&probe, &catalog);
        dialog.setValues({r.url(), u"alice"_s, u"tok"_s, {u"demo/alerts"_s, u"old/gone"_s}});
        QString whileLoading;
        connect(&probe, &ServerProbe::finished, this, [&] { whileLoading = statusText(dialog); });
        QSignalSpy done(&catalog, &CatalogFetcher::finished);
        testButton(dialog)->click();
        QVERIFY(!testButton(dialog)->isEnabled());
        QVERIFY(done.wait(10000));
        QCOMPARE(whileLoading, u"Loading channels…"_s);
        QCOMPARE(listed(dialog),
                 (QStringList{u"[x] demo/alerts — Alerts"_s, u"[ ] demo/deploys — Deploys"_s,
                              u"[x] old/gone"_s, u"[ ] ops/backups"_s}));
        QCOMPARE(dialog.values().subscriptions, (QStringList{u"demo/alerts"_s, u"old/gone"_s}));
        QVERIFY(statusText(dialog).isEmpty());
        QVERIFY(testButton(dialog)->isEnabled());
        QVERIFY(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    }

    void setupDialogFallsBackToSeenChannels()
    {
        Responder r;
        serveProbe(r);
        r.set(u"/api/v1/applications"_s, 403,
              R"({"error":{"code":"forbidden","message":"user tokens may not"}})");
        QNetworkAccessManager nam;
        ServerProbe probe(&nam);
        CatalogFetcher catalog(&nam);
        SetupDialog dialog(&probe, &catalog);
        dialog.setValues({r.url(), u"alice"_s, u"tok"_s, {u"demo/alerts"_s}});
        QSignalSpy done(&catalog, &CatalogFetcher::finished);
        testButton(dialog)->click();
        QVERIFY(done.wait(10000));
        QCOMPARE(listed(dialog), (QStringList{u"[x] demo/alerts"_s, u"[ ] demo/seen"_s}));
        QVERIFY2(statusText(dialog).contains(u"403"_s), qPrintable(statusText(dialog)));
    }

private:
    static void serveProbe(Responder &r)
    {
        r.set(u"/healthz"_s, 200, R"({"status":"ok"})");
        const QJsonObject seen{{u"id"_s, 1},
                               {u"application"_s, u"demo"_s},
                               {u"channel"_s, u"seen"_s},
                               {u"title"_s, u"x"_s}};
        r.set(u"/api/v1/notifications"_s, 200,
              QJsonDocument(QJsonObject{{u"notifications"_s, QJsonArray{seen}}}).toJson());
    }
    static QPushButton *testButton(QDialog &dialog)
    {
        for (QPushButton *b : dialog.findChildren<QPushButton *>()) {
            if (b->text() == u"Test connection"_s)
                return b;
        }
        return nullptr;
    }
    static QString statusText(QDialog &dialog)
    {
        for (QLabel *l : dialog.findChildren<QLabel *>()) {
            if (l->isVisibleTo(&dialog) && l->text().contains(u"channels"_s, Qt::CaseInsensitive) &&
                l->text() != u"Channels to follow:"_s)
                return l->text();
        }
        return {};
    }
    static QStringList listed(QDialog &dialog)
    {
        QStringList out;
        auto *list = dialog.findChild<QListWidget *>();
        for (int i = 0; i < list->count(); ++i) {
            out << (list->item(i)->checkState() == Qt::Checked ? u"[x] "_s : u"[ ] "_s) +
                       list->item(i)->text();
        }
        return out;
    }
};

QTEST_MAIN(TestCatalogFetcher)
#include "tst_catalogfetcher.moc"
