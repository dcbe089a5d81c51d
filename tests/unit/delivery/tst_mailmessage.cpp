// SPDX-License-Identifier: Apache-2.0
// The mail of an email endpoint, parsed back here as a mail reader would: header fields
// unfolded and their encoded-words decoded, both MIME parts base64-decoded to the text they
// must carry, and the wire rules checked on every line (CRLF only, at most 998 octets).
#include "delivery/mailmessage.h"
#include "delivery/notificationmail.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald::syncd;

namespace {

const QString DeliveryId = u"3f2c9a7e-1b4d-4c55-9e0a-6d1f2b3c4d5e"_s;

// A mail split the way RFC 5322 and MIME read it.
struct Parsed
{
    QList<std::pair<QByteArray, QByteArray>> fields; // unfolded, in order
    QByteArray body;
    QByteArray field(const QByteArray &name) const
    {
        for (const auto &[n, v] : fields) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    int count(const QByteArray &name) const
    {
        return int(std::count_if(fields.begin(), fields.end(), [&](const auto &f) {
            return f.first.compare(name, Qt::CaseInsensitive) == 0;
        }));
    }
};

Parsed parse(const QByteArray &raw)
{
    Parsed parsed;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    QByteArray head = raw.left(end + 2);
    parsed.body = raw.mid(end + 4);
    head.replace("\r\n ", " ").replace("\r\n\t", "\t"); // unfold (RFC 5322 2.2.3)
    for (const QByteArray &line : head.split('\n')) {
        const QByteArray text = line.chopped(line.endsWith('\r') ? 1 : 0);
        if (text.isEmpty())
            continue;
        const qsizetype colon = text.indexOf(':');
        parsed.fields.append({text.left(colon), text.mid(colon + 1).trimmed()});
    }
    return parsed;
}

// RFC 2047 B and Q words of any charset Qt knows as UTF-8; whitespace between two adjacent
// encoded-words is dropped, as section 6.2 says.
QString decodeWords(const QByteArray &value)
{
    static const QRegularExpression word(uR"(=\?([^?]+)\?([BbQq])\?([^?]*)\?=)"_s);
    QString out;
    qsizetype at = 0;
    bool lastWasWord = false;
    const QString text = QString::fromLatin1(value);
    auto it = word.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString between = text.mid(at, m.capturedStart() - at);
        if (!(lastWasWord && between.trimmed().isEmpty()))
            out += between;
        const QByteArray data = m.captured(3).toLatin1();
        if (m.captured(1).compare(u"utf-8"_s, Qt::CaseInsensitive) != 0)
            return u"<charset %1>"_s.arg(m.captured(1));
        out += QString::fromUtf8(m.captured(2).toUpper() == u"B"_s
                                     ? QByteArray::fromBase64(data)
                                     : QByteArray::fromPercentEncoding(data, '='));
        at = m.capturedEnd();
        lastWasWord = true;
    }
    return out + text.mid(at);
}

// The parts of a multipart body: each its fields and its decoded content.
QList<std::pair<Parsed, QString>> parts(const Parsed &mail)
{
    static const QRegularExpression boundaryParam(u"boundary=\"([^\"]+)\""_s);
    const QString boundary =
        boundaryParam.match(QString::fromLatin1(mail.field("Content-Type"))).captured(1);
    QList<std::pair<Parsed, QString>> result;
    const QByteArray delimiter = "--" + boundary.toLatin1();
    QList<QByteArray> chunks = mail.body.split('\n');
    QByteArray current;
    bool inPart = false;
    for (const QByteArray &line : std::as_const(chunks)) {
        const QByteArray text = line.chopped(line.endsWith('\r') ? 1 : 0);
        if (text == delimiter || text == delimiter + "--") {
            if (inPart) {
                const Parsed part = parse(current);
                const QByteArray encoding = part.field("Content-Transfer-Encoding").toLower();
                result.append({part, encoding == "base64"
                                         ? QString::fromUtf8(QByteArray::fromBase64(part.body))
                                         : QString::fromUtf8(part.body)});
            }
            current.clear();
            inPart = text == delimiter;
            continue;
        }
        if (inPart)
            current += line + '\n';
    }
    return result;
}

QByteArray payload(const QJsonObject &overrides = {})
{
    QJsonObject n{{u"id"_s, 4711},
                  {u"application"_s, u"deploys"_s},
                  {u"channel"_s, u"prod"_s},
                  {u"code"_s, u"deploy"_s},
                  {u"title"_s, u"Deploy finished"_s},
                  {u"message"_s, u"Version 2.3 is live.\nAll checks passed."_s},
                  {u"priority"_s, u"high"_s},
                  {u"level"_s, u"warning"_s},
                  {u"url"_s, u"https://ci.example.org/runs/17?a=1&b=2"_s},
                  {u"time"_s, u"2025-07-01T09:30:00.000Z"_s},
                  {u"persistent"_s, true}};
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        n.insert(it.key(), it.value());
    return QJsonDocument(n).toJson(QJsonDocument::Compact);
}

QByteArray mailFor(const QByteArray &notification,
                   const QStringList &to = {u"ops@example.org"_s, u"oncall@example.net"_s})
{
    DeliveryJob job;
    job.id = DeliveryId;
    job.endpoint = u"ops-mail"_s;
    job.payload = notification;
    job.createdMs = QDateTime(QDate(2025, 7, 1), QTime(9, 30, 5), Qt::UTC).toMSecsSinceEpoch();
    return NotificationMail::compose(job, u"herald@example.org"_s, to).toBytes();
}

// Every line ends in CRLF, none is longer than 998 octets, and no CR or LF stands alone.
void checkLines(const QByteArray &raw, int maxHeaderLine = 998)
{
    QVERIFY(raw.endsWith("\r\n"));
    QCOMPARE(raw.count('\n'), raw.count("\r\n"));
    QCOMPARE(raw.count('\r'), raw.count("\r\n"));
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    qsizetype at = 0;
    while (at < raw.size()) {
        const qsizetype end = raw.indexOf("\r\n", at);
        const qsizetype length = end - at;
        QVERIFY2(length <= 998, raw.mid(at, 80).constData());
        if (at < headEnd)
            QVERIFY2(length <= maxHeaderLine, raw.mid(at, length).constData());
        at = end + 2;
    }
}

} // namespace

