// SPDX-License-Identifier: Apache-2.0
#include "core/endpointservice.h"

#include "config/mailaddress.h"
#include "core/corelog.h"
#include "core/outboxjobid.h"
#include "core/routingtable.h"
#include "delivery/addresspolicy.h"
#include "delivery/webhooksignature.h"
#include "model/timestamps.h"
#include "protocol/validator.h"
#include "store/storethread.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

constexpr int MinSecretChars = 16;
constexpr int MaxSecretChars = 256;
constexpr int MaxRecipients = 32;

Error noEndpoint(const QString &name)
{
    return Error{ErrorCode::NotFound, u"endpoint: no endpoint '%1'"_s.arg(name)};
}

// What a test delivery carries: a notification no session sees, marked as a test.
QByteArray testPayload(const QString &endpoint, qint64 nowMs)
{
    const QJsonObject n{
        {u"id"_s, 0},
        {u"application"_s, u"herald"_s},
        {u"channel"_s, u"test"_s},
        {u"code"_s, u"herald.test"_s},
        {u"title"_s, u"Test delivery from herald-syncd"_s},
        {u"message"_s, u"Endpoint '%1' is reachable."_s.arg(endpoint)},
        {u"time"_s, QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {u"persistent"_s, false}};
    return QJsonDocument(n).toJson(QJsonDocument::Compact);
}

} // namespace

EndpointService::EndpointService(const EndpointSettings &settings, const SmtpSettings &smtp,
                                 int nodeId, StoreThread &store, RoutingTable &routing,
                                 QObject *parent)
    : QObject(parent), m_settings(settings), m_smtpConfigured(smtp.isConfigured()),
      m_nodeId(nodeId), m_store(store), m_routing(routing)
{
}

void EndpointService::start()
{
    reload();
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &EndpointService::reload);
    timer->start(ReloadMs);
}

Result<void> EndpointService::checkAdmin(const Principal &principal)
{
    if (!principal.isAdmin())
        return fail(ErrorCode::Forbidden,
                    u"token: endpoints and behaviour groups need an admin token"_s);
    return {};
}

Behavior EndpointService::fromRecord(const BehaviorRecord &record)
{
    QJsonObject body{{u"match"_s, QJsonDocument::fromJson(record.matchJson.toUtf8()).object()},
                     {u"endpoints"_s, QJsonArray::fromStringList(record.endpoints)}};
    auto behavior = Behavior::fromJson(record.application, record.name, body);
    if (!behavior) { // changed by hand in the database: route nothing rather than guess
        qCWarning(lcCore) << "behaviour group" << record.application << record.name
                          << "is not valid:" << behavior.error().message;
        return Behavior{record.application, record.name, {}, {}, {}, {}};
    }
    return *behavior;
}

void EndpointService::reload()
{
    if (m_reloading)
        return;
    m_reloading = true;
    struct Loaded
    {
        QList<BehaviorRecord> behaviors;
        QSet<QString> enabled;
    };
    m_store.submit<Loaded>(
        [](SqlStore &store) -> Result<Loaded> {
            auto behaviors = store.endpoints([](EndpointQueries &q) { return q.behaviors(); });
            if (!behaviors)
                return tl::unexpected(behaviors.error());
            auto endpoints = store.endpoints([](EndpointQueries &q) { return q.all(); });
            if (!endpoints)
                return tl::unexpected(endpoints.error());
            Loaded loaded{*behaviors, {}};
            for (const EndpointRecord &e : std::as_const(*endpoints)) {
                if (e.enabled)
                    loaded.enabled.insert(e.name);
            }
            return loaded;
        },
        this,
        [this](Result<Loaded> loaded) {
            m_reloading = false;
            if (!loaded) {
                if (!std::exchange(m_reloadFailing, true))
                    qCWarning(lcCore)
                        << "cannot load the behaviour groups:" << loaded.error().message;
                return;
            }
            m_reloadFailing = false;
            QList<Behavior> behaviors;
            for (const BehaviorRecord &record : std::as_const(loaded->behaviors))
                behaviors.append(fromRecord(record));
            m_routing.replaceAll(behaviors, loaded->enabled);
        });
}

