// SPDX-License-Identifier: Apache-2.0
#include "fdonotifier.h"

#include "markup.h"
#include "notify/notifylog.h"

#include <QCoreApplication>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
constexpr int CallTimeoutMs = 10'000;

QString service()
{
    return QString::fromLatin1(FdoNotifier::Service);
}

QDBusMessage call(const QString &method)
{
    return QDBusMessage::createMethodCall(service(), QString::fromLatin1(FdoNotifier::Path),
                                          QString::fromLatin1(FdoNotifier::Interface), method);
}

uchar urgencyOf(Priority priority)
{
    switch (priority) {
    case Priority::Low:
        return 0;
    case Priority::Normal:
        return 1;
    case Priority::High:
    case Priority::Urgent:
        return 2;
    }
    return 1;
}

QString idList(const QList<NotificationId> &ids)
{
    QStringList parts;
    for (NotificationId id : ids)
        parts << QString::number(id);
    return parts.join(u',');
}
} // namespace

FdoNotifier::FdoNotifier(QDBusConnection bus, QObject *parent) : Notifier(parent), m_bus(bus)
{
    const QString path = QString::fromLatin1(Path);
    const QString iface = QString::fromLatin1(Interface);
    m_bus.connect(service(), path, iface, u"ActionInvoked"_s, this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(service(), path, iface, u"NotificationClosed"_s, this,
                  SLOT(onNotificationClosed(uint, uint)));
    auto *watcher = new QDBusPendingCallWatcher(
        m_bus.asyncCall(call(u"GetCapabilities"_s), CallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, &FdoNotifier::onCapabilities);
}

QString FdoNotifier::backendName() const
{
    return u"freedesktop"_s;
}

void FdoNotifier::show(const Popup &popup)
{
    if (!m_capabilitiesKnown) {
        m_queued.append(popup);
        return;
    }
    send(popup);
}

void FdoNotifier::withdraw(const QList<NotificationId> &ids)
{
    for (NotificationId id : ids) {
        for (Popup &queued : m_queued)
            queued.ids.removeOne(id);
        for (const auto &inFlight : std::as_const(m_inFlight)) {
            if (inFlight.contains(id))
                m_withdrawnInFlight.insert(id);
        }
        const auto it = m_serverIdOf.constFind(id);
        if (it == m_serverIdOf.constEnd())
            continue;
        const uint serverId = it.value();
        m_serverIdOf.erase(it);
        auto open = m_open.find(serverId);
        if (open == m_open.end())
            continue;
        open->remaining.remove(id);
        if (open->remaining.isEmpty())
            close(serverId);
    }
    m_queued.removeIf([](const Popup &p) { return p.ids.isEmpty(); });
}

QStringList FdoNotifier::actionsFor(const Popup &popup, const QStringList &capabilities)
{
    if (!capabilities.contains(u"actions"_s))
        return {};
    QStringList actions{QString::fromLatin1(DefaultAction),
                        QCoreApplication::translate("herald::client::FdoNotifier", "Show"),
                        QString::fromLatin1(MarkReadAction),
                        QCoreApplication::translate("herald::client::FdoNotifier", "Mark as read")};
    if (!popup.url.isEmpty()) {
        actions << QString::fromLatin1(OpenAction)
                << QCoreApplication::translate("herald::client::FdoNotifier", "Open");
    }
    return actions;
}

QVariantMap FdoNotifier::hintsFor(const Popup &popup)
{
    QVariantMap hints;
    hints.insert(u"urgency"_s, QVariant::fromValue(urgencyOf(popup.priority)));
    hints.insert(u"desktop-entry"_s, u"org.herald.Herald"_s);
    hints.insert(u"category"_s, u"im.received"_s);
    // Lets tests (and scripts watching the bus) match popups to notifications.
    hints.insert(u"x-herald-ids"_s, idList(popup.ids));
    return hints;
}

void FdoNotifier::onCapabilities(QDBusPendingCallWatcher *watcher)
{
    watcher->deleteLater();
    const QDBusPendingReply<QStringList> reply = *watcher;
    if (reply.isError()) {
        qCWarning(lcNotify) << "GetCapabilities failed:" << reply.error().message()
                            << "; sending plain popups";
    } else {
        m_capabilities = reply.value();
        qCInfo(lcNotify) << "notification server capabilities:" << m_capabilities;
    }
    m_capabilitiesKnown = true;
    const QList<Popup> queued = std::exchange(m_queued, {});
    for (const Popup &popup : queued)
        send(popup);
}

void FdoNotifier::send(const Popup &popup)
{
    const bool markup = m_capabilities.contains(u"body-markup"_s);
    const int timeoutMs = popup.priority == Priority::Urgent ? 0 : -1; // urgent: until closed
    QDBusMessage message = call(u"Notify"_s);
    message << QGuiApplication::applicationDisplayName() // app_name
            << uint(0)                                   // replaces_id
            << u"org.herald.Herald"_s                    // app_icon
            << popup.title // the summary is plain text in every server
            << notificationBody(popup.body, markup) << actionsFor(popup, m_capabilities)
            << hintsFor(popup) << timeoutMs;
    qCDebug(lcNotify) << "Notify" << popup.ids << popup.title;
    m_inFlight.append(popup.ids);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(message, CallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, popup](QDBusPendingCallWatcher *w) { onNotifyReply(w, popup); });
}

void FdoNotifier::onNotifyReply(QDBusPendingCallWatcher *watcher, const Popup &popup)
{
    watcher->deleteLater();
    m_inFlight.removeOne(popup.ids);
    const QDBusPendingReply<uint> reply = *watcher;
    if (reply.isError()) {
        qCWarning(lcNotify) << "Notify failed:" << reply.error().message();
        for (NotificationId id : popup.ids)
            m_withdrawnInFlight.remove(id);
        return;
    }
    const uint serverId = reply.value();
    OpenPopup open{popup, {}};
    for (NotificationId id : popup.ids) {
        if (m_withdrawnInFlight.remove(id))
            continue;
        open.remaining.insert(id);
        m_serverIdOf.insert(id, serverId);
    }
    qCInfo(lcNotify) << "popup" << serverId << "shows" << popup.ids.size() << "notification(s)";
    m_open.insert(serverId, open);
    if (open.remaining.isEmpty()) // acknowledged while the call was under way
        close(serverId);
}

void FdoNotifier::close(uint id)
{
    qCInfo(lcNotify) << "closing popup" << id;
    // Forget it now: a server need not report NotificationClosed for a popup we closed.
    m_open.remove(id);
    QDBusMessage message = call(u"CloseNotification"_s);
    message << id;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(message, CallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        if (w->isError())
            qCDebug(lcNotify) << "CloseNotification:" << w->error().message();
    });
}

void FdoNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    const auto it = m_open.constFind(id);
    if (it == m_open.constEnd())
        return; // another application's popup
    const Popup &popup = it->popup;
    qCInfo(lcNotify) << "action" << actionKey << "on popup" << id;
    if (actionKey == QLatin1String(MarkReadAction)) {
        Q_EMIT markReadRequested(popup.ids);
    } else if (actionKey == QLatin1String(OpenAction)) {
        Q_EMIT openUrlRequested(QUrl(popup.url));
        Q_EMIT markReadRequested(popup.ids); // opened is read
    } else if (actionKey == QLatin1String(DefaultAction)) {
        Q_EMIT activated(popup.ids);
    }
}

void FdoNotifier::onNotificationClosed(uint id, uint reason)
{
    const auto it = m_open.find(id);
    if (it == m_open.end())
        return;
    qCDebug(lcNotify) << "popup" << id << "closed, reason" << reason;
    for (NotificationId nid : std::as_const(it->remaining))
        m_serverIdOf.remove(nid);
    m_open.erase(it);
}

} // namespace herald::client
