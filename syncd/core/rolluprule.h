// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "model/rollupmatch.h"
#include "protocol/error.h"

#include <QJsonObject>
#include <QString>

namespace herald::syncd {

// One of a user's rollup rules (PUT /api/v1/inbox/rules/{name}): notifications of
// `application` (and `channel`, `code` when given) that share the value `matchOn` names and
// come within `maxDuration` of a group's first fold into one inbox item of at most `maxSize`.
struct RollupRule : RollupMatch
{
    QString name;
    int maxSize = 10;
    qint64 maxDurationMs = 3600 * 1000;
    QString maxDurationText = QStringLiteral("1h"); // as given, to answer with

    static constexpr int MaxRulesPerUser = 32;

    // Reads and checks a rule body; errors name the field ("maxSize: must be 2 to 1000").
    static Result<RollupRule> fromJson(const QString &name, const QJsonObject &body);
    QJsonObject toJson() const; // with its name
};

} // namespace herald::syncd