Result<EndpointRecord> EndpointService::readEndpoint(const QString &name,
                                                     const QJsonObject &body) const
{
    if (!Validator::isValidName(name))
        return fail(ErrorCode::BadRequest, u"name: not a valid name"_s);
    static const QStringList known = {u"name"_s,   u"kind"_s, u"url"_s,
                                      u"secret"_s, u"to"_s,   u"enabled"_s};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(ErrorCode::BadRequest, it.key() + u": unknown field"_s);
    }
    EndpointRecord e;
    e.name = name;
    e.kind = body.value(u"kind").toString();
    if (e.kind == u"email") {
        // Refused up front: an endpoint that could only fail is no use to anyone.
        if (!m_smtpConfigured)
            return fail(ErrorCode::BadRequest,
                        u"kind: email endpoints need [smtp] url and from in the daemon's "
                        "configuration"_s);
        if (body.contains(u"url"))
            return fail(ErrorCode::BadRequest,
                        u"url: email endpoints have none; mail goes through [smtp] url"_s);
        auto to = MailAddress::readList(body.value(u"to"), u"to"_s, MaxRecipients);
        if (!to)
            return tl::unexpected(to.error());
        e.recipients = *to;
    } else if (e.kind == u"webhook" || e.kind == u"slack") {
        if (!body.value(u"url").isString())
            return fail(ErrorCode::BadRequest, u"url: required, an http:// or https:// URL"_s);
        auto url = AddressPolicy::checkEndpointUrl(body.value(u"url").toString(),
                                                   m_settings.allowPrivateNetworks);
        if (!url)
            return tl::unexpected(url.error());
        e.url = url->toString(QUrl::FullyEncoded);
        if (body.contains(u"to"))
            return fail(ErrorCode::BadRequest, u"to: only email endpoints have recipients"_s);
    } else {
        return fail(ErrorCode::BadRequest, u"kind: required, webhook, slack or email"_s);
    }
    const QJsonValue secret = body.value(u"secret");
    if (!secret.isUndefined() && !secret.isNull()) {
        if (e.kind != u"webhook")
            return fail(ErrorCode::BadRequest, u"secret: only webhooks are signed"_s);
        const QString text = secret.toString();
        if (!secret.isString() || text.size() < MinSecretChars || text.size() > MaxSecretChars)
            return fail(ErrorCode::BadRequest,
                        u"secret: %1 to %2 characters"_s.arg(MinSecretChars).arg(MaxSecretChars));
        e.secret = text;
    }
    const QJsonValue enabled = body.value(u"enabled");
    if (!enabled.isUndefined() && !enabled.isBool())
        return fail(ErrorCode::BadRequest, u"enabled: true or false"_s);
    e.enabled = enabled.toBool(true);
    if (!e.enabled)
        e.disabledReason = u"disabled by an administrator"_s;
    e.updatedMs = utcNow().toMSecsSinceEpoch();
    return e;
}

void EndpointService::putEndpoint(const Principal &principal, const QString &name,
                                  const QJsonObject &body, Reply<Saved> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    auto endpoint = readEndpoint(name, body);
    if (!endpoint)
        return done(tl::unexpected(endpoint.error()));
    m_store.submit<Saved>(
        [e = *endpoint](SqlStore &store) mutable -> Result<Saved> {
            auto existing = store.endpoints([&](EndpointQueries &q) { return q.find(e.name); });
            if (!existing)
                return tl::unexpected(existing.error());
            bool shown = !e.secret.isEmpty();
            if (e.kind == u"webhook" && e.secret.isEmpty()) {
                if (existing->has_value() && !(*existing)->secret.isEmpty()) {
                    e.secret = (*existing)->secret;
                } else {
                    e.secret = QString::fromLatin1(WebhookSignature::newSecret());
                    shown = true;
                }
            }
            auto created = store.endpoints([&](EndpointQueries &q) { return q.put(e); });
            if (!created)
                return tl::unexpected(created.error());
            auto saved = store.endpoints([&](EndpointQueries &q) { return q.find(e.name); });
            if (!saved || !saved->has_value())
                return fail(ErrorCode::Internal, u"endpoint: not found after it was saved"_s);
            return Saved{**saved, *created, shown};
        },
        this,
        [this, done = std::move(done)](Result<Saved> saved) {
            if (saved) {
                m_routing.setEndpointEnabled(saved->endpoint.name, saved->endpoint.enabled);
                if (saved->endpoint.enabled)
                    Q_EMIT deliveriesAdded(); // pending jobs may be deliverable again
            }
            done(std::move(saved));
        });
}

