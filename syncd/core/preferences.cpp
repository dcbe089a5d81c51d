// SPDX-License-Identifier: Apache-2.0
#include "core/preferences.h"

#include "config/mailaddress.h"
#include "protocol/validator.h"

#include <QJsonArray>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace herald::syncd {

const QStringList Preferences::Agents = {u"desktop"_s, u"email"_s, u"feed"_s};

namespace {

const QStringList Modes = {u"immediate"_s, u"digest"_s, u"off"_s};

Error badField(const QString &path, const QString &message)
{
    return Error{ErrorCode::BadRequest, path + u": "_s + message};
}

Result<void> checkKeys(const QJsonObject &object, const QStringList &known, const QString &path)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return tl::unexpected(badField(path + it.key(), u"unknown field"_s));
    }
    return {};
}

Result<QString> optionalName(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return QString();
    if (!value.isString() || !Validator::isValidName(value.toString()))
        return tl::unexpected(badField(path + key, u"not a valid name"_s));
    return value.toString();
}

// `prefix` is "default." or "rules[i].".
Result<DeliveryRule> readRule(const QJsonObject &object, const QString &prefix, bool isDefault)
{
    QStringList known{u"delivery"_s, u"digest"_s, u"agents"_s};
    if (!isDefault)
        known << u"application"_s << u"channel"_s << u"code"_s;
    if (auto keys = checkKeys(object, known, prefix); !keys)
        return tl::unexpected(keys.error());
    DeliveryRule rule;
    if (!isDefault) {
        auto application = optionalName(object, u"application"_s, prefix);
        auto channel = optionalName(object, u"channel"_s, prefix);
        auto code = optionalName(object, u"code"_s, prefix);
        for (const auto *field : {&application, &channel, &code}) {
            if (!*field)
                return tl::unexpected(field->error());
        }
        if (application->isEmpty())
            return tl::unexpected(badField(prefix + u"application"_s, u"required"_s));
        rule.application = *application;
        rule.channel = *channel;
        rule.code = *code;
    }
    const QString mode = object.value(u"delivery").toString();
    if (!Modes.contains(mode))
        return tl::unexpected(badField(prefix + u"delivery"_s, u"immediate, digest or off"_s));
    rule.mode = DeliveryRule::Mode(Modes.indexOf(mode));
    const QJsonValue digest = object.value(u"digest");
    if (rule.mode == DeliveryRule::Mode::Digest) {
        if (!digest.isString())
            return tl::unexpected(
                badField(prefix + u"digest"_s, u"required with digest delivery"_s));
        auto schedule = DigestSchedule::parse(digest.toString());
        if (!schedule)
            return tl::unexpected(badField(prefix + u"digest"_s, schedule.error().message));
        rule.digest = *schedule;
    } else if (!digest.isUndefined() && !digest.isNull()) {
        return tl::unexpected(badField(prefix + u"digest"_s, u"only with digest delivery"_s));
    }
    const QJsonValue agents = object.value(u"agents");
    if (agents.isUndefined() || agents.isNull()) {
        rule.agents = Preferences::Agents;
    } else {
        if (!agents.isArray() || agents.toArray().isEmpty())
            return tl::unexpected(
                badField(prefix + u"agents"_s, u"a list of desktop, email and feed"_s));
        const QJsonArray list = agents.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString agent = list.at(i).toString();
            if (!Preferences::Agents.contains(agent))
                return tl::unexpected(
                    badField(prefix + u"agents[%1]"_s.arg(i), u"desktop, email or feed"_s));
            if (!rule.agents.contains(agent))
                rule.agents.append(agent);
        }
    }
    return rule;
}

QJsonObject ruleToJson(const DeliveryRule &rule)
{
    QJsonObject object;
    if (!rule.application.isEmpty())
        object.insert(u"application"_s, rule.application);
    if (!rule.channel.isEmpty())
        object.insert(u"channel"_s, rule.channel);
    if (!rule.code.isEmpty())
        object.insert(u"code"_s, rule.code);
    object.insert(u"delivery"_s, Modes.at(int(rule.mode)));
    if (rule.digest)
        object.insert(u"digest"_s, rule.digest->toString());
    object.insert(u"agents"_s, QJsonArray::fromStringList(rule.agents));
    return object;
}

} // namespace

bool DeliveryRule::matches(const Notification &n) const
{
    return n.application == application && (channel.isEmpty() || channel == n.channel) &&
           (code.isEmpty() || code == n.code);
}

int DeliveryRule::specificity() const
{
    if (application.isEmpty())
        return 0;
    return 1 + (channel.isEmpty() ? 0 : 2) + (code.isEmpty() ? 0 : 4);
}

Preferences::Preferences() : m_timeZone(u"UTC"_s)
{
    m_default.agents = Agents;
}

