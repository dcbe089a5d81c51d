// SPDX-License-Identifier: Apache-2.0
// AlertmanagerWebhook: Alertmanager's webhook body (version 4) read as one notification per
// alert, with the mapping of PROTOCOL.md (title, message, severity, channel, tags, url) and
// field-named refusals of bodies of the wrong shape.
#include "api/alertmanagerwebhook.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {
QByteArray fixture()
{
    QFile file(u":/fixtures/alertmanager/webhook-v4.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("the Alertmanager fixture is not linked in");
    return file.readAll();
}

// The fixture with `change` applied to its object.
template <typename Change> QByteArray fixtureWith(Change &&change)
{
    QJsonObject body = QJsonDocument::fromJson(fixture()).object();
    change(body);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QJsonObject firstAlertWith(const QJsonObject &body, const QString &key, const QJsonValue &value)
{
    QJsonObject alert = body.value(u"alerts"_s).toArray().first().toObject();
    alert.insert(key, value);
    return alert;
}
} // namespace

class TestAlertmanagerWebhook : public QObject
{
    Q_OBJECT

private slots:
    void readsOneNotificationPerAlert()
    {
        const auto read = AlertmanagerWebhook().read(u"monitoring"_s, u"pager"_s, fixture());
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(read->size(), 2);

        const Notification &firing = read->at(0);
        QCOMPARE(firing.application, u"monitoring"_s);
        QCOMPARE(firing.channel, u"pager"_s);
        QCOMPARE(firing.title, u"Disk /dev/sda1 on db1 is 95% full"_s);
        QCOMPARE(firing.message, u"Less than 5% of /dev/sda1 is free on db1.example.org:9100."_s);
        QCOMPARE(firing.code, u"DiskAlmostFull"_s);
        QCOMPARE(firing.level, u"critical"_s);
        QCOMPARE(firing.priority, Priority::Urgent);
        QCOMPARE(firing.persistent, true);
        QCOMPARE(firing.tags.value(u"status"_s), u"firing"_s);
        QCOMPARE(firing.tags.value(u"fingerprint"_s), u"5ef77f1f8a3ecfc9"_s);
        QCOMPARE(firing.tags.value(u"instance"_s), u"db1.example.org:9100"_s);
        QCOMPARE(firing.tags.value(u"alertname"_s), u"DiskAlmostFull"_s);
        QVERIFY(firing.url.startsWith(u"http://prometheus.example.org:9090/graph?g0.expr="_s));

        const Notification &resolved = read->at(1);
        QCOMPARE(resolved.title, u"Resolved: HighLoad"_s); // no summary: the alert's name
        QCOMPARE(resolved.message, u"The 15-minute load average of web2 was above 8."_s);
        QCOMPARE(resolved.level, u"warning"_s);
        QCOMPARE(resolved.priority, Priority::Normal); // resolved: never louder than normal
        QCOMPARE(resolved.tags.value(u"status"_s), u"resolved"_s);
    }

    void severityMapsToPriority_data()
    {
        QTest::addColumn<QString>("severity");
        QTest::addColumn<int>("priority");
        QTest::newRow("critical") << u"critical"_s << int(Priority::Urgent);
        QTest::newRow("page") << u"page"_s << int(Priority::Urgent);
        QTest::newRow("error") << u"error"_s << int(Priority::High);
        QTest::newRow("warning") << u"Warning"_s << int(Priority::High);
        QTest::newRow("info") << u"info"_s << int(Priority::Normal);
        QTest::newRow("none") << u"none"_s << int(Priority::Low);
        QTest::newRow("unknown") << u"sev2"_s << int(Priority::Normal);
        QTest::newRow("absent") << QString() << int(Priority::Normal);
    }
    void severityMapsToPriority()
    {
        QFETCH(QString, severity);
        QFETCH(int, priority);
        const QByteArray body = fixtureWith([&severity](QJsonObject &o) {
            QJsonObject alert = o.value(u"alerts"_s).toArray().first().toObject();
            QJsonObject labels = alert.value(u"labels"_s).toObject();
            if (severity.isEmpty())
                labels.remove(u"severity"_s);
            else
                labels.insert(u"severity"_s, severity);
            alert.insert(u"labels"_s, labels);
            o.insert(u"alerts"_s, QJsonArray{alert});
        });
        const auto read = AlertmanagerWebhook().read(u"m"_s, {}, body);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(int(read->first().priority), priority);
        QCOMPARE(read->first().level, severity);
    }

    void channelFromLabelThenQueryThenDefault()
    {
        const QByteArray labelled = fixtureWith([](QJsonObject &o) {
            QJsonObject alert = o.value(u"alerts"_s).toArray().first().toObject();
            QJsonObject labels = alert.value(u"labels"_s).toObject();
            labels.insert(u"herald_channel"_s, u"dba"_s);
            alert.insert(u"labels"_s, labels);
            o.insert(u"alerts"_s, QJsonArray{alert, o.value(u"alerts"_s).toArray().at(1)});
        });
        const auto read = AlertmanagerWebhook().read(u"m"_s, u"ops"_s, labelled);
        QVERIFY(read);
        QCOMPARE(read->at(0).channel, u"dba"_s);
        QCOMPARE(read->at(1).channel, u"ops"_s);
        const auto unnamed = AlertmanagerWebhook().read(u"m"_s, {}, fixture());
        QVERIFY(unnamed);
        QCOMPARE(unnamed->at(0).channel, u"alerts"_s);
    }

    void overlongTextIsShortenedNotRefused()
    {
        const QByteArray body = fixtureWith([](QJsonObject &o) {
            QJsonObject alert = o.value(u"alerts"_s).toArray().first().toObject();
            alert.insert(u"annotations"_s, QJsonObject{{u"summary"_s, QString(300, u'ü')},
                                                       {u"description"_s, QString(3000, u'€')}});
            alert.insert(u"generatorURL"_s,
                         QString(u"http://p.example.org/graph?g0.expr="_s + QString(3000, u'x')));
            o.insert(u"alerts"_s, QJsonArray{alert});
        });
        const auto read = AlertmanagerWebhook().read(u"m"_s, {}, body);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        const Notification &n = read->first();
        QCOMPARE(n.title.size(), 256);
        QVERIFY(n.title.endsWith(u"…"_s));
        QVERIFY(n.message.toUtf8().size() <= 4096);
        QVERIFY(n.message.endsWith(u"…"_s));
        QCOMPARE(n.url, u"http://alertmanager.example.org:9093"_s); // generatorURL too long
    }

    void shortensByCodePointsAndBytes()
    {
        QCOMPARE(AlertmanagerWebhook::shortened(u"abc"_s, 3), u"abc"_s);
        QCOMPARE(AlertmanagerWebhook::shortened(u"abcd"_s, 3), u"ab…"_s);
        const QString emoji = u"😀😀😀😀"_s; // two UTF-16 units each
        QCOMPARE(AlertmanagerWebhook::shortened(emoji, 3), u"😀😀…"_s);
        QCOMPARE(AlertmanagerWebhook::shortenedUtf8(u"ab€€"_s, 8), u"ab€€"_s);
        QCOMPARE(AlertmanagerWebhook::shortenedUtf8(u"ab€€"_s, 7), u"ab…"_s); // never half a €
    }

    void manyLabelsFitTheTagLimit()
    {
        const QByteArray body = fixtureWith([](QJsonObject &o) {
            QJsonObject alert = o.value(u"alerts"_s).toArray().first().toObject();
            QJsonObject labels;
            for (int i = 0; i < 40; ++i)
                labels.insert(u"label%1"_s.arg(i, 2, 10, QChar(u'0')), u"v"_s);
            labels.insert(QString(70, u'k'), u"too long a key"_s);
            alert.insert(u"labels"_s, labels);
            o.insert(u"alerts"_s, QJsonArray{alert});
        });
        const auto read = AlertmanagerWebhook().read(u"m"_s, {}, body);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(read->first().tags.size(), 32);
        QCOMPARE(read->first().tags.value(u"status"_s), u"firing"_s);
        QVERIFY(!read->first().tags.contains(QString(70, u'k')));
    }

    void refusesNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("alerts") << u"body: must be a JSON object"_s;
        QTest::newRow("no alerts") << fixtureWith([](QJsonObject &o) { o.remove(u"alerts"_s); })
                                   << u"alerts: is required"_s;
        QTest::newRow("empty alerts")
            << fixtureWith([](QJsonObject &o) { o.insert(u"alerts"_s, QJsonArray()); })
            << u"alerts: must not be empty"_s;
        QTest::newRow("version") << fixtureWith([](QJsonObject &o) {
            o.insert(u"version"_s, u"5"_s);
        }) << u"version: '5' is not supported; Herald reads version 4"_s;
        QTest::newRow("status") << fixtureWith([](QJsonObject &o) {
            o.insert(u"alerts"_s, QJsonArray{o.value(u"alerts"_s).toArray().at(1),
                                             firstAlertWith(o, u"status"_s, u"pending"_s)});
        }) << u"alerts[1].status: must be firing or resolved"_s;
        QTest::newRow("label not a string") << fixtureWith([](QJsonObject &o) {
            o.insert(u"alerts"_s,
                     QJsonArray{firstAlertWith(o, u"labels"_s, QJsonObject{{u"severity"_s, 3}})});
        }) << u"alerts[0].labels.severity: must be a string"_s;
        QTest::newRow("alert not an object")
            << fixtureWith([](QJsonObject &o) { o.insert(u"alerts"_s, QJsonArray{1}); })
            << u"alerts[0]: must be an object"_s;
        QTest::newRow("bad channel label") << fixtureWith([](QJsonObject &o) {
            o.insert(u"alerts"_s,
                     QJsonArray{firstAlertWith(o, u"labels"_s,
                                               QJsonObject{{u"herald_channel"_s, u"#ops"_s}})});
        }) << u"alerts[0].channel: may only contain A-Z, a-z, 0-9, '.', '_' and '-'"_s;
    }
    void refusesNamingTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const auto read = AlertmanagerWebhook().read(u"m"_s, {}, body);
        QVERIFY(!read);
        QCOMPARE(read.error().code, ErrorCode::BadRequest);
        QCOMPARE(read.error().message, message);
    }

    void refusesMoreAlertsThanABatch()
    {
        Limits limits;
        limits.maxBatch = 1;
        const auto read = AlertmanagerWebhook(limits).read(u"m"_s, {}, fixture());
        QVERIFY(!read);
        QCOMPARE(read.error().message, u"alerts: more than 1 alerts"_s);
    }
};

QTEST_GUILESS_MAIN(TestAlertmanagerWebhook)
#include "tst_alertmanagerwebhook.moc"
