// SPDX-License-Identifier: Apache-2.0
// What an email endpoint's `to` and [smtp] from accept: bare addresses that cannot break an
// SMTP command or a header line.
#include "config/mailaddress.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using herald::syncd::MailAddress;

class TestMailAddress : public QObject
{
    Q_OBJECT

private slots:
    void judgesAddresses_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("valid");
        const auto row = [](const char *name, const QString &address, bool valid) {
            QTest::newRow(name) << address << valid;
        };
        row("plain", u"ops@example.org"_s, true);
        row("dots and plus", u"first.last+tag@mail.example.co.uk"_s, true);
        row("atext specials", u"a!#$%&'*/=?^_`{|}~-b@example.org"_s, true);
        row("single-label domain", u"root@localhost"_s, true);
        row("punycode domain", u"x@xn--bcher-kva.example"_s, true);
        row("empty", QString(), false);
        row("no at", u"ops.example.org"_s, false);
        row("two ats", u"a@b@example.org"_s, false);
        row("empty local", u"@example.org"_s, false);
        row("empty domain", u"ops@"_s, false);
        row("leading dot", u".ops@example.org"_s, false);
        row("double dot", u"o..ps@example.org"_s, false);
        row("trailing dot domain", u"ops@example.org."_s, false);
        row("hyphen label", u"ops@-example.org"_s, false);
        row("CRLF", u"ops@example.org\r\nRCPT TO:<x@y.z>"_s, false);
        row("LF", u"ops@example.org\nBcc: x@y.z"_s, false);
        row("space", u"o ps@example.org"_s, false);
        row("comma list", u"a@example.org,b@example.org"_s, false);
        row("angle brackets", u"<ops@example.org>"_s, false);
        row("display name", u"Ops <ops@example.org>"_s, false);
        row("quoted", u"\"o p\"@example.org"_s, false);
        row("non-ASCII", u"jörg@example.org"_s, false);
        row("IDN domain", u"x@bücher.example"_s, false);
        row("domain literal", u"x@[127.0.0.1]"_s, false);
        row("local too long", QString(65, u'a') + u"@example.org"_s, false);
        row("too long", u"a@"_s + QString(250, u'b') + u".org"_s, false);
    }
    void judgesAddresses()
    {
        QFETCH(QString, address);
        QFETCH(bool, valid);
        const auto problem = MailAddress::problem(address);
        QVERIFY2(problem.has_value() != valid, qPrintable(problem.value_or(u"valid"_s)));
        if (problem) // nothing that could end a line is ever echoed
            QVERIFY(!problem->contains(u'\r') && !problem->contains(u'\n'));
    }

    void readsAListNamingTheItem()
    {
        auto good =
            MailAddress::readList(QJsonArray{u"a@example.org"_s, u"b@example.org"_s}, u"to"_s, 32);
        QVERIFY(good);
        QCOMPARE(*good, (QStringList{u"a@example.org"_s, u"b@example.org"_s}));

        auto bad = MailAddress::readList(QJsonArray{u"a@example.org"_s, u"nope"_s}, u"to"_s, 32);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.startsWith(u"to[1]: "_s), qPrintable(bad.error().message));
        auto twice =
            MailAddress::readList(QJsonArray{u"a@example.org"_s, u"A@example.org"_s}, u"to"_s, 32);
        QVERIFY(!twice && twice.error().message.startsWith(u"to[1]: "_s));
        auto number = MailAddress::readList(QJsonArray{1}, u"to"_s, 32);
        QVERIFY(!number && number.error().message.startsWith(u"to[0]: "_s));
        for (const QJsonValue &value :
             {QJsonValue(QJsonArray{}), QJsonValue(u"a@example.org"_s), QJsonValue()}) {
            auto none = MailAddress::readList(value, u"to"_s, 32);
            QVERIFY(!none && none.error().message.startsWith(u"to: "_s));
        }
        QJsonArray many;
        for (int i = 0; i < 3; ++i)
            many.append(u"r%1@example.org"_s.arg(i));
        QVERIFY(!MailAddress::readList(many, u"to"_s, 2));
    }
};

QTEST_GUILESS_MAIN(TestMailAddress)
#include "tst_mailaddress.moc"