void EndpointService::endpoints(const Principal &principal, Reply<QList<Listed>> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<QList<Listed>>(
        [](SqlStore &store) -> Result<QList<Listed>> {
            auto all = store.endpoints([](EndpointQueries &q) { return q.all(); });
            if (!all)
                return tl::unexpected(all.error());
            auto counts = store.outbox([](OutboxQueries &q) { return q.counts(); });
            if (!counts)
                return tl::unexpected(counts.error());
            QList<Listed> listed;
            for (const EndpointRecord &e : std::as_const(*all))
                listed.append(Listed{e, counts->value(e.name)});
            return listed;
        },
        this, std::move(done));
}

void EndpointService::endpoint(const Principal &principal, const QString &name, Reply<Listed> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<Listed>(
        [name](SqlStore &store) -> Result<Listed> {
            auto found = store.endpoints([&](EndpointQueries &q) { return q.find(name); });
            if (!found)
                return tl::unexpected(found.error());
            if (!found->has_value())
                return tl::unexpected(noEndpoint(name));
            auto counts = store.outbox([](OutboxQueries &q) { return q.counts(); });
            if (!counts)
                return tl::unexpected(counts.error());
            return Listed{**found, counts->value(name)};
        },
        this, std::move(done));
}

void EndpointService::removeEndpoint(const Principal &principal, const QString &name,
                                     Reply<void> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<bool>(
        [name](SqlStore &store) {
            return store.endpoints([&](EndpointQueries &q) { return q.remove(name); });
        },
        this,
        [this, name, done = std::move(done)](Result<bool> removed) {
            if (!removed)
                return done(tl::unexpected(removed.error()));
            if (!*removed)
                return done(tl::unexpected(noEndpoint(name)));
            m_routing.setEndpointEnabled(name, false);
            done({});
        });
}

void EndpointService::enableEndpoint(const Principal &principal, const QString &name,
                                     Reply<Listed> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<bool>(
        [name](SqlStore &store) {
            return store.endpoints([&](EndpointQueries &q) { return q.enable(name); });
        },
        this,
        [this, principal, name, done = std::move(done)](Result<bool> enabled) mutable {
            if (!enabled)
                return done(tl::unexpected(enabled.error()));
            if (!*enabled)
                return done(tl::unexpected(noEndpoint(name)));
            qCInfo(lcCore) << "endpoint" << name << "enabled again";
            m_routing.setEndpointEnabled(name, true);
            Q_EMIT deliveriesAdded();
            endpoint(principal, name, std::move(done));
        });
}

void EndpointService::deliveries(const Principal &principal, const QString &name,
                                 std::optional<DeliveryStatus> status, int limit,
                                 Reply<QList<DeliveryJob>> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<QList<DeliveryJob>>(
        [name, status, limit](SqlStore &store) -> Result<QList<DeliveryJob>> {
            auto found = store.endpoints([&](EndpointQueries &q) { return q.find(name); });
            if (!found)
                return tl::unexpected(found.error());
            if (!found->has_value())
                return tl::unexpected(noEndpoint(name));
            return store.outbox([&](OutboxQueries &q) { return q.list(name, status, limit); });
        },
        this, std::move(done));
}

void EndpointService::testEndpoint(const Principal &principal, const QString &name,
                                   Reply<DeliveryJob> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    const qint64 now = utcNow().toMSecsSinceEpoch();
    DeliveryJob job;
    job.id = newOutboxJobId(now);
    job.endpoint = name;
    job.payload = testPayload(name, now);
    job.node = m_nodeId;
    job.createdMs = now;
    job.nextAttemptMs = now;
    m_store.submit<DeliveryJob>(
        [job](SqlStore &store) -> Result<DeliveryJob> {
            auto found = store.endpoints([&](EndpointQueries &q) { return q.find(job.endpoint); });
            if (!found)
                return tl::unexpected(found.error());
            if (!found->has_value())
                return tl::unexpected(noEndpoint(job.endpoint));
            if (auto added = store.addDeliveries({job}); !added)
                return tl::unexpected(added.error());
            return job;
        },
        this,
        [this, done = std::move(done)](Result<DeliveryJob> queued) {
            if (queued)
                Q_EMIT deliveriesAdded();
            done(std::move(queued));
        });
}

