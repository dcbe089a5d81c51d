// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/error.h"

#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace herald::syncd {

class EventTypeRules;

// One behaviour group of an application (PUT /api/v1/applications/{app}/behaviors/{name}):
// its notifications on `channels` (any when empty), with `codes` (any when empty) and a
// level at or after `minLevel` (any when empty) go to `endpoints`.
struct Behavior
{
    QString application;
    QString name;
    QSet<QString> channels;
    QSet<QString> codes;
    QString minLevel;
    QStringList endpoints;

    static constexpr int MaxEndpoints = 16;
    static constexpr int MaxPerApplication = 64;

    // Reads and checks a body; errors name the field ("match.codes[1]: not a valid name").
    static Result<Behavior> fromJson(const QString &application, const QString &name,
                                     const QJsonObject &body);
    QJsonObject matchJson() const;
    QJsonObject toJson() const; // with its name and application

    // Whether `notification` is one this group sends on. A minimum level compares by the
    // order the application registered the code's levels in; a level that order does not
    // know (unregistered code or level) does not reach any minimum.
    bool matches(const Notification &notification, const EventTypeRules &eventTypes) const;
};

} // namespace herald::syncd
