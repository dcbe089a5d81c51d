// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "model/rollupmatch.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace herald::client {

// One of the user's rollup rules as GET /api/v1/inbox/rules lists it: notifications of
// `application` (and `channel`, `code` when given) that share the value `matchOn` names fold
// into one inbox item of at most `maxSize`. The server folds the inbox; the client uses the
// same rule to show one popup for a burst. A plain value type.
struct RollupRule : RollupMatch
{
    QString name;
    int maxSize = 10;

    // A rule object of the server; nothing when it lacks a name or an application.
    static std::optional<RollupRule> fromJson(const QJsonObject &object);
};

// The one line a rollup shows in the list and its popup: "5 deploys in api, latest: v2.3 is
// live" (count, rule, channel, newest title), translated.
QString rollupTitle(int count, const QString &rule, const QString &channel,
                    const QString &newestTitle);

} // namespace herald::client
