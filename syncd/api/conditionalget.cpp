// SPDX-License-Identifier: Apache-2.0
#include "api/conditionalget.h"

#include "http/httpmessage.h"

#include <QCryptographicHash>
#include <QLocale>
#include <QTimeZone>

namespace herald::syncd {

namespace {

// If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" matches "x".
QByteArray opaqueTag(QByteArray tag)
{
    tag = tag.trimmed();
    if (tag.startsWith("W/"))
        tag = tag.mid(2);
    return tag;
}

bool anyTagMatches(const QList<QByteArray> &headers, const QByteArray &etag)
{
    for (const QByteArray &header : headers) {
        for (const QByteArray &tag : header.split(',')) {
            const QByteArray opaque = opaqueTag(tag);
            if (opaque == "*" || opaque == etag)
                return true;
        }
    }
    return false;
}

} // namespace

QByteArray ConditionalGet::strongEtagOf(const QByteArray &body)
{
    const QByteArray digest = QCryptographicHash::hash(body, QCryptographicHash::Sha256);
    return '"' +
           digest.left(16).toBase64(QByteArray::Base64UrlEncoding |
                                    QByteArray::OmitTrailingEquals) +
           '"';
}

QByteArray ConditionalGet::httpDate(const QDateTime &time)
{
    return QLocale::c()
        .toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

std::optional<QDateTime> ConditionalGet::parseHttpDate(const QByteArray &text)
{
    // The weekday is left out: it says nothing the date does not, and a wrong one (or a
    // two-digit year read in the wrong century) must not make a date unreadable.
    const QString value = QString::fromLatin1(text.trimmed()).simplified();
    const qsizetype comma = value.indexOf(u',');
    const QString date = comma >= 0 ? value.mid(comma + 1).trimmed() : value.section(u' ', 1);
    const QStringList formats =
        comma >= 0 ? QStringList{QStringLiteral("dd MMM yyyy hh:mm:ss 'GMT'"), // IMF-fixdate
                                 QStringLiteral("dd-MMM-yy hh:mm:ss 'GMT'")}   // RFC 850
                   : QStringList{QStringLiteral("MMM d hh:mm:ss yyyy")};       // asctime
    for (const QString &format : formats) {
        QDateTime time = QLocale::c().toDateTime(date, format);
        if (!time.isValid())
            continue;
        time.setTimeZone(QTimeZone::utc());
        // RFC 850's two-digit years read as 19yy: those before 1970 are this century's.
        if (time.date().year() < 1970)
            time = time.addYears(100);
        return time;
    }
    return std::nullopt;
}

bool ConditionalGet::notModified(const HttpRequest &request) const
{
    const QList<QByteArray> noneMatch = request.headerValues("if-none-match");
    if (!noneMatch.isEmpty())
        return anyTagMatches(noneMatch, etag);
    const QByteArray since = request.header("if-modified-since");
    if (since.isEmpty() || !lastModified.isValid())
        return false;
    const auto time = parseHttpDate(since);
    return time && lastModified.toSecsSinceEpoch() <= time->toSecsSinceEpoch();
}

} // namespace herald::syncd
