// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "core/reply.h"
#include "model/application.h"

#include <QObject>

#include <optional>
#include <utility>

namespace herald::syncd {

class EventCatalog;
class KnownChannels;
class StoreThread;

// Applications and their channels: who may see and change them, and what a change means for
// the rest of the node (a deleted application's channels are forgotten by the publish path;
// the event types the publish path checks follow every change, see EventCatalog).
// Lives on the front thread; answers arrive there.
class CatalogService : public QObject
{
    Q_OBJECT
public:
    CatalogService(StoreThread &store, KnownChannels &knownChannels, EventCatalog &eventTypes,
                   QObject *parent = nullptr);

    // Loads every application's event types into the EventCatalog now and again every
    // ReloadMs, for changes made elsewhere (the command line, other daemons on the database).
    void start();
    static constexpr int ReloadMs = 1000;

    // BadRequest for a name that is not valid, Forbidden when the principal may not use (or,
    // with `readOnly`, read) application `name`. 403 rather than 404: producers know their own
    // application's name, and it says clearly which token is wrong.
    static Result<void> checkAccess(const Principal &principal, const QString &name,
                                    bool readOnly = false);

    // Forbidden unless the principal may create and replace application `name`: admins any,
    // a producer its own (self-registration at its start), nobody else.
    static Result<void> checkMayRegister(const Principal &principal, const QString &name);

    // Creates or replaces an application (checkMayRegister); the flag is true when it is new.
    // Publishes checked after the answer see its event types.
    void saveApplication(const Principal &principal, const Application &application,
                         Reply<std::pair<Application, bool>> done);
    // The applications the principal may read.
    void applications(const Principal &principal, Reply<QList<Application>> done);
    void application(const Principal &principal, const QString &name, Reply<Application> done);
    // Deletes the application with its channels and notifications.
    void removeApplication(const Principal &principal, const QString &name, Reply<bool> done);
    // Creates or replaces a channel; the flag is true when it is new.
    void saveChannel(const Principal &principal, const Channel &channel,
                     Reply<std::pair<Channel, bool>> done);
    void channels(const Principal &principal, const QString &application,
                  Reply<QList<Channel>> done);

private:
    void reloadEventTypes();

    StoreThread &m_store;
    KnownChannels &m_knownChannels;
    EventCatalog &m_eventTypes;
    bool m_reloading = false; // a reload is at the store; the next one waits for it
    bool m_reloadFailing = false;
};

} // namespace herald::syncd