Result<Preferences> Preferences::fromJson(const QJsonObject &body)
{
    if (auto keys = checkKeys(body, {u"timezone"_s, u"email"_s, u"default"_s, u"rules"_s}, {});
        !keys)
        return tl::unexpected(keys.error());
    Preferences p;
    const QJsonValue zone = body.value(u"timezone");
    if (!zone.isUndefined()) {
        if (!zone.isString() || !QTimeZone(zone.toString().toLatin1()).isValid())
            return fail(ErrorCode::BadRequest,
                        u"timezone: an IANA time zone such as Europe/Berlin"_s);
        p.m_timeZone = zone.toString();
    }
    const QJsonValue email = body.value(u"email");
    if (!email.isUndefined() && !email.isNull() &&
        !(email.isString() && email.toString().isEmpty())) {
        if (!email.isString())
            return fail(ErrorCode::BadRequest, u"email: not an email address"_s);
        // What a mail's envelope takes as it is (ASCII, no line breaks): see MailAddress.
        if (const auto problem = MailAddress::problem(email.toString()))
            return fail(ErrorCode::BadRequest, u"email: "_s + *problem);
        p.m_email = email.toString();
    }
    const QJsonValue fallback = body.value(u"default");
    if (!fallback.isUndefined()) {
        if (!fallback.isObject())
            return fail(ErrorCode::BadRequest, u"default: must be an object"_s);
        auto rule = readRule(fallback.toObject(), u"default."_s, true);
        if (!rule)
            return tl::unexpected(rule.error());
        p.m_default = *rule;
    }
    const QJsonValue rules = body.value(u"rules");
    if (!rules.isUndefined()) {
        if (!rules.isArray())
            return fail(ErrorCode::BadRequest, u"rules: must be an array"_s);
        const QJsonArray list = rules.toArray();
        if (list.size() > MaxRules)
            return fail(ErrorCode::BadRequest, u"rules: at most %1"_s.arg(MaxRules));
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString prefix = u"rules[%1]."_s.arg(i);
            if (!list.at(i).isObject())
                return fail(ErrorCode::BadRequest, prefix.chopped(1) + u": must be an object"_s);
            auto rule = readRule(list.at(i).toObject(), prefix, false);
            if (!rule)
                return tl::unexpected(rule.error());
            for (const DeliveryRule &other : std::as_const(p.m_rules)) {
                if (other.application == rule->application && other.channel == rule->channel &&
                    other.code == rule->code)
                    return fail(ErrorCode::BadRequest,
                                prefix + u"application: the same application, channel and code "
                                         "as an earlier rule"_s);
            }
            p.m_rules.append(*rule);
        }
    }
    return p;
}

QJsonObject Preferences::toJson() const
{
    QJsonArray rules;
    for (const DeliveryRule &rule : m_rules)
        rules.append(ruleToJson(rule));
    QJsonObject object{
        {u"timezone"_s, m_timeZone}, {u"default"_s, ruleToJson(m_default)}, {u"rules"_s, rules}};
    if (!m_email.isEmpty())
        object.insert(u"email"_s, m_email);
    return object;
}

const DeliveryRule &Preferences::ruleFor(const Notification &notification) const
{
    const DeliveryRule *best = &m_default;
    for (const DeliveryRule &rule : m_rules) {
        if (rule.matches(notification) && rule.specificity() > best->specificity())
            best = &rule;
    }
    return *best;
}

CodeFilter Preferences::codeFilter(const QString &application, const QString &channel) const
{
    Notification probe;
    probe.application = application;
    probe.channel = channel;
    // Codes no rule names share the mode of a notification without a code.
    const bool offByDefault = ruleFor(probe).mode == DeliveryRule::Mode::Off;
    QStringList exceptions;
    for (const DeliveryRule &rule : m_rules) {
        if (rule.code.isEmpty() || rule.application != application ||
            exceptions.contains(rule.code))
            continue;
        probe.code = rule.code;
        if ((ruleFor(probe).mode == DeliveryRule::Mode::Off) != offByDefault)
            exceptions.append(rule.code);
    }
    CodeFilter filter;
    if (offByDefault)
        filter.keep = exceptions.isEmpty() ? CodeFilter::Keep::None : CodeFilter::Keep::Only;
    else
        filter.keep = exceptions.isEmpty() ? CodeFilter::Keep::All : CodeFilter::Keep::AllBut;
    filter.codes = exceptions;
    return filter;
}

bool Preferences::pushesToDesktop(const Notification &notification) const
{
    const DeliveryRule &rule = ruleFor(notification);
    return rule.mode == DeliveryRule::Mode::Immediate && rule.agents.contains(u"desktop"_s);
}

} // namespace herald::syncd
