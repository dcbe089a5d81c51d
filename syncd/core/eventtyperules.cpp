// SPDX-License-Identifier: Apache-2.0
#include "core/eventtyperules.h"

#include "protocol/fieldpath.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// What the producer may send instead, short enough for an error message.
QString oneOf(const QStringList &ids)
{
    constexpr qsizetype Shown = 10;
    QString list = ids.mid(0, Shown).join(u", "_s);
    if (ids.size() > Shown)
        list += u", ..."_s;
    return u" (one of: %1)"_s.arg(list);
}

} // namespace

EventTypeRules::EventTypeRules(const Application &application)
    : m_application(application.name),
      m_enforced(!application.eventTypes.isEmpty() && !application.acceptUnknownEvents)
{
    for (const EventType &type : application.eventTypes) {
        QStringList levels;
        for (const Level &level : type.levels)
            levels.append(level.id);
        m_codes.append(type.id);
        m_levels.insert(type.id, levels);
    }
}

Result<void> EventTypeRules::check(const Notification &notification, qsizetype batchIndex) const
{
    if (!m_enforced)
        return {};
    const QString at = batchIndex < 0 ? QString() : indexPath(QString(), batchIndex);
    const QString codePath = fieldPath(at, u"code"_s);
    const QString levelPath = fieldPath(at, u"level"_s);
    if (notification.code.isEmpty()) {
        return failField(
            codePath, u"is required: application '%1' registers event types"_s.arg(m_application) +
                          oneOf(m_codes));
    }
    const auto type = m_levels.constFind(notification.code);
    if (type == m_levels.cend()) {
        return failField(codePath, u"'%1' is not an event type of application '%2'"_s.arg(
                                       notification.code, m_application) +
                                       oneOf(m_codes));
    }
    const QStringList &levels = *type;
    if (levels.isEmpty()) {
        if (notification.level.isEmpty())
            return {};
        return failField(levelPath, u"event type '%1' of application '%2' has no levels"_s.arg(
                                        notification.code, m_application));
    }
    if (notification.level.isEmpty()) {
        return failField(levelPath, u"is required by event type '%1' of application '%2'"_s.arg(
                                        notification.code, m_application) +
                                        oneOf(levels));
    }
    if (!levels.contains(notification.level)) {
        return failField(levelPath,
                         u"'%1' is not a level of event type '%2' of application '%3'"_s.arg(
                             notification.level, notification.code, m_application) +
                             oneOf(levels));
    }
    return {};
}

std::optional<int> EventTypeRules::levelRank(const QString &code, const QString &level) const
{
    const auto type = m_levels.constFind(code);
    if (type == m_levels.cend())
        return std::nullopt;
    const qsizetype rank = type->indexOf(level);
    if (rank < 0)
        return std::nullopt;
    return int(rank);
}

std::optional<bool> EventTypeRules::reaches(const QString &code, const QString &level,
                                            const QString &minimum) const
{
    const auto rank = levelRank(code, level);
    const auto floor = levelRank(code, minimum);
    if (!rank || !floor)
        return std::nullopt;
    return *rank >= *floor;
}

} // namespace herald::syncd
