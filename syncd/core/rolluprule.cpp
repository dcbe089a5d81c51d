// SPDX-License-Identifier: Apache-2.0
#include "core/rolluprule.h"

#include "codec/jsonfields.h"
#include "protocol/validator.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

constexpr int MinSize = 2;
constexpr int MaxSize = 1000;
constexpr qint64 MaxDurationMs = 7LL * 24 * 3600 * 1000;

// "90s", "15m", "1h", "2d".
std::optional<qint64> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(u"^([1-9][0-9]{0,6})(s|m|h|d)$"_s);
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 amount = match.captured(1).toLongLong();
    const QChar unit = match.captured(2).at(0);
    const qint64 unitMs = unit == u's'   ? 1000
                          : unit == u'm' ? 60'000
                          : unit == u'h' ? 3'600'000
                                         : 86'400'000;
    return amount * unitMs;
}

bool isMatchOnField(const QString &field)
{
    static const QStringList fields = {u"code"_s, u"channel"_s, u"level"_s, u"priority"_s,
                                       u"title"_s};
    return fields.contains(field) ||
           (field.startsWith(u"tags."_s) && field.size() > 5 && field.size() <= 69);
}

} // namespace

Result<RollupRule> RollupRule::fromJson(const QString &name, const QJsonObject &body)
{
    if (!Validator::isValidName(name))
        return fail(ErrorCode::BadRequest, u"name: must match [A-Za-z0-9._-]{1,64}"_s);
    json::FieldReader r(body);
    RollupRule rule;
    rule.name = name;
    rule.application = r.requiredString(u"application"_s);
    rule.channel = r.string(u"channel"_s);
    rule.code = r.string(u"code"_s);
    rule.matchOn = r.string(u"matchOn"_s);
    const auto size = r.has(u"maxSize"_s) ? r.integer(u"maxSize"_s) : std::optional<qint64>(10);
    const QString duration = r.has(u"maxDuration"_s) ? r.string(u"maxDuration"_s) : u"1h"_s;
    if (!r.ok())
        return r.unexpected();
    if (!Validator::isValidName(rule.application))
        return fail(ErrorCode::BadRequest, u"application: not a valid name"_s);
    if (!rule.channel.isEmpty() && !Validator::isValidName(rule.channel))
        return fail(ErrorCode::BadRequest, u"channel: not a valid name"_s);
    if (rule.code.size() > 64)
        return fail(ErrorCode::BadRequest, u"code: at most 64 characters"_s);
    if (!rule.matchOn.isEmpty() && !isMatchOnField(rule.matchOn))
        return fail(ErrorCode::BadRequest,
                    u"matchOn: must be tags.<key>, code, channel, level, priority or title"_s);
    if (!size || *size < MinSize || *size > MaxSize)
        return fail(ErrorCode::BadRequest,
                    u"maxSize: must be %1 to %2"_s.arg(MinSize).arg(MaxSize));
    rule.maxSize = int(*size);
    const auto ms = parseDuration(duration);
    if (!ms || *ms > MaxDurationMs)
        return fail(ErrorCode::BadRequest,
                    u"maxDuration: must be a number and s, m, h or d (like \"15m\"), at most 7d"_s);
    rule.maxDurationMs = *ms;
    rule.maxDurationText = duration;
    return rule;
}

QJsonObject RollupRule::toJson() const
{
    QJsonObject object{{u"name"_s, name},
                       {u"application"_s, application},
                       {u"maxSize"_s, maxSize},
                       {u"maxDuration"_s, maxDurationText}};
    if (!channel.isEmpty())
        object.insert(u"channel"_s, channel);
    if (!code.isEmpty())
        object.insert(u"code"_s, code);
    if (!matchOn.isEmpty())
        object.insert(u"matchOn"_s, matchOn);
    return object;
}

} // namespace herald::syncd
