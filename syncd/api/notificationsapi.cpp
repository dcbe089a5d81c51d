#include "notificationsapi.h"

#include "metrics/metrics.h"
#include "model/timestamps.h"
#include "relay/relay.h"
#include "ws/hub.h"

#include <QJsonArray>
#include <QJsonObject>

namespace herald::syncd {

namespace {
Result<qint64> parseId(const QString &text, const QString &field)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || !Validator::isValidId(id))
        return fail(ErrorCode::BadRequest,
                    field + QStringLiteral(": '%1' is not a notification id").arg(text));
    return id;
}
} // namespace

void NotificationsApi::addRoutes(Router &router)
{
    using P = Router::Params;
    router.add("POST", QStringLiteral("/api/v1/notifications"), Router::Access::Authenticated,
               [this](const HttpRequest &request, const P &, const Principal &principal,
                      const HttpResponder &responder) {
                   if (!principal.mayPublish())
                       return responder.send(
                           forbidden(QStringLiteral("token: user tokens cannot publish")));
                   auto parsed = m_api.json.parsePublishBody(request.body);
                   if (!parsed)
                       return responder.send(HttpResponse::error(parsed.error()));
                   const bool batch = request.body.trimmed().startsWith('[');
                   publish(std::move(*parsed), batch, principal, responder);
               });
    router.add("POST", QStringLiteral("/api/notifications"), Router::Access::Authenticated,
               [this](const HttpRequest &request, const P &, const Principal &principal,
                      const HttpResponder &responder) {
                   if (!principal.mayPublish())
                       return responder.send(
                           forbidden(QStringLiteral("token: user tokens cannot publish")));
                   auto parsed = m_api.hermes.parseProducerBody(request.body);
                   if (!parsed)
                       return responder.send(HttpResponse::error(parsed.error()));
                   publish({std::move(*parsed)}, false, principal, responder);
               });
    router.add("GET", QStringLiteral("/api/v1/notifications"), Router::Access::Authenticated,
               [this](const HttpRequest &request, const P &, const Principal &principal,
                      const HttpResponder &responder) { list(request, principal, responder); });
    router.add("DELETE", QStringLiteral("/api/v1/notifications/{id}"),
               Router::Access::Authenticated,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   remove(params.value(QStringLiteral("id")), principal, responder);
               });
    router.add(
        "POST", QStringLiteral("/api/v1/acks"), Router::Access::Authenticated,
        [this](const HttpRequest &request, const P &, const Principal &principal,
               const HttpResponder &responder) { acknowledge(request, principal, responder); });
}

void NotificationsApi::publish(QList<Notification> notifications, bool batch,
                               const Principal &principal, const HttpResponder &responder)
{
    const QDateTime now = utcNow();
    for (qsizetype i = 0; i < notifications.size(); ++i) {
        Notification &n = notifications[i];
        if (!principal.mayUseApplication(n.application)) {
            const QString path =
                batch ? QStringLiteral("[%1].application").arg(i) : QStringLiteral("application");
            return responder.send(forbidden(
                path +
                QStringLiteral(": this token publishes only to '%1'").arg(principal.application)));
        }
        n.id = m_api.ids.next();
        n.time = now;
        n.node = m_api.config.nodeId;
    }
    // Nothing to store or look up: straight to the sessions. Only while no publish waits for
    // the store, so that sessions still get notifications in id order.
    const bool allTransient = std::none_of(notifications.cbegin(), notifications.cend(),
                                           [](const Notification &n) { return n.persistent; });
    if (allTransient && m_publishesAtStore == 0 && m_api.knownChannels.fill(notifications))
        return published(notifications, batch, responder);
    ++m_publishesAtStore;
    m_api.store.submit<QList<Notification>>(
        [notifications](SqlStore &store) mutable -> Result<QList<Notification>> {
            if (auto stored = store.insertNotifications(notifications); !stored)
                return tl::unexpected(stored.error());
            return notifications;
        },
        m_api.context,
        [this, batch, responder](Result<QList<Notification>> stored) {
            --m_publishesAtStore;
            if (!stored)
                return responder.send(HttpResponse::error(stored.error()));
            m_api.knownChannels.remember(*stored);
            published(*stored, batch, responder);
        });
}

void NotificationsApi::published(const QList<Notification> &stored, bool batch,
                                 const HttpResponder &responder)
{
    m_api.hub.publish(stored);
    QList<Notification> transient;
    for (const Notification &n : stored) {
        ++m_api.metrics.notificationsPublished;
        if (!n.persistent) {
            ++m_api.metrics.notificationsTransient;
            transient.append(n);
        }
    }
    // Persistent ones reach the peers from the store's relay log.
    m_api.relay.publishTransient(transient);
    if (!batch)
        return responder.send(
            HttpResponse::json(201, QJsonDocument(JsonCodec::toJson(stored.first()))));
    QJsonArray array;
    for (const Notification &n : stored)
        array.append(JsonCodec::toJson(n));
    responder.send(HttpResponse::json(201, QJsonDocument(array)));
}

