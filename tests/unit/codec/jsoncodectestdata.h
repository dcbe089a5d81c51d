// SPDX-License-Identifier: Apache-2.0
// Notifications and checks shared by the JsonCodec tests of REST bodies (tst_jsoncodec.cpp)
// and of WebSocket frames (tst_jsonframes.cpp).
#pragma once

#include "codec/jsoncodec.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <optional>

namespace herald::test {

using namespace Qt::StringLiterals;

// The largest id a JSON number holds exactly: 2^53 - 1.
inline constexpr qint64 MaxId = (qint64(1) << 53) - 1;

inline QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

// Every field set, with text that needs escaping (quotes, controls, non-ASCII, an emoji).
inline Notification fullNotification()
{
    Notification n;
    n.id = 7241748533886976;
    n.application = u"ci"_s;
    n.channel = u"builds.main"_s;
    n.code = u"build_failed"_s;
    n.title = u"Build #42 failed"_s;
    n.message = QStringLiteral("Step \"test\" failed:\n\tsee log \\ \u00e9\U0001F600");
    n.persistent = false;
    n.priority = Priority::Urgent;
    n.level = u"error"_s;
    n.tags = {{u"env"_s, u"prod"_s}, {QStringLiteral("weird key \"1\""), u"\u0001"_s}};
    n.url = u"https://ci.example.com/builds/42"_s;
    n.actions = {{u"retry"_s, u"Retry"_s, u"https://ci.example.com/retry/42"_s},
                 {u"ack"_s, u"Got it"_s, {}}};
    n.recipients = {u"alice"_s, u"bob"_s};
    n.time = utc(2026, 11, 22, 12, 0, 0, 123);
    n.expiresAt = utc(2026, 11, 23, 0, 0, 0, 1);
    n.node = 63;
    return n;
}

// Only the fields a stored notification always has.
inline Notification minimalNotification()
{
    Notification n;
    n.id = 1;
    n.application = u"a"_s;
    n.channel = u"c"_s;
    n.message = u"hi"_s;
    n.time = utc(2025, 1, 1, 0, 0, 0, 0);
    return n;
}

inline QJsonObject parsed(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// The checks of a row of a malformed-input table: the input was refused as a bad request whose
// message starts with the expected prefix (most often the path of the offending field).
inline void verifyRejected(const std::optional<Error> &error, const QString &expectedPrefix)
{
    QVERIFY2(error, "input was accepted");
    QCOMPARE(error->code, ErrorCode::BadRequest);
    QVERIFY2(error->message.startsWith(expectedPrefix),
             qPrintable(u"'%1' does not start with '%2'"_s.arg(error->message, expectedPrefix)));
}

} // namespace herald::test
