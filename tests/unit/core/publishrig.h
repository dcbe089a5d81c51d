// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fakes.h"

#include <memory>
#include <optional>

namespace herald::syncd::testing {

inline Notification note(const char *application, const char *channel, bool persistent = true)
{
    Notification n;
    n.application = QString::fromUtf8(application);
    n.channel = QString::fromUtf8(channel);
    n.title = QStringLiteral("t");
    n.persistent = persistent;
    return n;
}

inline Principal producer(const char *application)
{
    return {TokenKind::Producer, QString::fromUtf8(application), {}, 7};
}

// CoreRig with a publish that keeps every answer (the fake repository answers when flushed).
struct PublishRig : CoreRig
{
    // Publishes and returns the answer once there is one.
    std::optional<Result<QList<Notification>>> publish(QList<Notification> list, const Principal &p,
                                                       bool batch = false)
    {
        auto answer = std::make_shared<std::optional<Result<QList<Notification>>>>();
        service.publish(std::move(list), batch, p,
                        [answer](Result<QList<Notification>> r) { *answer = std::move(r); });
        m_answers.append(answer);
        return *answer;
    }
    QList<std::shared_ptr<std::optional<Result<QList<Notification>>>>> m_answers;
};

} // namespace herald::syncd::testing
