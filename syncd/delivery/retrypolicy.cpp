// SPDX-License-Identifier: Apache-2.0
#include "delivery/retrypolicy.h"

#include <QLocale>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// RFC 9111 5.1: a delay too large to represent counts as 2^31 seconds.
constexpr qint64 kMaxDelaySeconds = qint64(1) << 31;

bool isDigits(const QByteArray &text)
{
    return !text.isEmpty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isDayName(QByteArray name)
{
    static constexpr std::array<const char *, 7> kShort = {"Mon", "Tue", "Wed", "Thu",
                                                           "Fri", "Sat", "Sun"};
    static constexpr std::array<const char *, 7> kLong = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    if (name.endsWith(','))
        name.chop(1);
    return std::any_of(kShort.begin(), kShort.end(), [&](const char *n) { return name == n; }) ||
           std::any_of(kLong.begin(), kLong.end(), [&](const char *n) { return name == n; });
}

// The three forms of RFC 9110 5.6.7, split into their fields; the weekday is checked for
// shape only (a receiver's wrong weekday does not make its date less clear).
std::optional<QDateTime> parseHttpDate(const QByteArray &value, const QDateTime &now)
{
    const QList<QByteArray> parts = value.simplified().split(' ');
    QByteArray day, month, year, time;
    bool twoDigitYear = false;
    if (parts.size() == 6 && parts[0].endsWith(',') && parts[5] == "GMT") {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        day = parts[1], month = parts[2], year = parts[3], time = parts[4];
    } else if (parts.size() == 4 && parts[0].endsWith(',') && parts[3] == "GMT") {
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        const QList<QByteArray> fields = parts[1].split('-');
        if (fields.size() != 3 || fields[2].size() != 2)
            return std::nullopt;
        day = fields[0], month = fields[1], year = fields[2], time = parts[2];
        twoDigitYear = true;
    } else if (parts.size() == 5) {
        // asctime: Sun Nov  6 08:49:37 1994
        month = parts[1], day = parts[2], time = parts[3], year = parts[4];
    } else {
        return std::nullopt;
    }
    if (!isDayName(parts[0]) || !isDigits(day) || day.size() > 2 || !isDigits(year))
        return std::nullopt;
    if (twoDigitYear) {
        // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
        const int thisYear = now.toUTC().date().year();
        int full = thisYear - thisYear % 100 + year.toInt();
        if (full > thisYear + 50)
            full -= 100;
        year = QByteArray::number(full);
    } else if (year.size() != 4) {
        return std::nullopt;
    }
    const QLocale c = QLocale::c();
    const QDate date =
        c.toDate(QString::fromLatin1(day + ' ' + month + ' ' + year), u"d MMM yyyy"_s);
    const QTime clock = c.toTime(QString::fromLatin1(time), u"HH:mm:ss"_s);
    if (!date.isValid() || !clock.isValid() || time.size() != 8)
        return std::nullopt;
    return QDateTime(date, clock, Qt::UTC);
}

} // namespace

RetryPolicy::Verdict RetryPolicy::classify(const SendResult &result)
{
    switch (result.failure) {
    case SendFailure::RefusedByPolicy: // the admin must allow private networks or fix the URL
    case SendFailure::Invalid:
    // A certificate that does not verify is a configuration problem (the receiver's
    // certificate or our CA file): retrying for 24 h would only hide it.
    case SendFailure::Tls:
        return Verdict::Fail;
    case SendFailure::Rejected:
        // SMTP's own split (RFC 5321 4.2.1): 4yz is transient ("451 try again later",
        // greylisting), 5yz permanent ("550 no such mailbox").
        return result.smtpStatus >= 400 && result.smtpStatus <= 499 ? Verdict::Retry
                                                                    : Verdict::Fail;
    case SendFailure::None:
    case SendFailure::Network:
    case SendFailure::Timeout:
    case SendFailure::Redirect:
        break;
    }
    const int status = result.httpStatus;
    if (status == 0) {
        // A mail the server took; otherwise no answer: the receiver or the way to it may come
        // back (a mail cut off after a 250 to RCPT included).
        const bool mailTaken = result.failure == SendFailure::None && result.smtpStatus >= 200 &&
                               result.smtpStatus <= 299;
        return mailTaken ? Verdict::Done : Verdict::Retry;
    }
    if (status >= 200 && status <= 299)
        return Verdict::Done;
    if (status == 408 || status == 429 || (status >= 500 && status <= 599))
        return Verdict::Retry;
    return Verdict::Fail;
}

qint64 RetryPolicy::nextDelayMs(int attempt, std::optional<qint64> retryAfterMs,
                                quint32 randomValue) const
{
    const qint64 cap = std::max<qint64>(m_timing.maxDelayMs, 0);
    qint64 backoff = std::max<qint64>(m_timing.initialDelayMs, 0);
    for (int i = 1; i < attempt && backoff > 0 && backoff < cap; ++i)
        backoff *= 2;
    backoff = std::min(backoff, cap);
    const double factor = 0.75 + 0.5 * (double(randomValue) / 4294967296.0); // [0.75, 1.25)
    const qint64 jittered = std::llround(double(backoff) * factor);
    return std::min(std::max(jittered, retryAfterMs.value_or(0)), cap);
}

bool RetryPolicy::givesUp(qint64 firstAttemptMs, qint64 nowMs) const
{
    return nowMs - firstAttemptMs >= m_timing.maxAgeMs;
}

std::optional<qint64> RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray text = value.trimmed();
    if (isDigits(text)) {
        const qint64 seconds = text.size() > 12 ? kMaxDelaySeconds : text.toLongLong();
        return std::min(seconds, kMaxDelaySeconds) * 1000;
    }
    const std::optional<QDateTime> when = parseHttpDate(text, now);
    if (!when)
        return std::nullopt;
    return std::max<qint64>(now.msecsTo(*when), 0);
}

} // namespace herald::syncd