class TestMailMessage : public QObject
{
    Q_OBJECT

private slots:
    void carriesTheHeaderFieldsOfOneDelivery()
    {
        const QByteArray raw = mailFor(payload());
        checkLines(raw, 78);
        const Parsed mail = parse(raw);
        QCOMPARE(mail.field("From"), "Herald <herald@example.org>");
        QCOMPARE(mail.field("To"), "ops@example.org, oncall@example.net");
        QCOMPARE(mail.field("Subject"), "Deploy finished");
        QCOMPARE(mail.field("Date"), "Tue, 01 Jul 2025 09:30:05 +0000");
        QCOMPARE(mail.field("Message-ID"), "<" + DeliveryId.toLatin1() + "@herald>");
        QCOMPARE(mail.field("X-Herald-Delivery"), DeliveryId.toLatin1());
        QCOMPARE(mail.field("MIME-Version"), "1.0");
        QCOMPARE(mail.field("Auto-Submitted"), "auto-generated");
        QVERIFY(mail.field("Content-Type").startsWith("multipart/alternative; boundary=\""));
        for (const char *name :
             {"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"})
            QCOMPARE(mail.count(name), 1);
    }

    void bothPartsDecodeToTheNotification()
    {
        const auto body = parts(parse(mailFor(payload())));
        QCOMPARE(body.size(), 2);
        QCOMPARE(body[0].first.field("Content-Type"), "text/plain; charset=utf-8");
        QCOMPARE(body[1].first.field("Content-Type"), "text/html; charset=utf-8");
        const QString text = body[0].second;
        // CRLF inside the text too: text/* is canonical before it is encoded.
        QVERIFY(text.contains(u"Version 2.3 is live.\r\nAll checks passed."_s));
        QVERIFY(!text.contains(QRegularExpression(u"[^\r]\n"_s)));
        for (const QString &expected :
             {u"Deploy finished"_s, u"Application: deploys / prod"_s, u"Event: deploy"_s,
              u"Level: warning"_s, u"Priority: high"_s, u"Time: 2025-07-01 09:30:00 UTC"_s,
              u"Link: https://ci.example.org/runs/17?a=1&b=2"_s, DeliveryId})
            QVERIFY2(text.contains(expected), qPrintable(expected));

        const QString html = body[1].second;
        QVERIFY(html.contains(u"<h2>Deploy finished</h2>"_s));
        QVERIFY(html.contains(u"Version 2.3 is live.<br>"_s));
        QVERIFY(html.contains(u"deploys / prod"_s));
        QVERIFY(html.contains(u"warning"_s) && html.contains(u"high"_s));
        QVERIFY(html.contains(u"2025-07-01 09:30:00 UTC"_s));
        QVERIFY(html.contains(u"<a href=\"https://ci.example.org/runs/17?a=1&amp;b=2\">"_s));
    }

    void escapesEverythingInTheHtmlPart()
    {
        const QJsonObject hostile{{u"title"_s, u"<script>alert(1)</script>"_s},
                                  {u"message"_s, u"a & b \"quoted\" <b>bold</b>"_s},
                                  {u"level"_s, u"<i>"_s},
                                  {u"url"_s, u"https://x.example/\"><img src=x>"_s}};
        const auto body = parts(parse(mailFor(payload(hostile))));
        const QString html = body[1].second;
        QVERIFY(!html.contains(u"<script>"_s));
        QVERIFY(!html.contains(u"<b>bold"_s));
        QVERIFY(!html.contains(u"<i>"_s));
        QVERIFY(!html.contains(u"<img"_s));
        QVERIFY(html.contains(u"&lt;script&gt;alert(1)&lt;/script&gt;"_s));
        QVERIFY(html.contains(u"a &amp; b &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;"_s));
        // The plain part keeps the text as it is.
        QVERIFY(body[0].second.contains(u"<script>alert(1)</script>"_s));
    }

