// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "error.h"
#include "limits.h"
#include "messages.h"
#include "model/application.h"
#include "model/notification.h"

namespace herald {

// Checks input against PROTOCOL.md's rules and Limits. Every error names the offending field
// with its path, e.g. "[3].tags.env: value longer than 256 characters". Stateless, thread-safe.
class Validator
{
public:
    explicit Validator(Limits limits = {}) : m_limits(limits) {}

    const Limits &limits() const { return m_limits; }

    // Names of applications, channels, users, tag-free identifiers: [A-Za-z0-9._-]{1,64}.
    static bool isValidName(const QString &name);
    static bool isValidId(NotificationId id) { return id > 0 && id < (qint64(1) << 53); }

    Result<void> checkName(const QString &name, const QString &field) const;
    // A link a notification may carry (`url`, action urls): http, https or mailto, within
    // the URL length limit.
    Result<void> checkUrl(const QString &url, const QString &field) const;
    // A notification as a producer submits it (id, time and node are the server's business).
    Result<void> checkNotification(const Notification &n, const QString &path = {}) const;
    Result<void> checkIds(const QList<NotificationId> &ids, const QString &field) const;
    Result<void> checkRegister(const RegisterMessage &message) const;
    Result<void> checkApplication(const Application &application) const;
    Result<void> checkChannel(const Channel &channel) const;

private:
    Limits m_limits;
};

} // namespace herald
