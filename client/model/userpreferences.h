// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTime>

#include <optional>

namespace herald::client {

// When a digest is sent, as PROTOCOL.md ("Delivery policy") spells it: `hourly`,
// `daily@HH:MM` or `weekly@mon@HH:MM`, in the user's time zone. A plain value.
struct DigestSchedule
{
    enum class Period
    {
        Hourly,
        Daily,
        Weekly
    };

    Period period = Period::Daily;
    int weekday = Qt::Monday; // Qt::DayOfWeek; weekly only
    QTime at{8, 0};           // daily and weekly

    // Nothing when the text is not one of the three forms.
    static std::optional<DigestSchedule> parse(const QString &text);
    QString toString() const;
    // The period of a schedule's text, also of one parse() refuses ("daily@25:00" is daily):
    // what a digest's popup calls itself.
    static std::optional<Period> periodOf(const QString &text);

    friend bool operator==(const DigestSchedule &, const DigestSchedule &) = default;
};

// One rule of the user's delivery preferences: how notifications of an application (of one
// channel, of one event code) reach the user. The default rule names no application.
struct PreferenceRule
{
    enum class Delivery
    {
        Immediate, // every agent gets it as it comes
        Digest,    // collected and sent once per period of `digest`
        Off,       // no agent gets it; it stays in the inbox
    };

    static inline const QString Desktop = QStringLiteral("desktop");
    static inline const QString Email = QStringLiteral("email");
    static inline const QString Feed = QStringLiteral("feed");

    QString application; // empty: the default rule
    QString channel;     // empty: any channel of the application
    QString code;        // empty: any event code
    Delivery delivery = Delivery::Immediate;
    QString digest; // the schedule's text, with Digest only (the server checks it)
    QStringList agents{Desktop, Email, Feed};

    static QString deliveryName(Delivery delivery); // "immediate", "digest", "off"
    static std::optional<Delivery> deliveryFromName(const QString &name);

    bool isDefault() const { return application.isEmpty(); }
    bool matches(const QString &application, const QString &channel, const QString &code) const;
    // Code beats channel beats application beats the default (PROTOCOL.md).
    int specificity() const;
    // Whether a notification under this rule pops up on this desktop as it arrives: immediate
    // delivery to the desktop agent. A digest reaches the desktop as one digest instead.
    bool popsUp() const { return delivery == Delivery::Immediate && agents.contains(Desktop); }
    bool sameTarget(const PreferenceRule &other) const
    {
        return application == other.application && channel == other.channel && code == other.code;
    }

    friend bool operator==(const PreferenceRule &, const PreferenceRule &) = default;
};

// A field the server named in a refused PUT: "rules[2].digest: hourly, daily@HH:MM ..." is
// {"rules[2].digest", "hourly, daily@HH:MM ..."}. A message without a field path has an empty
// path.
struct FieldError
{
    QString path;
    QString message;

    static FieldError fromMessage(const QString &message);
    // The rule index of "rules[2]..." paths, else -1.
    int ruleIndex() const;
    friend bool operator==(const FieldError &, const FieldError &) = default;
};

// The user's delivery preferences as GET /api/v1/preferences answers them and PUT takes them
// (PROTOCOL.md "Delivery policy"): time zone, email address, the default rule and the rules
// per application, channel and code. Kept on the server, the same on every device of the user.
// A plain value.
struct UserPreferences
{
    static constexpr int MaxRules = 200;

    QString timeZone = QStringLiteral("UTC");
    QString email;
    PreferenceRule defaultRule;
    QList<PreferenceRule> rules;

    // Nothing when the object is not preferences (wrong types, an unknown delivery).
    static std::optional<UserPreferences> fromJson(const QJsonObject &object);
    // The body of a PUT; rules in their order here, so that "rules[i]" in an answer is rules[i].
    QJsonObject toJson() const;

    // The most specific rule for a notification; the default when none matches.
    const PreferenceRule &ruleFor(const QString &application, const QString &channel,
                                  const QString &code = {}) const;
    // The index of the rule for exactly this application, channel and code; -1 when none.
    int indexOf(const QString &application, const QString &channel, const QString &code = {}) const;
    // Replaces the rule for the same target, or appends it.
    void setRule(const PreferenceRule &rule);
    void removeRule(const QString &application, const QString &channel, const QString &code = {});

    friend bool operator==(const UserPreferences &, const UserPreferences &) = default;
};

} // namespace herald::client