    void onlyWebUrlsBecomeLinks()
    {
        const auto body = parts(parse(mailFor(payload({{u"url"_s, u"javascript:alert(1)"_s}}))));
        QVERIFY(!body[1].second.contains(u"<a "_s));
        QVERIFY(body[1].second.contains(u"javascript:alert(1)"_s)); // shown, as text
        const auto none = parts(parse(mailFor(payload({{u"url"_s, QString()}}))));
        QVERIFY(!none[0].second.contains(u"Link:"_s));
    }

    void nonAsciiSubjectIsEncodedWords()
    {
        const QString title = u"Sauvegarde échouée: ☃ größer als 10 GB — 再試行 🚀"_s;
        const QByteArray raw = mailFor(payload({{u"title"_s, title}}));
        checkLines(raw, 76); // RFC 2047's limit for lines with encoded-words
        const QByteArray subject = parse(raw).field("Subject");
        QVERIFY2(subject.startsWith("=?UTF-8?B?"), subject.constData());
        QCOMPARE(decodeWords(subject), title);
        // The body's text is UTF-8 too.
        QVERIFY(parts(parse(raw))[0].second.contains(title));
    }

    void longSubjectsAreFoldedAndDecodeWhole()
    {
        QString ascii;
        for (int i = 0; i < 40; ++i)
            ascii += u"word%1 "_s.arg(i);
        ascii = ascii.trimmed();
        const QByteArray plain = mailFor(payload({{u"title"_s, ascii}}));
        checkLines(plain, 78);
        QCOMPARE(QString::fromLatin1(parse(plain).field("Subject")), ascii);

        const QString wide = QString(300, QChar(0x00e9)) + u"🚀"_s.repeated(100);
        const QByteArray encoded = mailFor(payload({{u"title"_s, wide}}));
        checkLines(encoded, 76);
        QCOMPARE(decodeWords(parse(encoded).field("Subject")), wide);

        const QString oneLongWord(2000, u'x');
        const QByteArray word = mailFor(payload({{u"title"_s, oneLongWord}}));
        checkLines(word, 76); // too long to fold at a space: encoded instead
        QCOMPARE(decodeWords(parse(word).field("Subject")), oneLongWord);
    }

    void lineBreaksInTheTitleAddNoHeaderField()
    {
        const QByteArray raw =
            mailFor(payload({{u"title"_s, u"Hi\r\nBcc: victim@example.org\nX-Evil: 1"_s}}));
        checkLines(raw, 78);
        const Parsed mail = parse(raw);
        QCOMPARE(mail.count("Bcc"), 0);
        QCOMPARE(mail.count("X-Evil"), 0);
        QCOMPARE(mail.field("Subject"), "Hi Bcc: victim@example.org X-Evil: 1");
    }

    void subjectFallsBackToApplicationAndChannel()
    {
        const QByteArray raw = mailFor(payload({{u"title"_s, QString()}}));
        QCOMPARE(parse(raw).field("Subject"), "deploys/prod");
        QVERIFY(!parts(parse(raw))[1].second.contains(u"<h2>"_s));
    }

    void encodedWordLookalikesAreEncoded()
    {
        // Plain text that a reader would decode must not stay plain.
        const QString title = u"=?UTF-8?B?SGk=?="_s;
        const QByteArray subject = parse(mailFor(payload({{u"title"_s, title}}))).field("Subject");
        QVERIFY(subject != title.toLatin1());
        QCOMPARE(decodeWords(subject), title);
    }

    void manyRecipientsAreFolded()
    {
        QStringList to;
        for (int i = 0; i < 32; ++i)
            to.append(u"recipient-number-%1@a-rather-long-domain.example.org"_s.arg(i));
        const QByteArray raw = mailFor(payload(), to);
        checkLines(raw, 78);
        QCOMPARE(QString::fromLatin1(parse(raw).field("To")).split(u", "_s), to);
    }

    void boundaryIsRandomAndNotInTheContent()
    {
        const QByteArray first = MailMessage::randomBoundary();
        QVERIFY(first.startsWith("=_herald_"));
        QCOMPARE(first.size(), 9 + 32);
        QVERIFY(first != MailMessage::randomBoundary());
        const QByteArray raw = mailFor(payload());
        const Parsed mail = parse(raw);
        const QByteArray boundary = mail.field("Content-Type").split('"').value(1);
        QCOMPARE(raw.count(QByteArray("--" + boundary)), 3); // two parts and the end, nothing else
        // Every attempt of a delivery is the same message but for the boundary.
        QCOMPARE(mail.field("Message-ID"), parse(mailFor(payload())).field("Message-ID"));
        QCOMPARE(mail.field("Date"), parse(mailFor(payload())).field("Date"));
    }

    void dateIsRfc5322()
    {
        const QDateTime when(QDate(2024, 2, 29), QTime(23, 5, 9), Qt::OffsetFromUTC, 7200);
        QCOMPARE(MailMessage::dateTime(when), "Thu, 29 Feb 2024 21:05:09 +0000");
    }
};

QTEST_GUILESS_MAIN(TestMailMessage)
#include "tst_mailmessage.moc"
