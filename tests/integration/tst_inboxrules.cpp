// SPDX-License-Identifier: Apache-2.0
// The inbox's rollup rules through a real herald-syncd: folding by a tag and by a field,
// maxSize, seen and unseen apart, acknowledging a rollup, deleting a rule; the field-named
// errors, the 32-rule limit (409) and replacing at the limit. (The rest of the inbox:
// tst_inbox.cpp.)
#include "apihelpers.h"
#include "httpclient.h"
#include "inboxclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ops"_s;
} // namespace

class TestInboxRules : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void rollupRuleFoldsMatchingNotifications();
    void rollupRuleValidationAndLimit();

private:
    std::unique_ptr<InboxClient> account(const QString &user)
    {
        return createAccount(m_admin, user);
    }

    SyncdProcess m_syncd;
    HttpClient m_admin;
};

void TestInboxRules::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_syncd.createToken(u"admin"_s));
    QVERIFY(!m_admin.token().isEmpty());
    QVERIFY(createApplication(m_admin, App, {u"alerts"_s, u"codes"_s, u"other"_s}));
}

void TestInboxRules::rollupRuleFoldsMatchingNotifications()
{
    auto frank = account(u"frank-rollups"_s);
    QVERIFY(frank);
    const HttpResponse follow = frank->follow(App, {u"alerts"_s, u"codes"_s, u"other"_s});
    QVERIFY2(follow.status == 200, follow.describe());
    QCOMPARE(frank->http().get(u"/api/v1/inbox/subscriptions"_s).object(), follow.object());

    const QJsonObject byHost{
        {"application"_L1, App}, {"channel"_L1, "alerts"_L1}, {"matchOn"_L1, "tags.host"_L1}};
    const HttpResponse created = frank->putRule(u"by-host"_s, byHost);
    QVERIFY2(created.status == 201, created.describe());
    QCOMPARE(created.object().value("name"_L1).toString(), u"by-host"_s);
    QCOMPARE(created.object().value("maxSize"_L1).toInt(), 10); // the defaults, answered
    QCOMPARE(created.object().value("maxDuration"_L1).toString(), u"1h"_s);
    const QJsonObject byCode{{"application"_L1, App},
                             {"channel"_L1, "codes"_L1},
                             {"matchOn"_L1, "code"_L1},
                             {"maxSize"_L1, 2}};
    QCOMPARE(frank->putRule(u"by-code"_s, byCode).status, 201);
    const HttpResponse rule = frank->http().get(u"/api/v1/inbox/rules/by-code"_s);
    QVERIFY2(rule.status == 200, rule.describe());
    QCOMPARE(rule.object().value("matchOn"_L1).toString(), u"code"_s);
    QCOMPARE(rule.object().value("maxSize"_L1).toInt(), 2);

    auto alert = [&](const QString &host) {
        return publish(m_admin, App, u"alerts"_s, u"disk full on "_s + host,
                       QJsonObject{{"tags"_L1, QJsonObject{{"host"_L1, host}}}});
    };
    auto coded = [&](const QString &code) {
        return publish(m_admin, App, u"codes"_s, code, QJsonObject{{"code"_L1, code}});
    };
    const qint64 db1 = alert(u"db"_s), web1 = alert(u"web"_s), db2 = alert(u"db"_s);
    const qint64 plain = publish(m_admin, App, u"other"_s, u"not rolled up"_s);
    const qint64 disk1 = coded(u"disk"_s), cpu = coded(u"cpu"_s), disk2 = coded(u"disk"_s);
    const qint64 disk3 = coded(u"disk"_s), db3 = alert(u"db"_s), web2 = alert(u"web"_s);
    for (const qint64 id : {db1, web1, db2, plain, disk1, cpu, disk2, disk3, db3, web2})
        QVERIFY(id > 0);

    // Items by their newest member; a full group (maxSize 2) leaves the next one on its own.
    const InboxPage page = frank->list();
    QVERIFY2(page.status() == 200, page.response.describe());
    QCOMPARE(page.ids(), (QList<qint64>{web2, db3, disk3, disk2, cpu, plain}));
    const QList<QJsonObject> items = page.items();
    auto rollupOf = [&](qsizetype index) { return items.at(index).value("rollup"_L1).toObject(); };
    QCOMPARE(idsOf(rollupOf(0).value("ids"_L1)), (QList<qint64>{web2, web1}));
    QCOMPARE(rollupOf(0).value("count"_L1).toInt(), 2);
    QCOMPARE(rollupOf(0).value("rule"_L1).toString(), u"by-host"_s);
    QCOMPARE(items.at(0).value("message"_L1).toString(), u"disk full on web"_s);
    QCOMPARE(idsOf(rollupOf(1).value("ids"_L1)), (QList<qint64>{db3, db2, db1}));
    QCOMPARE(rollupOf(1).value("count"_L1).toInt(), 3);
    QVERIFY(!items.at(2).contains("rollup"_L1));
    QCOMPARE(idsOf(rollupOf(3).value("ids"_L1)), (QList<qint64>{disk2, disk1}));
    QCOMPARE(rollupOf(3).value("rule"_L1).toString(), u"by-code"_s);
    QVERIFY(!items.at(4).contains("rollup"_L1));
    QVERIFY(!items.at(5).contains("rollup"_L1));

    // A rollup is acknowledged once every member is.
    QCOMPARE(frank->acknowledge({db3, db1}).status, 200);
    QCOMPARE(frank->list().items().at(1).value("acknowledged"_L1), QJsonValue(false));
    QCOMPARE(frank->acknowledge({db2}).status, 200);
    const QList<QJsonObject> acknowledged = frank->list().items();
    QCOMPARE(acknowledged.at(1).value("acknowledged"_L1), QJsonValue(true));
    QCOMPARE(acknowledged.at(0).value("acknowledged"_L1), QJsonValue(false));

    // Seen and unseen roll up apart: everything above was seen by the reads.
    const qint64 db4 = alert(u"db"_s);
    QVERIFY(db4 > 0);
    const QList<QJsonObject> withUnseen = frank->list().items();
    QCOMPARE(idOf(withUnseen.at(0)), db4);
    QCOMPARE(withUnseen.at(0).value("seen"_L1), QJsonValue(false));
    QVERIFY(!withUnseen.at(0).contains("rollup"_L1));
    QCOMPARE(idsOf(withUnseen.at(2).value("rollup"_L1).toObject().value("ids"_L1)),
             (QList<qint64>{db3, db2, db1}));

    // Without the rule the alerts list one by one again.
    QCOMPARE(frank->http().del(u"/api/v1/inbox/rules/by-host"_s).status, 204);
    QCOMPARE(frank->http().get(u"/api/v1/inbox/rules/by-host"_s).status, 404);
    QCOMPARE(frank->list(u"limit=6"_s).ids(), (QList<qint64>{db4, web2, db3, disk3, disk2, cpu}));
}

