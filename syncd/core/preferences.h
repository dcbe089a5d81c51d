// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/digestschedule.h"
#include "model/notification.h"
#include "protocol/error.h"
#include "store/storetypes.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace herald::syncd {

// How one kind of notification reaches a user (PROTOCOL.md, Delivery policy): at once, in a
// digest on a schedule, or not at all, and through which agents.
struct DeliveryRule
{
    enum class Mode
    {
        Immediate,
        Digest,
        Off
    };

    QString application; // empty: the default rule
    QString channel;     // empty: any
    QString code;        // empty: any
    Mode mode = Mode::Immediate;
    std::optional<DigestSchedule> digest; // set when mode is Digest
    QStringList agents;                   // desktop, email, feed

    bool matches(const Notification &notification) const;
    // Code beats channel beats application beats the default.
    int specificity() const;
};

// A user's delivery preferences: time zone, email address, the default rule and the rules
// per application, channel and code. Pure; validated on the way in.
class Preferences
{
public:
    static constexpr int MaxRules = 200;
    static const QStringList Agents; // every agent there is, in the order they are listed

    Preferences(); // UTC, no address, everything immediate to every agent

    // Reads a PUT body; errors name the field ("rules[2].digest: ...").
    static Result<Preferences> fromJson(const QJsonObject &body);
    QJsonObject toJson() const;

    const QString &timeZone() const { return m_timeZone; }
    const QString &email() const { return m_email; }
    const DeliveryRule &defaultRule() const { return m_default; }
    const QList<DeliveryRule> &rules() const { return m_rules; }
    // The most specific rule that matches; the default when none does.
    const DeliveryRule &ruleFor(const Notification &notification) const;
    // Which codes of channel `application`/`channel` are not `off`, for queries that leave
    // the `off` ones out (backlogs, unseen counts).
    CodeFilter codeFilter(const QString &application, const QString &channel) const;
    // Whether the desktop sessions get `notification` as it comes (immediate, desktop agent).
    bool pushesToDesktop(const Notification &notification) const;

private:
    QString m_timeZone;
    QString m_email;
    DeliveryRule m_default;
    QList<DeliveryRule> m_rules;
};

} // namespace herald::syncd
