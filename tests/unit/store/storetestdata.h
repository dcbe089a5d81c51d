// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small builders and checks shared by the store tests.

#include "model/application.h"
#include "model/notification.h"
#include "protocol/error.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

// Fails the test with the Error's message when `result` holds an error.
#define STORE_VERIFY(result)                                                                       \
    do {                                                                                           \
        const auto &storeVerifyResult_ = (result);                                                 \
        QVERIFY2(storeVerifyResult_.has_value(),                                                   \
                 qPrintable(storeVerifyResult_ ? QString() : storeVerifyResult_.error().message)); \
    } while (false)

namespace herald::syncd::test {

inline QDateTime atMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// 2026-01-01T00:00:00Z, the tests' "now".
inline QDateTime baseTime()
{
    return atMs(1767225600000);
}

inline Application application(const QString &name, const QString &title = {})
{
    Application a;
    a.name = name;
    a.title = title.isEmpty() ? name : title;
    return a;
}

// A persistent notification created `id` milliseconds after baseTime().
inline Notification notification(NotificationId id, const QString &app, const QString &channel,
                                 const QStringList &recipients = {})
{
    Notification n;
    n.id = id;
    n.application = app;
    n.channel = channel;
    n.code = QStringLiteral("code-%1").arg(id);
    n.title = QStringLiteral("Title %1").arg(id);
    n.message = QStringLiteral("Message %1").arg(id);
    n.recipients = recipients;
    n.time = baseTime().addMSecs(id);
    n.node = 1;
    return n;
}

inline QList<NotificationId> idsOf(const QList<Notification> &notifications)
{
    QList<NotificationId> ids;
    for (const Notification &n : notifications)
        ids.append(n.id);
    return ids;
}

} // namespace herald::syncd::test

// Readable QCOMPARE failures.
inline char *toString(const QList<qint64> &ids)
{
    QStringList texts;
    for (qint64 id : ids)
        texts.append(QString::number(id));
    return QTest::toString(QStringLiteral("[%1]").arg(texts.join(u',')));
}

namespace herald {
inline char *toString(const Notification &n)
{
    QStringList tags;
    for (auto it = n.tags.cbegin(); it != n.tags.cend(); ++it)
        tags.append(it.key() + u'=' + it.value());
    QStringList actions;
    for (const NotificationAction &a : n.actions)
        actions.append(a.id + u'|' + a.label + u'|' + a.url);
    return QTest::toString(
        QStringLiteral("{id %1 app %2(%3) channel %4(%5) code %6 title %7 message %8 "
                       "persistent %9 priority %10 level %11 tags %12 url %13 actions %14 "
                       "recipients %15 time %16 expires %17 node %18}")
            .arg(QString::number(n.id), n.application, QString::number(n.applicationId), n.channel,
                 QString::number(n.channelId), n.code, n.title, n.message,
                 n.persistent ? QStringLiteral("yes") : QStringLiteral("no"))
            .arg(priorityName(n.priority), n.level, tags.join(u','), n.url, actions.join(u','),
                 n.recipients.join(u','), n.time.toString(Qt::ISODateWithMs),
                 n.expiresAt ? n.expiresAt->toString(Qt::ISODateWithMs) : QStringLiteral("-"),
                 QString::number(n.node)));
}
} // namespace herald
