#include "core/catalogservice.h"

#include "core/knownchannels.h"
#include "protocol/validator.h"
#include "store/storethread.h"

namespace herald::syncd {

namespace {
Error noApplication(const QString &name)
{
    return Error::notFound(QStringLiteral("application: no application '%1'").arg(name));
}
} // namespace

CatalogService::CatalogService(StoreThread &store, KnownChannels &knownChannels, QObject *parent)
    : QObject(parent), m_store(store), m_knownChannels(knownChannels)
{
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

Result<void> CatalogService::checkMayRegister(const Principal &principal)
{
    if (!principal.isAdmin())
        return fail(ErrorCode::Forbidden, QStringLiteral("token: admin only"));
    return {};
}

void CatalogService::saveApplication(const Principal &principal, const Application &application,
                                     Reply<std::pair<Application, bool>> done)
{
    if (auto allowed = checkMayRegister(principal); !allowed)
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
        this, std::move(done));
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
            done(std::move(deleted));
        });
}

void CatalogService::saveChannel(const Principal &principal, const Channel &channel,
                                 Reply<std::pair<Channel, bool>> done)
{
    if (auto allowed = checkAccess(principal, channel.application); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<std::pair<Channel, bool>>(
        [channel](SqlStore &store) -> Result<std::pair<Channel, bool>> {
            auto existing = store.findChannel(channel.application, channel.name);
            if (!existing)
                return tl::unexpected(existing.error());
            auto saved = store.upsertChannel(channel);
            if (!saved)
                return tl::unexpected(saved.error());
            return std::pair{*saved, !existing->has_value()};
        },
        this, std::move(done));
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
