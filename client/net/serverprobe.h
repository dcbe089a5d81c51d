// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace herald::client {

// "Test connection" for the setup dialog: reaches the server, checks that it is herald-syncd,
// that the token is accepted for the user, and collects the channels seen in the user's recent
// notifications (the catalog itself is CatalogFetcher's). The report says exactly what is wrong
// (refused, host not found, timeout, TLS, not herald, 401, 403...). Asynchronous; one probe at a
// time (a new probe cancels the previous one).
class ServerProbe : public QObject
{
    Q_OBJECT

public:
    enum class Outcome
    {
        Ok,
        InvalidUrl,
        Unreachable, // refused, host not found, timeout, network down
        Tls,
        NotHerald,
        Unauthorized, // 401: the token is wrong or revoked
        Forbidden,    // 403: e.g. a producer token, or the token of another user
        ServerError,
    };
    Q_ENUM(Outcome)

    struct Report
    {
        Outcome outcome = Outcome::ServerError;
        QString message;      // one sentence for the user, translated
        QStringList channels; // "app/channel" seen in the user's notifications, sorted
    };

    static constexpr int TimeoutMs = 8000;

    // nam is not owned.
    explicit ServerProbe(QNetworkAccessManager *nam, QObject *parent = nullptr);

    void probe(const QUrl &server, const QString &user, const QString &token);
    void cancel();
    bool isRunning() const { return !m_reply.isNull(); }

Q_SIGNALS:
    void finished(const herald::client::ServerProbe::Report &report);

private:
    enum class Step
    {
        Health,
        Notifications,
    };

    void get(const QString &pathAndQuery, Step step);
    void onReply();
    void finish(Outcome outcome, const QString &message);
    // The report for a reply that failed below HTTP, or nothing when it reached the server.
    std::optional<std::pair<Outcome, QString>> transportFailure(QNetworkReply *reply) const;

    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    Step m_step = Step::Health;
    QUrl m_server;
    QString m_user;
    QString m_token;
    QStringList m_channels;
};

} // namespace herald::client
