// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>

namespace herald {

struct Level
{
    QString id;
    QString title;
    friend bool operator==(const Level &, const Level &) = default;
};

struct EventType
{
    QString id;
    QString title;
    QList<Level> levels;
    friend bool operator==(const EventType &, const EventType &) = default;
};

struct Application
{
    qint64 rowId = 0; // store's id, used by the Hermes wire (ApplicationId)
    QString name;
    QString title;
    QList<EventType> eventTypes;
    // Publishes with a code or level outside eventTypes are taken as they come (no 400).
    bool acceptUnknownEvents = false;
    friend bool operator==(const Application &, const Application &) = default;
};

struct Channel
{
    qint64 rowId = 0; // store's id, used by the Hermes wire (ChannelId)
    QString application;
    QString name;
    QString title;
    QString description;
    friend bool operator==(const Channel &, const Channel &) = default;
};

} // namespace herald