void TestInboxRules::rollupRuleValidationAndLimit()
{
    auto grace = account(u"grace-rules"_s);
    QVERIFY(grace);
    const QString longCode(65, u'x');
    const QList<std::pair<QString, QJsonObject>> invalid{
        {u"application"_s, {}},
        {u"application"_s, {{"application"_L1, "no such name!"_L1}}},
        {u"channel"_s, {{"application"_L1, App}, {"channel"_L1, "a/b"_L1}}},
        {u"code"_s, {{"application"_L1, App}, {"code"_L1, longCode}}},
        {u"matchOn"_s, {{"application"_L1, App}, {"matchOn"_L1, "message"_L1}}},
        {u"matchOn"_s, {{"application"_L1, App}, {"matchOn"_L1, "tags."_L1}}},
        {u"maxSize"_s, {{"application"_L1, App}, {"maxSize"_L1, 1}}},
        {u"maxSize"_s, {{"application"_L1, App}, {"maxSize"_L1, "ten"_L1}}},
        {u"maxDuration"_s, {{"application"_L1, App}, {"maxDuration"_L1, "1y"_L1}}},
        {u"maxDuration"_s, {{"application"_L1, App}, {"maxDuration"_L1, "8d"_L1}}},
    };
    for (const auto &[field, body] : invalid) {
        const HttpResponse refused = grace->putRule(u"invalid"_s, body);
        QVERIFY2(refused.status == 400 && refused.errorCode() == "bad_request"_L1 &&
                     refused.errorMessage().startsWith(field + u':'),
                 qPrintable(field + u" -> "_s + QString::fromUtf8(refused.describe())));
    }
    const HttpResponse badName = grace->putRule(u"bad!name"_s, {{"application"_L1, App}});
    QVERIFY2(badName.status == 400 && badName.errorMessage().startsWith("name:"_L1),
             badName.describe());
    QCOMPARE(grace->http().get(u"/api/v1/inbox/rules"_s).object().value("rules"_L1),
             QJsonValue(QJsonArray()));

    // 32 rules; a 33rd new one is a conflict, replacing one of the 32 is not.
    const QJsonObject rule{{"application"_L1, App}, {"maxDuration"_L1, "15m"_L1}};
    for (int i = 0; i < 32; ++i) {
        const HttpResponse created =
            grace->putRule(u"rule-%1"_s.arg(i, 2, 10, QLatin1Char('0')), rule);
        QVERIFY2(created.status == 201, created.describe());
    }
    const HttpResponse tooMany = grace->putRule(u"rule-32"_s, rule);
    QVERIFY2(tooMany.status == 409 && tooMany.errorCode() == "conflict"_L1, tooMany.describe());
    const HttpResponse replaced =
        grace->putRule(u"rule-05"_s, QJsonObject{{"application"_L1, App}});
    QVERIFY2(replaced.status == 200, replaced.describe());
    QCOMPARE(replaced.object().value("maxDuration"_L1).toString(), u"1h"_s);
    const QJsonArray rules =
        grace->http().get(u"/api/v1/inbox/rules"_s).object().value("rules"_L1).toArray();
    QCOMPARE(rules.size(), 32);
    QCOMPARE(rules.at(0).toObject().value("name"_L1).toString(), u"rule-00"_s);
    QCOMPARE(rules.at(5).toObject().value("maxDuration"_L1).toString(), u"1h"_s);

    QCOMPARE(grace->http().del(u"/api/v1/inbox/rules/rule-05"_s).status, 204);
    QCOMPARE(grace->http().del(u"/api/v1/inbox/rules/rule-05"_s).status, 404);
    QCOMPARE(grace->putRule(u"rule-32"_s, rule).status, 201);
}

QTEST_GUILESS_MAIN(TestInboxRules)
#include "tst_inboxrules.moc"
