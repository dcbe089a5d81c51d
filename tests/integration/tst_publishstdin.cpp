// SPDX-License-Identifier: Apache-2.0
// `herald-syncd publish --stdin` against a real herald-syncd with tokens: a thousand lines,
// persistent and transient, published over one WebSocket and received in order by a user's
// session; bad lines reported with their number and field while the rest goes out; another
// application's notification refused `forbidden`; the exit codes.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"

#include "session/syncsession.h"

#include <QJsonDocument>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;
using herald::Notification;
using herald::SyncSession;

namespace {

const QString App = u"ci"_s;

QByteArray line(const QJsonObject &notification)
{
    return QJsonDocument(notification).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject notificationOn(const QString &channel, int i, bool persistent)
{
    return {{"application"_L1, App},
            {"channel"_L1, channel},
            {"title"_L1, u"Line %1"_s.arg(i)},
            {"persistent"_L1, persistent}};
}

// stdout's `<line> <id>` lines: line number -> id.
QMap<qint64, qint64> publishedLines(const QByteArray &out)
{
    QMap<qint64, qint64> lines;
    for (const QByteArray &row : out.split('\n')) {
        const QList<QByteArray> fields = row.trimmed().split(' ');
        if (fields.size() == 2)
            lines.insert(fields.at(0).toLongLong(), fields.at(1).toLongLong());
    }
    return lines;
}

} // namespace

class TestPublishStdin : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void publishesAThousandLinesInOrder();
    void badLinesAreReportedAndTheRestPublished();
    void anotherApplicationIsForbidden();
    void userTokenCannotPublish();
    void optionsOfASingleNotificationDoNotApply();

private:
    CliResult publishStdin(const QByteArray &input, const QString &token);

    SyncdProcess m_syncd;
    QString m_producer;
    QString m_userToken;
};

void TestPublishStdin::initTestCase()
{
    const QString seeded =
        m_syncd.seed(App, {u"thousand"_s, u"mixed"_s, u"others"_s}, {u"alice"_s});
    QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
    const QString otherSeeded = m_syncd.seed(u"billing"_s, {u"invoices"_s}, {});
    QVERIFY2(otherSeeded.isEmpty(), qPrintable(otherSeeded));
    m_producer = m_syncd.createToken(u"producer"_s, {u"--app"_s, App});
    m_userToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    QVERIFY(!m_producer.isEmpty() && !m_userToken.isEmpty());
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
}

void TestPublishStdin::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

CliResult TestPublishStdin::publishStdin(const QByteArray &input, const QString &token)
{
    return m_syncd.cliWithInput({u"publish"_s, u"--stdin"_s, u"--server"_s,
                                 m_syncd.httpUrl().toString(), u"--token"_s, token},
                                input);
}

void TestPublishStdin::publishesAThousandLinesInOrder()
{
    herald::SyncSessionConfig config;
    config.servers = {m_syncd.wsUrl()};
    config.token = m_userToken;
    config.user = u"alice"_s;
    config.clientId = u"tst-publishstdin"_s;
    config.subscriptions = {{App, {u"thousand"_s}}};
    config.fetchLast = 0;
    SyncSession subscriber(config);
    QList<Notification> received;
    connect(&subscriber, &SyncSession::notificationReceived, this,
            [&](const Notification &n, bool) { received.append(n); });
    subscriber.start();
    QVERIFY(waitUntil([&] { return subscriber.state() == SyncSession::State::Live; }, 10000));

    constexpr int Count = 1000;
    QByteArray input;
    QList<qint64> lineOf; // notification i -> its line number
    qint64 number = 0;
    for (int i = 0; i < Count; ++i) {
        if (i % 100 == 50) { // blank lines are skipped, and counted
            input += "\n   \n";
            number += 2;
        }
        input += line(notificationOn(u"thousand"_s, i, i % 2 == 0));
        lineOf.append(++number);
    }
    QElapsedTimer timer;
    timer.start();
    const CliResult result = publishStdin(input, m_producer);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    qInfo("%d lines published in %lld ms", Count, timer.elapsed());
    QVERIFY2(result.err.isEmpty(), result.err.constData());
    const QMap<qint64, qint64> published = publishedLines(result.out);
    QCOMPARE(published.size(), Count);

    QVERIFY(waitUntil([&] { return received.size() >= Count; }, 30000));
    QCOMPARE(received.size(), Count);
    for (int i = 0; i < Count; ++i) {
        QCOMPARE(received.at(i).title, u"Line %1"_s.arg(i));
        QCOMPARE(received.at(i).persistent, i % 2 == 0);
        QCOMPARE(received.at(i).id, published.value(lineOf.at(i)));
    }
    HttpClient http(m_syncd.httpUrl());
    http.setToken(m_userToken);
    const Listing listed = listAll(http, u"application=ci&channel=thousand&limit=100"_s);
    QVERIFY2(listed.ok, listed.error.constData());
    QCOMPARE(listed.items.size(), Count / 2);
}

void TestPublishStdin::badLinesAreReportedAndTheRestPublished()
{
    QByteArray input;
    for (int i = 1; i <= 21; ++i) {
        QJsonObject n = notificationOn(u"mixed"_s, i, i % 2 == 0);
        if (i == 11)
            n.insert("priority"_L1, "loud"_L1);
        if (i == 15)
            input += "{\"application\": \"ci\", \"channel\": \n";
        else if (i == 18)
            input += "[1, 2]\n";
        else
            input += line(n);
    }
    const CliResult result = publishStdin(input, m_producer);
    QCOMPARE(result.exitCode, 1);
    const QString err = QString::fromUtf8(result.err);
    QVERIFY2(err.contains(u"line 11: bad_request: priority"_s), qPrintable(err));
    QVERIFY2(err.contains(u"line 15: bad_request: body"_s), qPrintable(err));
    QVERIFY2(err.contains(u"line 18: bad_request: body"_s), qPrintable(err));
    QCOMPARE(err.count(u'\n'), 3);
    const QMap<qint64, qint64> published = publishedLines(result.out);
    QCOMPARE(published.size(), 18);
    QVERIFY(!published.contains(11) && !published.contains(15) && !published.contains(18));
    QVERIFY(published.contains(12) && published.contains(21));
}

void TestPublishStdin::anotherApplicationIsForbidden()
{
    QJsonObject others = notificationOn(u"invoices"_s, 2, true);
    others.insert("application"_L1, "billing"_L1);
    const QByteArray input = line(notificationOn(u"others"_s, 1, true)) + line(others) +
                             line(notificationOn(u"others"_s, 3, false));
    const CliResult result = publishStdin(input, m_producer);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.startsWith("line 2: forbidden: "), result.err.constData());
    const QMap<qint64, qint64> published = publishedLines(result.out);
    QCOMPARE(published.keys(), (QList<qint64>{1, 3}));
}

void TestPublishStdin::userTokenCannotPublish()
{
    const CliResult result = publishStdin(line(notificationOn(u"others"_s, 1, true)), m_userToken);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("bad_request"), result.err.constData());
    QVERIFY(result.out.isEmpty());
}

void TestPublishStdin::optionsOfASingleNotificationDoNotApply()
{
    const CliResult result = m_syncd.cliWithInput(
        {u"publish"_s, u"--stdin"_s, u"--app"_s, App, u"--token"_s, m_producer}, {});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--app does not apply"), result.err.constData());
}

QTEST_GUILESS_MAIN(TestPublishStdin)
#include "tst_publishstdin.moc"