void EndpointService::putBehavior(const Principal &principal, const QString &application,
                                  const QString &name, const QJsonObject &body,
                                  Reply<std::pair<Behavior, bool>> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    auto parsed = Behavior::fromJson(application, name, body);
    if (!parsed)
        return done(tl::unexpected(parsed.error()));
    const Behavior behavior = *parsed;
    const BehaviorRecord record{
        behavior.application, behavior.name,
        QString::fromUtf8(QJsonDocument(behavior.matchJson()).toJson(QJsonDocument::Compact)),
        behavior.endpoints};
    m_store.submit<bool>(
        [record](SqlStore &store) -> Result<bool> {
            auto app = store.findApplication(record.application);
            if (!app)
                return tl::unexpected(app.error());
            if (!app->has_value())
                return fail(ErrorCode::NotFound,
                            u"application: no application '%1'"_s.arg(record.application));
            for (qsizetype i = 0; i < record.endpoints.size(); ++i) {
                auto found = store.endpoints(
                    [&](EndpointQueries &q) { return q.find(record.endpoints.at(i)); });
                if (!found)
                    return tl::unexpected(found.error());
                if (!found->has_value())
                    return fail(
                        ErrorCode::BadRequest,
                        u"endpoints[%1]: no endpoint '%2'"_s.arg(i).arg(record.endpoints.at(i)));
            }
            auto existing = store.endpoints(
                [&](EndpointQueries &q) { return q.behaviors(record.application); });
            if (!existing)
                return tl::unexpected(existing.error());
            const bool isNew =
                std::none_of(existing->cbegin(), existing->cend(),
                             [&](const BehaviorRecord &b) { return b.name == record.name; });
            if (isNew && existing->size() >= Behavior::MaxPerApplication)
                return fail(ErrorCode::Conflict,
                            u"name: an application has at most %1 behaviour groups"_s.arg(
                                Behavior::MaxPerApplication));
            return store.endpoints([&](EndpointQueries &q) { return q.putBehavior(record); });
        },
        this,
        [this, behavior, done = std::move(done)](Result<bool> created) {
            if (!created)
                return done(tl::unexpected(created.error()));
            m_routing.put(behavior);
            done(std::make_pair(behavior, *created));
        });
}

void EndpointService::behaviors(const Principal &principal, const QString &application,
                                Reply<QList<Behavior>> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<QList<BehaviorRecord>>(
        [application](SqlStore &store) {
            return store.endpoints([&](EndpointQueries &q) { return q.behaviors(application); });
        },
        this,
        [done = std::move(done)](Result<QList<BehaviorRecord>> records) {
            if (!records)
                return done(tl::unexpected(records.error()));
            QList<Behavior> behaviors;
            for (const BehaviorRecord &r : std::as_const(*records))
                behaviors.append(fromRecord(r));
            done(behaviors);
        });
}

void EndpointService::behavior(const Principal &principal, const QString &application,
                               const QString &name, Reply<Behavior> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<std::optional<BehaviorRecord>>(
        [application, name](SqlStore &store) {
            return store.endpoints(
                [&](EndpointQueries &q) { return q.behavior(application, name); });
        },
        this,
        [application, name, done = std::move(done)](Result<std::optional<BehaviorRecord>> found) {
            if (!found)
                return done(tl::unexpected(found.error()));
            if (!found->has_value())
                return done(
                    fail(ErrorCode::NotFound,
                         u"name: no behaviour group '%1' in '%2'"_s.arg(name, application)));
            done(fromRecord(**found));
        });
}

void EndpointService::removeBehavior(const Principal &principal, const QString &application,
                                     const QString &name, Reply<void> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<bool>(
        [application, name](SqlStore &store) {
            return store.endpoints(
                [&](EndpointQueries &q) { return q.removeBehavior(application, name); });
        },
        this,
        [this, application, name, done = std::move(done)](Result<bool> removed) {
            if (!removed)
                return done(tl::unexpected(removed.error()));
            if (!*removed)
                return done(
                    fail(ErrorCode::NotFound,
                         u"name: no behaviour group '%1' in '%2'"_s.arg(name, application)));
            m_routing.remove(application, name);
            done({});
        });
}

} // namespace herald::syncd
