// SPDX-License-Identifier: Apache-2.0
#include "userpreferences.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
const QStringList Weekdays = {u"mon"_s, u"tue"_s, u"wed"_s, u"thu"_s, u"fri"_s, u"sat"_s, u"sun"_s};

std::optional<PreferenceRule> ruleFromJson(const QJsonObject &object, bool isDefault)
{
    PreferenceRule rule;
    if (!isDefault) {
        rule.application = object.value(u"application"_s).toString();
        rule.channel = object.value(u"channel"_s).toString();
        rule.code = object.value(u"code"_s).toString();
        if (rule.application.isEmpty())
            return std::nullopt;
    }
    const auto delivery = PreferenceRule::deliveryFromName(object.value(u"delivery"_s).toString());
    if (!delivery)
        return std::nullopt;
    rule.delivery = *delivery;
    rule.digest = object.value(u"digest"_s).toString();
    const QJsonValue agents = object.value(u"agents"_s);
    if (agents.isArray()) {
        rule.agents.clear();
        for (const QJsonValue &agent : agents.toArray())
            rule.agents.append(agent.toString());
    } else if (!agents.isUndefined() && !agents.isNull()) {
        return std::nullopt;
    }
    return rule;
}

QJsonObject ruleToJson(const PreferenceRule &rule)
{
    QJsonObject object;
    if (!rule.isDefault()) {
        object.insert(u"application"_s, rule.application);
        if (!rule.channel.isEmpty())
            object.insert(u"channel"_s, rule.channel);
        if (!rule.code.isEmpty())
            object.insert(u"code"_s, rule.code);
    }
    object.insert(u"delivery"_s, PreferenceRule::deliveryName(rule.delivery));
    if (rule.delivery == PreferenceRule::Delivery::Digest)
        object.insert(u"digest"_s, rule.digest);
    object.insert(u"agents"_s, QJsonArray::fromStringList(rule.agents));
    return object;
}
} // namespace

std::optional<DigestSchedule> DigestSchedule::parse(const QString &text)
{
    static const QRegularExpression daily(u"^daily@([01][0-9]|2[0-3]):([0-5][0-9])$"_s);
    static const QRegularExpression weekly(
        u"^weekly@(mon|tue|wed|thu|fri|sat|sun)@([01][0-9]|2[0-3]):([0-5][0-9])$"_s);
    DigestSchedule s;
    if (text == u"hourly"_s) {
        s.period = Period::Hourly;
        return s;
    }
    if (const auto m = daily.match(text); m.hasMatch()) {
        s.period = Period::Daily;
        s.at = QTime(m.captured(1).toInt(), m.captured(2).toInt());
        return s;
    }
    if (const auto m = weekly.match(text); m.hasMatch()) {
        s.period = Period::Weekly;
        s.weekday = int(Weekdays.indexOf(m.captured(1))) + 1;
        s.at = QTime(m.captured(2).toInt(), m.captured(3).toInt());
        return s;
    }
    return std::nullopt;
}

QString DigestSchedule::toString() const
{
    const QString time = at.toString(u"HH:mm"_s);
    switch (period) {
    case Period::Hourly:
        return u"hourly"_s;
    case Period::Daily:
        return u"daily@"_s + time;
    case Period::Weekly:
        return u"weekly@%1@%2"_s.arg(Weekdays.value(weekday - 1, u"mon"_s), time);
    }
    return u"hourly"_s;
}

std::optional<DigestSchedule::Period> DigestSchedule::periodOf(const QString &text)
{
    const QString kind = text.section(u'@', 0, 0);
    if (kind == u"hourly"_s)
        return Period::Hourly;
    if (kind == u"daily"_s)
        return Period::Daily;
    if (kind == u"weekly"_s)
        return Period::Weekly;
    return std::nullopt;
}

QString PreferenceRule::deliveryName(Delivery delivery)
{
    switch (delivery) {
    case Delivery::Immediate:
        return u"immediate"_s;
    case Delivery::Digest:
        return u"digest"_s;
    case Delivery::Off:
        return u"off"_s;
    }
    return u"immediate"_s;
}