Result<QString> NotificationsApi::actingUser(const Principal &principal, const QString &named) const
{
    if (principal.kind == TokenKind::User) {
        if (!named.isEmpty() && named != principal.user)
            return fail(ErrorCode::Forbidden,
                        QStringLiteral("user: the token belongs to another user"));
        return principal.user;
    }
    if (principal.isAdmin()) {
        if (named.isEmpty())
            return fail(ErrorCode::BadRequest,
                        QStringLiteral("user: required with an admin token"));
        if (!Validator::isValidName(named))
            return fail(ErrorCode::BadRequest, QStringLiteral("user: not a valid name"));
        return named;
    }
    return fail(ErrorCode::Forbidden,
                QStringLiteral("token: producer tokens cannot read or acknowledge"));
}

void NotificationsApi::list(const HttpRequest &request, const Principal &principal,
                            const HttpResponder &responder)
{
    const QUrlQuery &q = request.query;
    auto user = actingUser(principal, q.queryItemValue(QStringLiteral("user"), QUrl::FullyDecoded));
    if (!user)
        return responder.send(HttpResponse::error(user.error()));
    ListQuery query;
    query.user = *user;
    query.now = utcNow();
    query.application = q.queryItemValue(QStringLiteral("application"), QUrl::FullyDecoded);
    query.channel = q.queryItemValue(QStringLiteral("channel"), QUrl::FullyDecoded);
    if (!query.application.isEmpty() && !Validator::isValidName(query.application))
        return responder.send(HttpResponse::error(
            Error::badRequest(QStringLiteral("application: not a valid name"))));
    if (!query.channel.isEmpty() && !Validator::isValidName(query.channel))
        return responder.send(
            HttpResponse::error(Error::badRequest(QStringLiteral("channel: not a valid name"))));
    const QString unacked = q.queryItemValue(QStringLiteral("unacknowledged"));
    if (!unacked.isEmpty() && unacked != u"true" && unacked != u"false")
        return responder.send(HttpResponse::error(
            Error::badRequest(QStringLiteral("unacknowledged: must be true or false"))));
    query.unacknowledgedOnly = unacked == u"true";
    if (q.hasQueryItem(QStringLiteral("after"))) {
        auto after = parseId(q.queryItemValue(QStringLiteral("after")), QStringLiteral("after"));
        if (!after)
            return responder.send(HttpResponse::error(after.error()));
        query.beforeId = *after;
    }
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        query.limit = q.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || query.limit < 1 || query.limit > m_api.config.limits.maxListLimit)
            return responder.send(HttpResponse::error(Error::badRequest(
                QStringLiteral("limit: must be 1 to %1").arg(m_api.config.limits.maxListLimit))));
    }
    m_api.query<NotificationPage>(
        responder, [query](SqlStore &store) { return store.list(query); },
        [responder](NotificationPage page) {
            QJsonArray items;
            for (const ListedNotification &item : page.items) {
                QJsonObject object = JsonCodec::toJson(item.notification);
                object.insert(QStringLiteral("acknowledged"), item.acknowledged);
                items.append(object);
            }
            QJsonObject body{{QStringLiteral("notifications"), items}};
            if (page.next)
                body.insert(QStringLiteral("next"), *page.next);
            responder.send(HttpResponse::json(200, QJsonDocument(body)));
        });
}

void NotificationsApi::remove(const QString &idText, const Principal &principal,
                              const HttpResponder &responder)
{
    auto id = parseId(idText, QStringLiteral("id"));
    if (!id)
        return responder.send(HttpResponse::error(id.error()));
    if (!principal.mayPublish())
        return responder.send(forbidden(QStringLiteral("token: user tokens cannot delete")));
    m_api.query<Notification>(
        responder,
        [id = *id, principal](SqlStore &store) -> Result<Notification> {
            auto found = store.findNotification(id);
            if (!found)
                return tl::unexpected(found.error());
            if (!found->has_value())
                return fail(ErrorCode::NotFound, QStringLiteral("id: no notification %1").arg(id));
            if (!principal.mayUseApplication((*found)->application))
                return fail(ErrorCode::Forbidden,
                            QStringLiteral("id: the notification belongs to another application"));
            if (auto deleted = store.deleteNotification(id); !deleted)
                return tl::unexpected(deleted.error());
            return **found;
        },
        [this, responder](Notification deleted) {
            m_api.hub.deleted(deleted);
            responder.send(HttpResponse::noContent());
        });
}

void NotificationsApi::acknowledge(const HttpRequest &request, const Principal &principal,
                                   const HttpResponder &responder)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return responder.send(HttpResponse::error(
            Error::badRequest(QStringLiteral("body: expected a JSON object {\"ids\":[...]}"))));
    const QJsonObject body = document.object();
    auto user = actingUser(principal, body.value(QStringLiteral("user")).toString());
    if (!user)
        return responder.send(HttpResponse::error(user.error()));
    // The WebSocket ack frame and this body share their shape, and their rules.
    auto parsed = m_api.json.parseAckIds(body);
    if (!parsed)
        return responder.send(HttpResponse::error(parsed.error()));
    const QList<NotificationId> ids = *parsed;
    m_api.query<QList<NotificationId>>(
        responder,
        [user = *user, ids](SqlStore &store) { return store.acknowledge(user, ids, utcNow()); },
        [this, user = *user, responder](QList<NotificationId> acked) {
            m_api.metrics.acknowledgements += quint64(acked.size());
            m_api.hub.acknowledged(user, acked);
            QJsonArray array;
            for (NotificationId id : acked)
                array.append(id);
            responder.send(HttpResponse::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("acknowledged"), array}})));
        });
}

} // namespace herald::syncd
