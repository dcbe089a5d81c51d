// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/deliverypreferences.h"
#include "model/notification.h"
#include "protocol/messages.h"

#include <QDateTime>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

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

    // Per-channel delivery and do-not-disturb.
    DeliveryPreferences deliveryPreferences() const;
    void setDeliveryPreferences(const DeliveryPreferences &preferences);

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
    std::unique_ptr<QSettings> m_settings;
};

} // namespace herald::client