std::optional<PreferenceRule::Delivery> PreferenceRule::deliveryFromName(const QString &name)
{
    if (name == u"immediate"_s)
        return Delivery::Immediate;
    if (name == u"digest"_s)
        return Delivery::Digest;
    if (name == u"off"_s)
        return Delivery::Off;
    return std::nullopt;
}

bool PreferenceRule::matches(const QString &app, const QString &chan, const QString &c) const
{
    if (isDefault())
        return true;
    return app == application && (channel.isEmpty() || channel == chan) &&
           (code.isEmpty() || code == c);
}

int PreferenceRule::specificity() const
{
    if (isDefault())
        return 0;
    return 1 + (channel.isEmpty() ? 0 : 2) + (code.isEmpty() ? 0 : 4);
}

FieldError FieldError::fromMessage(const QString &message)
{
    // A path is names with optional [index] parts joined by dots, then ": ".
    static const QRegularExpression field(
        u"^([A-Za-z]+(?:\\[\\d+\\])?(?:\\.[A-Za-z]+(?:\\[\\d+\\])?)*): (.*)$"_s,
        QRegularExpression::DotMatchesEverythingOption);
    const auto m = field.match(message);
    if (!m.hasMatch())
        return {QString(), message};
    return {m.captured(1), m.captured(2)};
}

int FieldError::ruleIndex() const
{
    static const QRegularExpression rule(u"^rules\\[(\\d+)\\]"_s);
    const auto m = rule.match(path);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

std::optional<UserPreferences> UserPreferences::fromJson(const QJsonObject &object)
{
    UserPreferences p;
    const QJsonValue zone = object.value(u"timezone"_s);
    if (zone.isString())
        p.timeZone = zone.toString();
    else if (!zone.isUndefined())
        return std::nullopt;
    p.email = object.value(u"email"_s).toString();
    const QJsonValue fallback = object.value(u"default"_s);
    if (fallback.isObject()) {
        auto rule = ruleFromJson(fallback.toObject(), true);
        if (!rule)
            return std::nullopt;
        p.defaultRule = *rule;
    } else if (!fallback.isUndefined()) {
        return std::nullopt;
    }
    const QJsonValue rules = object.value(u"rules"_s);
    if (!rules.isUndefined() && !rules.isArray())
        return std::nullopt;
    for (const QJsonValue &value : rules.toArray()) {
        auto rule = ruleFromJson(value.toObject(), false);
        if (!value.isObject() || !rule)
            return std::nullopt;
        p.rules.append(*rule);
    }
    return p;
}

QJsonObject UserPreferences::toJson() const
{
    QJsonArray list;
    for (const PreferenceRule &rule : rules)
        list.append(ruleToJson(rule));
    QJsonObject object{
        {u"timezone"_s, timeZone}, {u"default"_s, ruleToJson(defaultRule)}, {u"rules"_s, list}};
    // An empty address is "none" for the server; sent anyway so that clearing it is a change.
    object.insert(u"email"_s, email);
    return object;
}

const PreferenceRule &UserPreferences::ruleFor(const QString &application, const QString &channel,
                                               const QString &code) const
{
    const PreferenceRule *best = &defaultRule;
    for (const PreferenceRule &rule : rules) {
        if (rule.matches(application, channel, code) && rule.specificity() > best->specificity())
            best = &rule;
    }
    return *best;
}

int UserPreferences::indexOf(const QString &application, const QString &channel,
                             const QString &code) const
{
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const PreferenceRule &r = rules.at(i);
        if (r.application == application && r.channel == channel && r.code == code)
            return int(i);
    }
    return -1;
}

void UserPreferences::setRule(const PreferenceRule &rule)
{
    const int i = indexOf(rule.application, rule.channel, rule.code);
    if (i >= 0)
        rules[i] = rule;
    else
        rules.append(rule);
}

void UserPreferences::removeRule(const QString &application, const QString &channel,
                                 const QString &code)
{
    const int i = indexOf(application, channel, code);
    if (i >= 0)
        rules.removeAt(i);
}

} // namespace herald::client
