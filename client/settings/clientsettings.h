// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/messages.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace herald::client {

// The client's settings in QSettings (herald/herald.conf under XDG_CONFIG_HOME on Linux),
// behind typed accessors. Never holds the token: that lives in the keychain (TokenStore).
// Not thread-safe; used from the GUI thread.
class ClientSettings
{
public:
    // The default location: QSettings(IniFormat, UserScope, "herald", "herald").
    ClientSettings();
    // An explicit file, for tests.
    explicit ClientSettings(const QString &fileName);

    QString fileName() const;
    void sync();

    // True once server, user and at least one subscription are stored.
    bool isConfigured() const;

    // http(s)://host:port as the user typed it.
    QUrl serverUrl() const;
    void setServerUrl(const QUrl &url);
    // Other nodes of the same cluster, tried in order when the server is lost (the same
    // token must work there). Settings key Server/fallbacks; no UI yet.
    QList<QUrl> fallbackServerUrls() const;
    void setFallbackServerUrls(const QList<QUrl> &urls);
    QString user() const;
    void setUser(const QString &user);
    // "app/channel" strings, sorted and unique.
    QStringList subscriptions() const;
    void setSubscriptions(const QStringList &subscriptions);
    // The subscriptions in the form the protocol's register frame wants.
    QList<Subscription> protocolSubscriptions() const;

    // This device's uuid; made and stored on first use.
    QString clientId();

    // This device's do-not-disturb: invalid when off; DeliveryPreferences::Forever until
    // turned off.
    QDateTime doNotDisturbUntil() const;
    void setDoNotDisturbUntil(const QDateTime &until);

    // The last copy of the user's delivery preferences read from the server (GET, or the
    // `preferences` frame), as JSON, and when the server last confirmed it; for offline use.
    // Nothing when none is stored, or when it was stored for another server or user.
    struct PreferencesCopy
    {
        QJsonObject preferences;
        QDateTime confirmed; // UTC
    };
    std::optional<PreferencesCopy> preferencesCopy() const;
    void setPreferencesCopy(const QJsonObject &preferences, const QDateTime &confirmed);

    // Herald 0.2's per-device switch per channel ([Delivery] app:channel = list | off) until it
    // is migrated to the server: "app/channel" -> "popup" | "list" | "off".
    QMap<QString, QString> legacyDelivery() const;
    bool isLegacyDeliveryMigrated() const;
    // Removes the old switches and records that the migration ran, so it never runs again.
    void finishLegacyDeliveryMigration();

    // More backlog notifications than this for one channel become one summary popup.
    int summaryThreshold() const;
    void setSummaryThreshold(int threshold);
    // How many unacknowledged notifications the server sends on connect.
    int fetchLast() const;

    // The highest id this client has already shown (popped up or listed); notifications up to
    // it that come again after a restart go to the list without a popup.
    NotificationId lastSeenId() const;
    void setLastSeenId(NotificationId id);

    // "auto", "fdo", "kf", "balloon"; see NotifierFactory.
    QString notifierBackend() const;

    // ws(s)://host:port/api/v1/ws from serverUrl().
    static QUrl webSocketUrl(const QUrl &serverUrl);
    // Accepts "host:port", http(s)://..., ws(s)://...; returns http(s)://host:port or an invalid
    // URL.
    static QUrl normalizedServerUrl(const QString &text);

private:
    // Whose preferences a stored copy is: the user on the server.
    QString preferencesOwner() const;

    std::unique_ptr<QSettings> m_settings;
};

} // namespace herald::client
