// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

class QIODevice;

namespace herald {
class SyncSession;
}

namespace herald::client {

class ClientSettings;
class NetworkWatcher;
class TokenStore;
struct CommandLine;

// The account the client runs for and its one SyncSession. Decides where the token comes from
// (the keychain, the setup dialog, --token-stdin), when the user must be asked (first run, no
// token in the keychain, no keychain at all, a refused token), and which session is current.
// Another server or user replaces the session, because the old one's ids and read state mean
// nothing there, and sessionReplaced() lets the delivery side rewire; a new token or other
// channels only reconfigure the current session. The token lives in memory and in the keychain,
// never in the settings.
//
// Owns the session and the token store; not the settings or the network watcher, which must
// outlive it. GUI thread only.
class AccountController : public QObject
{
    Q_OBJECT

public:
    // What the keychain last did with the token (--status reports it).
    enum class KeychainState
    {
        Pending,     // not asked yet
        Ok,          // it holds the token, or it works and holds none (the user is asked)
        Unavailable, // no keychain service, or it refused us: the token lives for this run only
        Failed,      // it works but did not store the token: the token lives for this run only
    };
    Q_ENUM(KeychainState)

    // tokens becomes a child of the controller. Creates the first session (stopped, not
    // configured); start() gets it going.
    AccountController(ClientSettings *settings, TokenStore *tokens, NetworkWatcher *network,
                      QObject *parent = nullptr);

    // The current session; never null. After sessionReplaced() the previous one is gone.
    SyncSession *session() const { return m_session; }
    KeychainState keychainState() const { return m_keychain; }
    // "pending", "ok", "unavailable", "failed": the state as --status prints it.
    static QString keychainStateName(KeychainState state);
    // Registered with the server while the system says the network is up.
    bool isConnected() const;
    // One translated line for the tray, list window and settings dialog, e.g. "Connected to
    // host:8080 as alice" or "Token refused by host:8080".
    QString connectionText() const;

    // Called once, after the tray is shown. A setup on the command line is stored first; with
    // --token-stdin the token is read from tokenInput (standard input when null) until its end
    // and stored in the keychain. Otherwise an unconfigured client asks for setup and a
    // configured one reads its token from the keychain and connects.
    void start(const CommandLine &commandLine, QIODevice *tokenInput = nullptr);
    // The user completed the setup dialog: stores the settings and the token, then connects.
    void setUp(const QUrl &server, const QString &user, const QStringList &subscriptions,
               const QString &token);

Q_SIGNALS:
    // The user must be asked (the setup dialog). message says why, translated; empty on first
    // run. tokenOnly: server, user and channels are fine, only the token is missing or refused.
    void setupNeeded(const QString &message, bool tokenOnly);
    // The keychain did not take the token (message: its reason). The session connects anyway
    // with the token in memory; the next start asks for it again.
    void tokenNotStored(const QString &message);
    // session now replaces the previous session, which is stopped and deleted as soon as the
    // receivers return: whatever follows a session must move to this one.
    void sessionReplaced(herald::SyncSession *session);
    // connectionText() or isConnected() may have changed.
    void connectionChanged();

private:
    SyncSession *createSession();
    void replaceSession();
    void applySetup(const QUrl &server, const QString &user, const QStringList &subscriptions);
    void storeToken(const QString &token);
    void readToken();
    void connectSession();
    void onAuthenticationFailed();
    void onNetworkLost();
    void onServerAnswered(); // a pong or a notification on the live session
    QString tokenAccount() const;

    ClientSettings *m_settings;
    TokenStore *m_tokens;
    NetworkWatcher *m_network;
    SyncSession *m_session = nullptr;
    QString m_token; // in memory only
    KeychainState m_keychain = KeychainState::Pending;
    bool m_authFailed = false;
    // The live session heard from the server since the system last reported the network lost.
    bool m_answeredSinceNetworkLost = false;
};

} // namespace herald::client
