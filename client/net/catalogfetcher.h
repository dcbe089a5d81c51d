// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace herald::client {

// One channel of the server's catalog, as GET /api/v1/applications/{app}/channels lists it.
struct CatalogChannel
{
    QString application;
    QString name;
    QString title;       // may be empty
    QString description; // may be empty
    QString applicationTitle;

    QString id() const { return application + u'/' + name; } // "app/channel"
    friend bool operator==(const CatalogChannel &, const CatalogChannel &) = default;
};

// Fetches the channels the user can follow from the server's catalog with the user's token:
// GET /api/v1/applications, then GET /api/v1/applications/{app}/channels for each application,
// one request at a time. Asynchronous; one fetch at a time (a new fetch cancels the previous
// one). An application that disappears between the two requests (404) is skipped.
class CatalogFetcher : public QObject
{
    Q_OBJECT

public:
    enum class Outcome
    {
        Ok,
        Unreachable,  // no HTTP answer: refused, host not found, timeout, TLS...
        Unauthorized, // 401
        Forbidden,    // 403: e.g. an older herald-syncd that keeps the catalog from user tokens
        ServerError,  // another HTTP status
        BadResponse,  // HTTP 200 with a body that is not the catalog
    };
    Q_ENUM(Outcome)

    struct Result
    {
        Outcome outcome = Outcome::ServerError;
        QString message;                // empty when Ok; else one sentence, translated
        QList<CatalogChannel> channels; // sorted by id()
    };

    struct Application
    {
        QString name;
        QString title;
    };

    static constexpr int TimeoutMs = 8000;

    // nam is not owned.
    explicit CatalogFetcher(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~CatalogFetcher() override;

    void fetch(const QUrl &server, const QString &token);
    void cancel();
    bool isRunning() const { return !m_reply.isNull(); }

    // The body of GET /api/v1/applications, or nothing when it is not an array of objects
    // with a name.
    static std::optional<QList<Application>> parseApplications(const QByteArray &body);
    // The body of GET /api/v1/applications/{app}/channels, or nothing when it is not an array
    // of objects with a name. Entries without "application" take app.
    static std::optional<QList<CatalogChannel>> parseChannels(const QByteArray &body,
                                                              const QString &app);

Q_SIGNALS:
    void finished(const herald::client::CatalogFetcher::Result &result);

private:
    void get(const QString &path);
    void onReply();
    void fail(Outcome outcome, const QString &message);

    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    QUrl m_server;
    QString m_token;
    bool m_listingApplications = false;
    QList<Application> m_pending;
    Application m_current;
    QList<CatalogChannel> m_channels;
};

} // namespace herald::client
