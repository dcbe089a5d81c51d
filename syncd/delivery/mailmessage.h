// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace herald::syncd {

// One mail as an SMTP server gets it (RFC 5322, MIME: RFC 2045-2047): From, To, Subject, Date,
// Message-ID, MIME-Version, the extra fields given, and a multipart/alternative body of a
// text/plain and a text/html part, both UTF-8 in base64. Every line ends in CRLF and keeps
// within 998 octets (headers are folded to 78 where they can be); nothing a caller passes can
// add a header line. Pure, any thread.
struct MailMessage
{
    QString fromName; // "Herald": a display name of letters and digits only
    QString from;     // bare addresses (MailAddress), taken as they are
    QStringList to;
    QString subject; // any text: line breaks become spaces, non-ASCII encoded-words
    QDateTime date;
    QString messageId; // without the angle brackets: "left@right"
    QList<std::pair<QByteArray, QByteArray>> extraFields; // name, ASCII value
    QString text;
    QString html;

    // The message, its parts separated by `boundary` (randomBoundary() when empty).
    QByteArray toBytes(QByteArray boundary = {}) const;

    // "=_herald_" and 32 random hex digits: "=_" never occurs in base64, so no part can
    // contain the boundary by chance.
    static QByteArray randomBoundary();
    // "Name: value" CRLF for unstructured text (RFC 5322 3.2.5): as it is when plain ASCII,
    // folded at spaces; else RFC 2047 B encoded-words of UTF-8, at most 76 octets a line.
    static QByteArray unstructuredField(const QByteArray &name, const QString &value);
    // RFC 5322 3.3 date-time in UTC: "Tue, 01 Jul 2025 09:30:00 +0000".
    static QByteArray dateTime(const QDateTime &when);
};

} // namespace herald::syncd
