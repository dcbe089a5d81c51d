// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/validator.h"

#include <QMap>

namespace herald::syncd {

// Reads Prometheus Alertmanager's webhook body (version 4: {version, groupKey, status, receiver,
// groupLabels, commonLabels, commonAnnotations, externalURL, alerts:[...]}) as one notification
// per alert, firing or resolved (PROTOCOL.md, "Alertmanager webhook"). Alertmanager cannot
// shorten what it sends, so text over a limit is shortened rather than refused; a body of the
// wrong shape is refused with the field named ("alerts[2].status: ..."). Stateless,
// thread-safe.
class AlertmanagerWebhook
{
public:
    explicit AlertmanagerWebhook(Limits limits = {}) : m_validator(limits) {}

    // The channel when neither the URL (`?channel=`) nor the alert (label herald_channel)
    // names one.
    static constexpr auto DefaultChannel = "alerts";
    // The label that names an alert's channel.
    static constexpr auto ChannelLabel = "herald_channel";

    // The notifications of `body` for `application`, in the order of its alerts; `channel` is
    // the route's `?channel=` (empty: none).
    Result<QList<Notification>> read(const QString &application, const QString &channel,
                                     const QByteArray &body) const;

    // critical -> urgent, error/warning -> high, info -> normal, ... (nullopt: not known).
    static std::optional<Priority> priorityFromSeverity(const QString &severity);
    // `text` cut to at most `maxChars` code points, ending in "…" when cut.
    static QString shortened(const QString &text, qsizetype maxChars);
    // `text` cut to at most `maxBytes` bytes of UTF-8, ending in "…" when cut.
    static QString shortenedUtf8(const QString &text, qsizetype maxBytes);

private:
    Result<Notification> readAlert(const QString &application, const QString &channel,
                                   const QString &externalUrl, const QJsonObject &alert,
                                   const QString &path) const;
    QMap<QString, QString> tagsOf(const QMap<QString, QString> &labels, const QString &status,
                                  const QString &fingerprint) const;

    Validator m_validator;
};

} // namespace herald::syncd
