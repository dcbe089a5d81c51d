// SPDX-License-Identifier: Apache-2.0
#include "core/catalogservice.h"

#include "core/corelog.h"
#include "core/eventcatalog.h"
#include "core/knownchannels.h"
#include "protocol/validator.h"
#include "store/storethread.h"

#include <QTimer>

namespace herald::syncd {

namespace {
Error noApplication(const QString &name)
{
    return Error::notFound(QStringLiteral("application: no application '%1'").arg(name));
}
} // namespace

CatalogService::CatalogService(StoreThread &store, KnownChannels &knownChannels,
                               EventCatalog &eventTypes, QObject *parent)
    : QObject(parent), m_store(store), m_knownChannels(knownChannels), m_eventTypes(eventTypes)
{
}

void CatalogService::start()
{
    reloadEventTypes();
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &CatalogService::reloadEventTypes);
    timer->start(ReloadMs);
}

void CatalogService::reloadEventTypes()
{
    if (m_reloading)
        return;
    m_reloading = true;
    // Compiled on the store thread; the front only swaps the table. The store answers in
    // submission order, so a reload never undoes a later change made through this service.
    m_store.submit<QHash<QString, EventTypeRules>>(
        [](SqlStore &store) -> Result<QHash<QString, EventTypeRules>> {
            auto all = store.applications();
            if (!all)
                return tl::unexpected(all.error());
            QHash<QString, EventTypeRules> rules;
            rules.reserve(all->size());
            for (const Application &application : std::as_const(*all))
                rules.insert(application.name, EventTypeRules(application));
            return rules;
        },
        this,
        [this](Result<QHash<QString, EventTypeRules>> rules) {
            m_reloading = false;
            if (!rules) {
                if (!std::exchange(m_reloadFailing, true)) // once per outage, not every second
                    qCWarning(lcCore).noquote()
                        << "cannot read the applications' event types:" << rules.error().message;
                return m_eventTypes.loadFailed(rules.error());
            }
            m_reloadFailing = false;
            m_eventTypes.replaceAll(std::move(*rules));
        });
}

Result<void> CatalogService::checkAccess(const Principal &principal, const QString &name,
                                         bool readOnly)
{
    if (!Validator::isValidName(name))
        return fail(ErrorCode::BadRequest, QStringLiteral("application: not a valid name"));
    if (readOnly ? !principal.mayReadApplication(name) : !principal.mayUseApplication(name))
        return fail(ErrorCode::Forbidden,
                    QStringLiteral("application: this token may not use '%1'").arg(name));
    return {};
}

Result<void> CatalogService::checkMayRegister(const Principal &principal, const QString &name)
{
    if (principal.kind == TokenKind::User)
        return fail(ErrorCode::Forbidden, QStringLiteral("token: user tokens cannot register "
                                                         "applications"));
    // The same rule as using it: admins any, a producer only its own.
    return checkAccess(principal, name);
}

void CatalogService::saveApplication(const Principal &principal, const Application &application,
                                     Reply<std::pair<Application, bool>> done)
{
    if (auto allowed = checkMayRegister(principal, application.name); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<std::pair<Application, bool>>(
        [application](SqlStore &store) -> Result<std::pair<Application, bool>> {
            auto existing = store.findApplication(application.name);
            if (!existing)
                return tl::unexpected(existing.error());
            auto saved = store.upsertApplication(application);
            if (!saved)
                return tl::unexpected(saved.error());
            return std::pair{*saved, !existing->has_value()};
        },
        this,
        [this, done = std::move(done)](Result<std::pair<Application, bool>> saved) {
            if (saved) {
                m_eventTypes.remember(saved->first);
                m_knownChannels.rememberApplication(saved->first.name);
            }
            done(std::move(saved));
        });
}

void CatalogService::applications(const Principal &principal, Reply<QList<Application>> done)
{
    m_store.submit<QList<Application>>(
        [principal](SqlStore &store) -> Result<QList<Application>> {
            auto all = store.applications();
            if (all)
                all->removeIf([&](const Application &app) {
                    return !principal.mayReadApplication(app.name);
                });
            return all;
        },
        this, std::move(done));
}

void CatalogService::application(const Principal &principal, const QString &name,
                                 Reply<Application> done)
{
    if (auto allowed = checkAccess(principal, name, true); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<Application>(
        [name](SqlStore &store) -> Result<Application> {
            auto found = store.findApplication(name);
            if (!found)
                return tl::unexpected(found.error());
            if (!found->has_value())
                return tl::unexpected(noApplication(name));
            return **found;
        },
        this, std::move(done));
}

void CatalogService::removeApplication(const Principal &principal, const QString &name,
                                       Reply<bool> done)
{
    if (auto allowed = checkAccess(principal, name); !allowed)
        return done(tl::unexpected(allowed.error()));
    // Forgotten now and again once deleted: transient publishes in between go through the
    // store, which orders them with the delete.
    m_knownChannels.forgetApplication(name);
    m_store.submit<bool>(
        [name](SqlStore &store) -> Result<bool> {
            auto deleted = store.deleteApplication(name);
            if (deleted && !*deleted)
                return tl::unexpected(noApplication(name));
            return deleted;
        },
        this,
        [this, name, done = std::move(done)](Result<bool> deleted) {
            m_knownChannels.forgetApplication(name);
            if (deleted)
                m_eventTypes.forget(name);
            done(std::move(deleted));
        });
}

void CatalogService::saveChannel(const Principal &principal, const Channel &channel,
                                 Reply<std::pair<Channel, bool>> done)
{
    if (auto allowed = checkAccess(principal, channel.application); !allowed)
        return done(tl::unexpected(allowed.error()));
    struct Saved
    {
        Channel channel;
        bool created = false;
        qint64 applicationId = 0;
    };
    m_store.submit<Saved>(
        [channel](SqlStore &store) -> Result<Saved> {
            auto existing = store.findChannel(channel.application, channel.name);
            if (!existing)
                return tl::unexpected(existing.error());
            auto saved = store.upsertChannel(channel);
            if (!saved)
                return tl::unexpected(saved.error());
            auto application = store.applicationRowId(channel.application);
            if (!application)
                return tl::unexpected(application.error());
            return Saved{*saved, !existing->has_value(), application->value_or(0)};
        },
        this,
        [this, done = std::move(done)](Result<Saved> saved) {
            if (!saved)
                return done(tl::unexpected(saved.error()));
            // Transient publishes to it go straight to the sessions from now on.
            m_knownChannels.rememberChannel(saved->channel.application, saved->channel.name,
                                            {saved->applicationId, saved->channel.rowId});
            done(std::pair{saved->channel, saved->created});
        });
}

void CatalogService::channels(const Principal &principal, const QString &application,
                              Reply<QList<Channel>> done)
{
    if (auto allowed = checkAccess(principal, application, true); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<QList<Channel>>(
        [application](SqlStore &store) -> Result<QList<Channel>> {
            auto app = store.findApplication(application);
            if (!app)
                return tl::unexpected(app.error());
            if (!app->has_value())
                return tl::unexpected(noApplication(application));
            return store.channels(application);
        },
        this, std::move(done));
}

} // namespace herald::syncd
