// SPDX-License-Identifier: Apache-2.0
#include "clientsettings.h"

#include "model/deliverypreferences.h"
#include "settings/settingslog.h"

#include <QJsonDocument>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
constexpr int DefaultSummaryThreshold = 5;
constexpr int DefaultFetchLast = 100;
} // namespace

ClientSettings::ClientSettings()
    : m_settings(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                             u"herald"_s, u"herald"_s))
{
    qCDebug(lcSettings) << "settings file" << m_settings->fileName();
}

ClientSettings::ClientSettings(const QString &fileName)
    : m_settings(std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

QString ClientSettings::fileName() const
{
    return m_settings->fileName();
}

void ClientSettings::sync()
{
    m_settings->sync();
}

bool ClientSettings::isConfigured() const
{
    return serverUrl().isValid() && !user().isEmpty() && !subscriptions().isEmpty();
}

QUrl ClientSettings::serverUrl() const
{
    return QUrl(m_settings->value(u"Server/url"_s).toString());
}

void ClientSettings::setServerUrl(const QUrl &url)
{
    m_settings->setValue(u"Server/url"_s, url.toString());
}

QList<QUrl> ClientSettings::fallbackServerUrls() const
{
    QList<QUrl> urls;
    for (const QString &text : m_settings->value(u"Server/fallbacks"_s).toStringList()) {
        const QUrl url = normalizedServerUrl(text);
        if (url.isValid())
            urls.append(url);
    }
    return urls;
}

void ClientSettings::setFallbackServerUrls(const QList<QUrl> &urls)
{
    QStringList texts;
    for (const QUrl &url : urls)
        texts.append(url.toString());
    m_settings->setValue(u"Server/fallbacks"_s, texts);
}

QString ClientSettings::user() const
{
    return m_settings->value(u"Server/user"_s).toString();
}

void ClientSettings::setUser(const QString &user)
{
    m_settings->setValue(u"Server/user"_s, user);
}

QStringList ClientSettings::subscriptions() const
{
    return m_settings->value(u"Server/subscriptions"_s).toStringList();
}

void ClientSettings::setSubscriptions(const QStringList &subscriptions)
{
    QStringList sorted = subscriptions;
    sorted.sort();
    sorted.removeDuplicates();
    m_settings->setValue(u"Server/subscriptions"_s, sorted);
}

QList<Subscription> ClientSettings::protocolSubscriptions() const
{
    QList<Subscription> result;
    for (const QString &entry : subscriptions()) {
        const qsizetype slash = entry.indexOf(u'/');
        if (slash <= 0 || slash == entry.size() - 1) {
            qCWarning(lcSettings) << "ignoring subscription" << entry << "(want APP/CHANNEL)";
            continue;
        }
        const QString app = entry.left(slash);
        const QString channel = entry.mid(slash + 1);
        auto it = std::find_if(result.begin(), result.end(),
                               [&](const Subscription &s) { return s.application == app; });
        if (it == result.end())
            result.append(Subscription{app, {channel}});
        else
            it->channels.append(channel);
    }
    return result;
}

QString ClientSettings::clientId()
{
    QString id = m_settings->value(u"Device/clientId"_s).toString();
    if (id.isEmpty()) {
        id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_settings->setValue(u"Device/clientId"_s, id);
    }
    return id;
}

QDateTime ClientSettings::doNotDisturbUntil() const
{
    const QVariant dnd = m_settings->value(u"DoNotDisturb/until"_s);
    if (dnd.toString() == u"forever"_s)
        return DeliveryPreferences::Forever;
    if (dnd.isValid())
        return QDateTime::fromString(dnd.toString(), Qt::ISODateWithMs);
    return {};
}

void ClientSettings::setDoNotDisturbUntil(const QDateTime &until)
{
    if (!until.isValid())
        m_settings->remove(u"DoNotDisturb/until"_s);
    else if (until == DeliveryPreferences::Forever)
        m_settings->setValue(u"DoNotDisturb/until"_s, u"forever"_s);
    else
        m_settings->setValue(u"DoNotDisturb/until"_s, until.toUTC().toString(Qt::ISODateWithMs));
}

QString ClientSettings::preferencesOwner() const
{
    return user() + u' ' + serverUrl().toString();
}

std::optional<ClientSettings::PreferencesCopy> ClientSettings::preferencesCopy() const
{
    if (m_settings->value(u"Preferences/owner"_s).toString() != preferencesOwner())
        return std::nullopt;
    const QJsonDocument doc =
        QJsonDocument::fromJson(m_settings->value(u"Preferences/copy"_s).toString().toUtf8());
    if (!doc.isObject())
        return std::nullopt;
    return PreferencesCopy{
        doc.object(),
        QDateTime::fromString(m_settings->value(u"Preferences/confirmed"_s).toString(),
                              Qt::ISODateWithMs)};
}

void ClientSettings::setPreferencesCopy(const QJsonObject &preferences, const QDateTime &confirmed)
{
    m_settings->setValue(u"Preferences/owner"_s, preferencesOwner());
    m_settings->setValue(
        u"Preferences/copy"_s,
        QString::fromUtf8(QJsonDocument(preferences).toJson(QJsonDocument::Compact)));
    m_settings->setValue(u"Preferences/confirmed"_s, confirmed.toUTC().toString(Qt::ISODateWithMs));
}

QMap<QString, QString> ClientSettings::legacyDelivery() const
{
    QMap<QString, QString> switches;
    m_settings->beginGroup(u"Delivery"_s);
    const QStringList keys = m_settings->childKeys();
    for (const QString &key : keys) {
        // QSettings cannot hold '/' in a key: channels were stored as app:channel.
        QString channel = key;
        channel.replace(u':', u'/');
        switches.insert(channel, m_settings->value(key).toString());
    }
    m_settings->endGroup();
    return switches;
}

bool ClientSettings::isLegacyDeliveryMigrated() const
{
    return m_settings->value(u"Migrations/deliveryToServer"_s, false).toBool();
}

void ClientSettings::finishLegacyDeliveryMigration()
{
    m_settings->remove(u"Delivery"_s);
    m_settings->setValue(u"Migrations/deliveryToServer"_s, true);
}

int ClientSettings::summaryThreshold() const
{
    return std::max(
        1, m_settings->value(u"Popups/summaryThreshold"_s, DefaultSummaryThreshold).toInt());
}

void ClientSettings::setSummaryThreshold(int threshold)
{
    m_settings->setValue(u"Popups/summaryThreshold"_s, threshold);
}

int ClientSettings::fetchLast() const
{
    return std::clamp(m_settings->value(u"Server/fetchLast"_s, DefaultFetchLast).toInt(), 1, 1000);
}

NotificationId ClientSettings::lastSeenId() const
{
    return m_settings->value(u"State/lastSeenId"_s, 0).toLongLong();
}

void ClientSettings::setLastSeenId(NotificationId id)
{
    m_settings->setValue(u"State/lastSeenId"_s, id);
}

QString ClientSettings::notifierBackend() const
{
    return m_settings->value(u"Popups/backend"_s, u"auto"_s).toString();
}

QUrl ClientSettings::webSocketUrl(const QUrl &serverUrl)
{
    QUrl ws = serverUrl;
    ws.setScheme(serverUrl.scheme() == u"https"_s ? u"wss"_s : u"ws"_s);
    QString path = serverUrl.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    ws.setPath(path + u"/api/v1/ws"_s);
    ws.setQuery(QString());
    return ws;
}

QUrl ClientSettings::normalizedServerUrl(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains(u"://"_s))
        trimmed.prepend(u"http://"_s);
    QUrl url(trimmed, QUrl::StrictMode);
    if (url.scheme() == u"ws"_s)
        url.setScheme(u"http"_s);
    else if (url.scheme() == u"wss"_s)
        url.setScheme(u"https"_s);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return {};
    QString path = url.path();
    if (path.endsWith(u"/api/v1/ws"_s))
        path.chop(10);
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

} // namespace herald::client
