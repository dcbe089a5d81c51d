// SPDX-License-Identifier: Apache-2.0
#include "accountcontroller.h"

#include "app/applog.h"
#include "app/commandline.h"
#include "credentials/tokenstore.h"
#include "net/networkwatcher.h"
#include "session/syncsession.h"
#include "settings/clientsettings.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

using namespace Qt::StringLiterals;

// The user-visible strings below moved here from Application; translations/*.ts file them under
// that context, so they name it instead of using tr(). lupdate reads these calls and keeps the
// translations where they are.

namespace herald::client {

AccountController::AccountController(ClientSettings *settings, TokenStore *tokens,
                                     NetworkWatcher *network, QObject *parent)
    : QObject(parent), m_settings(settings), m_tokens(tokens), m_network(network)
{
    m_tokens->setParent(this);
    // A lost network shows as offline even while the socket has not noticed yet, until the
    // server answers: a server on a network without a default route (a LAN, a VPN with its
    // own table) is still reached, and the report only means the internet is gone.
    connect(m_network, &NetworkWatcher::networkLost, this, &AccountController::onNetworkLost);
    connect(m_network, &NetworkWatcher::networkReturned, this,
            &AccountController::connectionChanged);
    m_session = createSession();
}

QString AccountController::keychainStateName(KeychainState state)
{
    switch (state) {
    case KeychainState::Pending:
        break;
    case KeychainState::Ok:
        return u"ok"_s;
    case KeychainState::Unavailable:
        return u"unavailable"_s;
    case KeychainState::Failed:
        return u"failed"_s;
    }
    return u"pending"_s;
}

bool AccountController::isConnected() const
{
    return m_session->isRegistered() && (m_network->isOnline() || m_answeredSinceNetworkLost);
}

void AccountController::onNetworkLost()
{
    m_answeredSinceNetworkLost = false;
    m_session->ping(); // a live session's pong says the server is still reached
    Q_EMIT connectionChanged();
}

void AccountController::onServerAnswered()
{
    if (m_answeredSinceNetworkLost || !m_session->isRegistered())
        return;
    m_answeredSinceNetworkLost = true;
    if (!m_network->isOnline())
        Q_EMIT connectionChanged();
}

QString AccountController::connectionText() const
{
    if (!m_settings->isConfigured())
        return QCoreApplication::translate("herald::client::Application", "Not set up");
    const QString where = m_settings->serverUrl().authority();
    if (m_authFailed)
        return QCoreApplication::translate("herald::client::Application", "Token refused by %1")
            .arg(where);
    // The system says the network is gone: offline, even if the socket has not noticed yet.
    if (!m_network->isOnline() && !m_answeredSinceNetworkLost &&
        m_session->state() != SyncSession::State::Stopped)
        return QCoreApplication::translate("herald::client::Application", "Offline, retrying %1")
            .arg(where);
    switch (m_session->state()) {
    case SyncSession::State::Backlog:
    case SyncSession::State::Live:
        return QCoreApplication::translate("herald::client::Application", "Connected to %1 as %2")
            .arg(where, m_settings->user());
    case SyncSession::State::Connecting:
    case SyncSession::State::Registering:
        return QCoreApplication::translate("herald::client::Application", "Connecting to %1…")
            .arg(where);
    case SyncSession::State::Disconnected:
        return QCoreApplication::translate("herald::client::Application", "Offline, retrying %1")
            .arg(where);
    case SyncSession::State::Stopped:
        break;
    }
    return QCoreApplication::translate("herald::client::Application", "Not connected");
}

void AccountController::start(const CommandLine &commandLine, QIODevice *tokenInput)
{
    if (commandLine.hasSetup()) {
        applySetup(ClientSettings::normalizedServerUrl(commandLine.server), commandLine.user,
                   commandLine.subscriptions);
        if (commandLine.tokenFromStdin) {
            QFile in;
            if (!tokenInput && in.open(stdin, QIODevice::ReadOnly))
                tokenInput = &in;
            if (tokenInput)
                storeToken(QString::fromUtf8(tokenInput->readAll()).trimmed());
            return;
        }
    }
    if (!m_settings->isConfigured()) {
        Q_EMIT setupNeeded({}, false);
        return;
    }
    readToken();
}

void AccountController::setUp(const QUrl &server, const QString &user,
                              const QStringList &subscriptions, const QString &token)
{
    applySetup(server, user, subscriptions);
    storeToken(token);
}

SyncSession *AccountController::createSession()
{
    auto *session = new SyncSession(SyncSessionConfig{}, this);
    connect(session, &SyncSession::stateChanged, this, [this](SyncSession::State state) {
        // Registered again: the server is reached. Gone: only a new answer says so.
        m_answeredSinceNetworkLost = state == SyncSession::State::Live;
        Q_EMIT connectionChanged();
    });
    connect(session, &SyncSession::pongReceived, this, &AccountController::onServerAnswered);
    connect(session, &SyncSession::notificationReceived, this,
            &AccountController::onServerAnswered);
    connect(session, &SyncSession::authenticationFailed, this,
            &AccountController::onAuthenticationFailed);
    reconnectWhenNetworkReturns(m_network, session);
    return session;
}

void AccountController::replaceSession()
{
    SyncSession *old = m_session;
    old->stop();
    m_session = createSession();
    Q_EMIT sessionReplaced(m_session);
    // Not before: the receivers stop following the old session in their slots.
    delete old;
}

void AccountController::applySetup(const QUrl &server, const QString &user,
                                   const QStringList &subscriptions)
{
    const bool sameAccount = server == m_settings->serverUrl() && user == m_settings->user();
    if (!sameAccount) {
        // Another server or user: the ids and read state of the old one mean nothing here.
        m_settings->setLastSeenId(0);
        replaceSession();
    }
    m_settings->setServerUrl(server);
    m_settings->setUser(user);
    m_settings->setSubscriptions(subscriptions);
    m_settings->sync();
}

void AccountController::storeToken(const QString &token)
{
    m_token = token;
    m_tokens->write(tokenAccount(), token, [this](const TokenStore::Result &result) {
        if (result.status == TokenStore::Status::Ok) {
            m_keychain = KeychainState::Ok;
        } else {
            m_keychain = result.status == TokenStore::Status::NoKeychain
                             ? KeychainState::Unavailable
                             : KeychainState::Failed;
            qCWarning(lcApp) << "cannot store the token in the keychain:" << result.message;
            Q_EMIT tokenNotStored(result.message);
        }
        connectSession();
    });
}

void AccountController::readToken()
{
    m_tokens->read(tokenAccount(), [this](const TokenStore::Result &result) {
        switch (result.status) {
        case TokenStore::Status::Ok:
            m_keychain = KeychainState::Ok;
            m_token = result.token;
            connectSession();
            return;
        case TokenStore::Status::NotFound:
            m_keychain = KeychainState::Ok;
            Q_EMIT setupNeeded(
                QCoreApplication::translate("herald::client::Application",
                                            "Enter your token: the keychain holds none for %1.")
                    .arg(tokenAccount()),
                true);
            return;
        case TokenStore::Status::NoKeychain:
        case TokenStore::Status::Failed:
            m_keychain = KeychainState::Unavailable;
            Q_EMIT setupNeeded(
                QCoreApplication::translate(
                    "herald::client::Application",
                    "No system keychain is available (%1). Herald keeps the token only while "
                    "it runs and asks for it at each start.")
                    .arg(result.message),
                true);
            return;
        }
    });
}

void AccountController::connectSession()
{
    if (m_token.isEmpty() || !m_settings->isConfigured())
        return;
    SyncSessionConfig config;
    config.servers = {ClientSettings::webSocketUrl(m_settings->serverUrl())};
    for (const QUrl &fallback : m_settings->fallbackServerUrls())
        config.servers.append(ClientSettings::webSocketUrl(fallback));
    config.user = m_settings->user();
    config.token = m_token;
    config.clientId = m_settings->clientId();
    config.subscriptions = m_settings->protocolSubscriptions();
    config.fetchLast = m_settings->fetchLast();
    m_authFailed = false;
    m_session->setConfig(config);
    m_session->start();
    Q_EMIT connectionChanged();
}

void AccountController::onAuthenticationFailed()
{
    m_authFailed = true;
    Q_EMIT connectionChanged();
    Q_EMIT setupNeeded(
        QCoreApplication::translate("herald::client::Application",
                                    "The server refused the token. Enter a new one."),
        true);
}

QString AccountController::tokenAccount() const
{
    return TokenStore::account(m_settings->user(), m_settings->serverUrl().toString());
}

} // namespace herald::client
