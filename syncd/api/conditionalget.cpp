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
    const QString value = QString::fromLatin1(text.trimmed()).simplified();
    for (const QString &format : {QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"),
                                  QStringLiteral("dddd, dd-MMM-yy hh:mm:ss 'GMT'"),
                                  QStringLiteral("ddd MMM d hh:mm:ss yyyy")}) {
        QDateTime time = QLocale::c().toDateTime(value, format);
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
