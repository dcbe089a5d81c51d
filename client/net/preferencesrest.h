// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/userpreferences.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace herald::client {

// The user's delivery preferences through herald-syncd's REST API (PROTOCOL.md "Delivery
// policy"), with the session's token: GET /api/v1/preferences and PUT of the whole document.
// At most one GET and one PUT at a time (a new one abandons the previous one of its kind: no
// signal comes of it); changing the endpoint abandons both. GUI thread only.
class PreferencesRest : public QObject
{
    Q_OBJECT

public:
    static constexpr int TimeoutMs = 15'000;

    enum class Failure
    {
        Unreachable, // no HTTP answer
        Refused,     // 400: the body names what is wrong (FieldError)
        Unsupported, // 404: a server without delivery preferences (before Herald 0.3)
        Other,       // another status, or an answer that is not preferences
    };
    Q_ENUM(Failure)

    // nam is not owned and must outlive this.
    explicit PreferencesRest(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~PreferencesRest() override;

    // server: the session's WebSocket URL (ws[s]://host:port/api/v1/ws); user: named in the
    // query when set (the server checks it against the token).
    void setEndpoint(const QUrl &server, const QString &token, const QString &user);
    bool hasEndpoint() const { return m_server.isValid(); }

    void fetch();
    void save(const UserPreferences &preferences);

Q_SIGNALS:
    // The preferences as the server holds them, and their JSON as it sent them.
    void fetched(const herald::client::UserPreferences &preferences, const QJsonObject &json);
    void saved(const herald::client::UserPreferences &preferences, const QJsonObject &json);
    // saving: whether the PUT failed (else the GET). message: the server's, or why there was no
    // answer; with Refused it names the field ("rules[2].digest: ...").
    void failed(bool saving, herald::client::PreferencesRest::Failure failure, int status,
                const QString &message);

private:
    QNetworkReply *send(const QByteArray &verb, const QByteArray &body);
    void onReply(QNetworkReply *reply, bool saving);
    static void abort(QPointer<QNetworkReply> &reply, QObject *receiver);

    QNetworkAccessManager *m_nam;
    QUrl m_server;
    QString m_token;
    QString m_user;
    QPointer<QNetworkReply> m_get;
    QPointer<QNetworkReply> m_put;
};

} // namespace herald::client
