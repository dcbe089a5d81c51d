// SPDX-License-Identifier: Apache-2.0
#include "delivery/mailmessage.h"

#include <QLocale>
#include <QRandomGenerator>

#include <array>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

constexpr qsizetype FoldAt = 78;      // RFC 5322 2.1.1: lines SHOULD keep within 78
constexpr qsizetype EncodedLine = 76; // RFC 2047 2: a line with encoded-words, at most 76
constexpr qsizetype Base64Line = 76;  // RFC 2045 6.8
const QByteArray Crlf = "\r\n";

// What may stand in a header value: no control character (CR and LF above all), one space
// between words.
QString headerText(const QString &text)
{
    QString clean = text;
    for (QChar &c : clean) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return clean.simplified();
}

bool isPlainAscii(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

// "Name: word word" folded before the spaces that would take a line past 78; empty when a
// single word is too long for that (the caller encodes it instead).
QByteArray foldedAscii(const QByteArray &name, const QString &value)
{
    QByteArray field = name + ':';
    qsizetype lineStart = 0;
    for (const QString &word : value.split(u' ', Qt::SkipEmptyParts)) {
        const QByteArray bytes = word.toLatin1();
        if (field.size() - lineStart + 1 + bytes.size() > FoldAt) {
            field += Crlf;
            lineStart = field.size();
        }
        field += ' ' + bytes;
        if (field.size() - lineStart > FoldAt)
            return {};
    }
    return field + Crlf;
}

// How many bytes of `utf8` from `from` fit in `maxBytes` without cutting a character in two:
// an encoded-word must hold whole characters (RFC 2047 5).
qsizetype wholeCharacters(const QByteArray &utf8, qsizetype from, qsizetype maxBytes)
{
    qsizetype end = std::min(from + maxBytes, utf8.size());
    while (end < utf8.size() && end > from && (quint8(utf8[end]) & 0xC0) == 0x80)
        --end; // utf8[end] continues a character: end before it starts
    return end - from;
}

QByteArray encodedWords(const QByteArray &name, const QString &value)
{
    static const QByteArray open = "=?UTF-8?B?";
    static const QByteArray close = "?=";
    const QByteArray utf8 = value.toUtf8();
    QByteArray field = name + ':';
    qsizetype lineStart = 0;
    qsizetype at = 0;
    while (at < utf8.size()) {
        // The room on this line for base64, in whole 4-character groups of 3 bytes each.
        const qsizetype room = std::max<qsizetype>(
            EncodedLine - (field.size() - lineStart) - 1 - open.size() - close.size(), 12);
        const qsizetype take = wholeCharacters(utf8, at, room / 4 * 3);
        field += ' ' + open + utf8.mid(at, take).toBase64() + close;
        at += take;
        if (at < utf8.size()) {
            field += Crlf;
            lineStart = field.size();
        }
    }
    return field + Crlf;
}

QByteArray addressList(const QByteArray &name, const QStringList &addresses)
{
    QByteArray field = name + ':';
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < addresses.size(); ++i) {
        const QByteArray item = addresses[i].toLatin1() + (i + 1 < addresses.size() ? "," : "");
        if (i > 0 && field.size() - lineStart + 1 + item.size() > FoldAt) {
            field += Crlf;
            lineStart = field.size();
        }
        field += ' ' + item;
    }
    return field + Crlf;
}

QByteArray asciiValue(QByteArray value)
{
    value.replace('\r', ' ').replace('\n', ' ');
    return value;
}

// A text/* part: its lines end in CRLF before they are encoded (RFC 2046 4.1.1), and base64
// keeps every line short whatever the text is.
QByteArray textPart(const QByteArray &boundary, const QByteArray &subtype, const QString &text)
{
    QString canonical = text;
    canonical.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n').replace(u"\n"_s, u"\r\n"_s);
    const QByteArray encoded = canonical.toUtf8().toBase64();
    QByteArray part = "--" + boundary + Crlf + "Content-Type: text/" + subtype + "; charset=utf-8" +
                      Crlf + "Content-Transfer-Encoding: base64" + Crlf + Crlf;
    for (qsizetype at = 0; at < encoded.size(); at += Base64Line)
        part += encoded.mid(at, Base64Line) + Crlf;
    return part;
}

} // namespace

QByteArray MailMessage::randomBoundary()
{
    std::array<quint32, 4> random;
    QRandomGenerator::system()->fillRange(random.data(), random.size());
    return "=_herald_" +
           QByteArray(reinterpret_cast<const char *>(random.data()), sizeof(random)).toHex();
}

QByteArray MailMessage::unstructuredField(const QByteArray &name, const QString &value)
{
    const QString clean = headerText(value);
    if (isPlainAscii(clean) && !clean.contains(u"=?"_s)) {
        if (QByteArray folded = foldedAscii(name, clean); !folded.isEmpty())
            return folded;
    }
    return encodedWords(name, clean);
}

QByteArray MailMessage::dateTime(const QDateTime &when)
{
    return QLocale::c().toString(when.toUTC(), u"ddd, dd MMM yyyy HH:mm:ss"_s).toLatin1() +
           " +0000";
}

QByteArray MailMessage::toBytes(QByteArray boundary) const
{
    if (boundary.isEmpty())
        boundary = randomBoundary();
    QByteArray mail;
    mail += "From: " + fromName.toLatin1() + " <" + from.toLatin1() + '>' + Crlf;
    mail += addressList("To", to);
    mail += unstructuredField("Subject", subject);
    mail += "Date: " + dateTime(date) + Crlf;
    mail += "Message-ID: <" + asciiValue(messageId.toLatin1()) + '>' + Crlf;
    mail += "MIME-Version: 1.0" + Crlf;
    for (const auto &[name, value] : extraFields)
        mail += asciiValue(name) + ": " + asciiValue(value) + Crlf;
    mail += "Content-Type: multipart/alternative;" + Crlf + " boundary=\"" + boundary + '"' + Crlf;
    mail += Crlf;
    // Plain text first, the richest last (RFC 2046 5.1.4): readers show the last they can.
    mail += textPart(boundary, "plain", text);
    mail += textPart(boundary, "html", html);
    mail += "--" + boundary + "--" + Crlf;
    return mail;
}

} // namespace herald::syncd
